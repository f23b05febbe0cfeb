"""zmq.log: PUBHandler publishing log records, TopicLogger, and the
`python -m zmq.log` watcher printing them."""

import itertools
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import zmq
from zmq.log.handlers import TOPIC_DELIM, PUBHandler, TopicLogger

RECV_TIMEOUT_MS = 5000
_logger_numbers = itertools.count()


def _unique_logger(cls=logging.Logger):
    name = f"zmq-test-log-{next(_logger_numbers)}"
    logger = cls(name)
    logger.setLevel(1)
    logger.propagate = False
    return logger


def _recv(sub, timeout=RECV_TIMEOUT_MS):
    assert sub.poll(timeout), "no log message arrived"
    return sub.recv_multipart()


def _sync(logger, sub):
    """Log until the subscriber gets messages (a new SUB misses what is
    published before its subscription reaches the PUB), then drain."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        logger.critical("sync::sync")
        if sub.poll(50):
            break
    else:
        raise AssertionError("the subscriber never received anything")
    while sub.poll(200):
        sub.recv_multipart()


@pytest.fixture
def sub(ctx):
    s = ctx.socket(zmq.SUB)
    s.linger = 0
    s.subscribe(b"")
    return s


@pytest.fixture
def handlers():
    """Keeps the handlers of a test; closes them and their sockets after it."""
    made = []
    yield made
    for h in made:
        h.close()
        if not h.socket.closed:
            h.socket.close(linger=0)


@pytest.fixture
def published(ctx, sub, handlers):
    """(handler, logger, sub): a PUBHandler bound to tcp by address, on the
    test's context, a logger writing to it only, and a SUB receiving it all."""
    handler = PUBHandler("tcp://127.0.0.1:*", ctx)
    handlers.append(handler)
    sub.connect(handler.socket.last_endpoint.decode())
    logger = _unique_logger()
    logger.addHandler(handler)
    _sync(logger, sub)
    yield handler, logger, sub
    logger.removeHandler(handler)


def _line():
    return sys._getframe(1).f_lineno


# ------------------------------------------------------------------ PUBHandler


def test_names():
    import zmq.log.handlers as handlers_module

    assert TOPIC_DELIM == "::"
    assert issubclass(PUBHandler, logging.Handler)
    assert issubclass(TopicLogger, logging.Logger)
    for name in ("PUBHandler", "TopicLogger", "TOPIC_DELIM"):
        assert hasattr(handlers_module, name)


def test_address_binds_a_new_pub_socket(published, ctx):
    handler, _, _ = published
    assert handler.ctx is ctx
    assert handler.socket.context is ctx
    assert handler.socket.type == zmq.PUB
    assert handler.socket.last_endpoint.startswith(b"tcp://127.0.0.1:")
    assert handler.root_topic == ""
    assert handler.level == logging.NOTSET


def test_address_without_context_makes_its_own(handlers):
    handler = PUBHandler("inproc://zmq-test-log-own-context")
    handlers.append(handler)
    try:
        assert isinstance(handler.ctx, zmq.Context)
        assert handler.ctx is not zmq.Context.instance()
        assert handler.socket.context is handler.ctx
    finally:
        handler.socket.close(linger=0)
        handler.ctx.term()


def test_default_formats_per_level(published):
    handler, logger, sub = published
    assert set(handler.formatters) == {logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL}
    assert all(isinstance(f, logging.Formatter) for f in handler.formatters.values())

    logger.debug("hello %s", "debug"); line = _line()
    assert _recv(sub) == [b"DEBUG", f"DEBUG test_log.py:{line} - hello debug\n".encode()]
    logger.info("hello %s", "info")
    assert _recv(sub) == [b"INFO", b"hello info\n"]
    logger.warning("hello warning"); line = _line()
    assert _recv(sub) == [b"WARNING", f"WARNING test_log.py:{line} - hello warning\n".encode()]
    logger.error("hello error"); line = _line()
    assert _recv(sub) == [b"ERROR", f"ERROR test_log.py:{line} - hello error - None\n".encode()]
    logger.critical("hello critical"); line = _line()
    assert _recv(sub) == [b"CRITICAL", f"CRITICAL test_log.py:{line} - hello critical\n".encode()]


def test_exception_carries_the_traceback(published):
    _, logger, sub = published
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("it failed")
    topic, msg = _recv(sub)
    assert topic == b"ERROR"
    text = msg.decode()
    assert text.startswith("ERROR test_log.py:")
    assert " - it failed - (<class 'ZeroDivisionError'>" in text
    assert "Traceback (most recent call last):" in text
    assert text.endswith("ZeroDivisionError: division by zero")


def test_subtopic_from_the_message(published):
    _, logger, sub = published
    logger.info("db.queries::took %d ms", 12)
    assert _recv(sub) == [b"INFO.db.queries", b"took 12 ms\n"]
    # Only the first delimiter separates; an empty subtopic adds nothing.
    logger.info("a::b::c")
    assert _recv(sub) == [b"INFO.a", b"b::c\n"]
    logger.info("::no subtopic")
    assert _recv(sub) == [b"INFO", b"no subtopic\n"]
    # The split is on the message template, not on its arguments.
    logger.info("topic::%s", "x::y")
    assert _recv(sub) == [b"INFO.topic", b"x::y\n"]
    # Messages that are not strings are sent as their str().
    logger.info(b"raw")
    assert _recv(sub) == [b"INFO", b"b'raw'\n"]
    logger.info({"a": 1})
    assert _recv(sub) == [b"INFO", b"{'a': 1}\n"]


def test_other_handlers_see_the_whole_message(published):
    _, logger, sub = published
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    logger.addHandler(Keep())
    logger.info("sub::message")
    assert _recv(sub) == [b"INFO.sub", b"message\n"]
    assert seen == ["sub::message"]


def test_unicode_is_utf8(published):
    handler, logger, sub = published
    handler.root_topic = "r\u00f6\u00f6t"
    logger.info("\u00fcn\u00efc\u00f6de \u2713")
    assert _recv(sub) == ["r\u00f6\u00f6t.INFO".encode(), "\u00fcn\u00efc\u00f6de \u2713\n".encode()]


def test_root_topic(published):
    handler, logger, sub = published
    handler.setRootTopic("myapp")
    assert handler.root_topic == "myapp"
    logger.info("rooted")
    assert _recv(sub) == [b"myapp.INFO", b"rooted\n"]
    logger.warning("x.y::rooted sub"); line = _line()
    assert _recv(sub) == [b"myapp.WARNING.x.y", f"WARNING test_log.py:{line} - rooted sub\n".encode()]

    handler.root_topic = "other.app"
    assert handler.root_topic == "other.app"
    logger.info("prop")
    assert _recv(sub) == [b"other.app.INFO", b"prop\n"]

    # Bytes are decoded.
    handler.setRootTopic(b"bytes")
    assert handler.root_topic == "bytes"
    logger.info("b")
    assert _recv(sub) == [b"bytes.INFO", b"b\n"]

    # '' (or None) for none.
    handler.root_topic = ""
    logger.info("none")
    assert _recv(sub) == [b"INFO", b"none\n"]
    handler.root_topic = None
    logger.info("none")
    assert _recv(sub) == [b"INFO", b"none\n"]


def test_root_topic_constructor_argument(ctx, handlers):
    pub = ctx.socket(zmq.PUB)
    handler = PUBHandler(pub, root_topic="rt")
    handlers.append(handler)
    assert handler.root_topic == "rt"
    handler = PUBHandler(interface_or_socket=pub, context=None, root_topic=b"rb")
    assert handler.root_topic == "rb"


def test_bad_root_topic(ctx, handlers):
    handler = PUBHandler(ctx.socket(zmq.PUB))
    handlers.append(handler)
    with pytest.raises(UnicodeDecodeError):
        handler.setRootTopic(b"\xe9")
    handler.root_topic = 5
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "m", (), None)
    with pytest.raises(TypeError):
        handler.emit(record)


def test_subscribing_by_topic(published, ctx):
    handler, logger, _ = published
    handler.root_topic = "app"
    errors = ctx.socket(zmq.SUB)
    errors.linger = 0
    errors.subscribe("app.ERROR")
    errors.connect(handler.socket.last_endpoint.decode())
    deadline = time.monotonic() + 10
    while not errors.poll(50):
        assert time.monotonic() < deadline
        logger.error("sync")
    while errors.poll(200):
        errors.recv_multipart()
    logger.info("not this")
    logger.warning("nor this")
    logger.error("db::this one")
    topic, _ = _recv(errors)
    assert topic == b"app.ERROR.db"
    assert not errors.poll(200)
    errors.close()


def test_set_formatter_for_all_levels(published):
    handler, logger, sub = published
    fmt = logging.Formatter("ALL %(levelname)s %(message)s")
    handler.setFormatter(fmt)
    assert set(handler.formatters) == {10, 20, 30, 40, 50}
    assert all(f is fmt for f in handler.formatters.values())
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL):
        logger.log(level, "msg")
        name = logging.getLevelName(level)
        assert _recv(sub) == [name.encode(), f"ALL {name} msg".encode()]


def test_set_formatter_per_level(published):
    handler, logger, sub = published
    handler.setFormatter(logging.Formatter("E!%(message)s"), logging.ERROR)
    assert handler.formatters[logging.ERROR]._fmt == "E!%(message)s"
    assert handler.formatters[logging.INFO]._fmt == "%(message)s\n"
    logger.error("err")
    assert _recv(sub) == [b"ERROR", b"E!err"]
    logger.info("info")
    assert _recv(sub) == [b"INFO", b"info\n"]
    # NOTSET (the default level) replaces every level's formatter, including
    # ones added for other levels.
    handler.setFormatter(logging.Formatter("N%(message)s"), 25)
    assert set(handler.formatters) == {10, 20, 25, 30, 40, 50}
    fmt = logging.Formatter("X%(message)s")
    handler.setFormatter(fmt, logging.NOTSET)
    assert all(f is fmt for f in handler.formatters.values())
    # The handler's own `formatter` attribute is left alone.
    assert handler.formatter is None


def test_levels_without_a_formatter(published):
    handler, logger, sub = published
    # A custom level uses its own formatter when it has one ...
    handler.setFormatter(logging.Formatter("N:%(message)s"), 25)
    logger.log(25, "custom")
    assert _recv(sub) == [b"Level 25", b"N:custom"]
    # ... else that of the closest standard level below it.
    logger.log(35, "custom")
    line = _line()
    assert _recv(sub) == [b"Level 35", f"Level 35 test_log.py:{line - 1} - custom\n".encode()]
    logger.log(5, "low")
    assert _recv(sub)[0] == b"Level 5"
    # A formatter of None: logging's default format.
    handler.setFormatter(None)
    logger.warning("plain")
    assert _recv(sub) == [b"WARNING", b"plain"]


def test_handler_level_filters(published):
    handler, logger, sub = published
    handler.setLevel(logging.WARNING)
    logger.info("dropped")
    logger.warning("kept")
    assert _recv(sub)[0] == b"WARNING"
    assert not sub.poll(100)


def test_existing_socket(ctx, sub, handlers):
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    handler = PUBHandler(pub)
    handlers.append(handler)
    assert handler.socket is pub
    assert handler.ctx is ctx
    # The socket is used as it is: not bound anywhere else.
    assert pub.last_endpoint == f"tcp://127.0.0.1:{port}".encode()
    # A context given with a socket is not used.
    other = zmq.Context()
    try:
        assert PUBHandler(pub, other).ctx is ctx
    finally:
        other.term()

    sub.connect(f"tcp://127.0.0.1:{port}")
    logger = _unique_logger()
    logger.addHandler(handler)
    _sync(logger, sub)
    logger.info("over an existing socket")
    assert _recv(sub) == [b"INFO", b"over an existing socket\n"]


def test_existing_socket_over_inproc(ctx, sub, handlers):
    pub = ctx.socket(zmq.PUB)
    pub.bind("inproc://zmq-test-log-inproc")
    handler = PUBHandler(pub, root_topic="in")
    handlers.append(handler)
    sub.connect("inproc://zmq-test-log-inproc")
    logger = _unique_logger()
    logger.addHandler(handler)
    _sync(logger, sub)
    logger.info("x")
    assert _recv(sub) == [b"in.INFO", b"x\n"]


def test_bytes_address(ctx, handlers):
    handler = PUBHandler(b"inproc://zmq-test-log-bytes", ctx)
    handlers.append(handler)
    assert handler.socket.last_endpoint == b"inproc://zmq-test-log-bytes"


def test_bad_interface():
    ctx = zmq.Context()
    try:
        with pytest.raises(zmq.ZMQError) as info:
            PUBHandler("bogus://nowhere", ctx)
        assert info.value.errno == zmq.EPROTONOSUPPORT
        with pytest.raises(TypeError):
            PUBHandler(5, ctx)
        with pytest.raises(AttributeError):
            PUBHandler("inproc://zmq-test-log-bad-context", 5)
    finally:
        # The sockets of the failed attempts are not left open: term() returns.
        t = threading.Thread(target=ctx.term, daemon=True)
        t.start()
        t.join(5)
    assert not t.is_alive(), "a socket of a failed PUBHandler was left open"


def test_emit_on_closed_socket_raises(ctx):
    pub = ctx.socket(zmq.PUB)
    handler = PUBHandler(pub)
    pub.close()
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "m", (), None)
    with pytest.raises(zmq.ZMQError):
        handler.emit(record)


def test_format_errors_go_to_handle_error(published, monkeypatch):
    handler, logger, sub = published
    failed = []
    monkeypatch.setattr(handler, "handleError", failed.append)
    logger.info("%s %s", "only one")
    assert len(failed) == 1
    assert not sub.poll(100)


# ----------------------------------------------------------------- TopicLogger


def test_topic_logger(published):
    handler, _, sub = published
    logger = _unique_logger(TopicLogger)
    logger.addHandler(handler)

    logger.info("my.topic", "hello %s", "world")
    assert _recv(sub) == [b"INFO.my.topic", b"hello world\n"]
    logger.log(logging.INFO, "t2", "via log")
    assert _recv(sub) == [b"INFO.t2", b"via log\n"]
    logger.debug("t", "dbg"); line = _line()
    assert _recv(sub) == [b"DEBUG.t", f"DEBUG test_log.py:{line} - dbg\n".encode()]
    logger.log(logging.WARNING, "t", "warn"); line = _line()
    # The file and line are the caller's.
    assert _recv(sub) == [b"WARNING.t", f"WARNING test_log.py:{line} - warn\n".encode()]
    for method, level in [("warning", b"WARNING"), ("warn", b"WARNING"), ("error", b"ERROR"),
                          ("critical", b"CRITICAL"), ("fatal", b"CRITICAL")]:
        getattr(logger, method)("t", method)
        topic, msg = _recv(sub)
        assert topic == level + b".t"
        assert method.encode() in msg
    logger.info("", "no topic")
    assert _recv(sub) == [b"INFO", b"no topic\n"]

    handler.root_topic = "root"
    logger.info("sub", "rooted")
    assert _recv(sub) == [b"root.INFO.sub", b"rooted\n"]


def test_topic_logger_exception(published):
    handler, _, sub = published
    logger = _unique_logger(TopicLogger)
    logger.addHandler(handler)
    try:
        raise KeyError("k")
    except KeyError:
        logger.exception("failures", "it failed")
        logger.log(logging.ERROR, "failures", "again", exc_info=True)
    for _ in range(2):
        topic, msg = _recv(sub)
        assert topic == b"ERROR.failures"
        assert b"Traceback (most recent call last):" in msg
        assert msg.endswith(b"KeyError: 'k'")


def test_topic_logger_arguments():
    logger = _unique_logger(TopicLogger)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger.addHandler(Keep())
    logger.info("t", "%d+%d", 1, 2, extra={"key": "v"}); line = _line()
    (record,) = records
    assert record.getMessage() == f"t{TOPIC_DELIM}1+2"
    assert record.key == "v"
    assert record.filename == "test_log.py" and record.lineno == line
    assert record.funcName == "test_topic_logger_arguments"
    records.clear()

    def helper():
        logger.info("t", "from helper", stacklevel=2)

    helper(); line = _line()
    assert records[0].lineno == line
    records.clear()
    logger.info("t", "stack", stack_info=True)
    assert records[0].stack_info.startswith("Stack (most recent call last):")
    assert "test_topic_logger_arguments" in records[0].stack_info

    with pytest.raises(TypeError):
        logger.info("only a message")
    with pytest.raises(TypeError):
        logger.log("INFO", "t", "level must be an int")
    # Disabled levels are skipped.
    quiet = _unique_logger(TopicLogger)
    quiet.setLevel(logging.ERROR)
    quiet.addHandler(Keep())
    records.clear()
    quiet.info("t", "dropped")
    quiet.error("t", "kept")
    assert [r.getMessage() for r in records] == ["t::kept"]


# ------------------------------------------------------------ python -m zmq.log


class Watcher:
    """`python -m zmq.log ...` in a child process (run outside the source
    tree), its output lines collected by a thread."""

    def __init__(self, *args, prefix=()):
        cmd = [sys.executable, *prefix, *args] if prefix else [sys.executable, "-m", "zmq.log", *args]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf8",
            cwd=tempfile.gettempdir(), env=env,
        )
        self.lines = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def sync(self, logger, level=logging.CRITICAL):
        """Log until the watcher prints something, then forget what it printed."""
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline, "the watcher printed nothing"
            assert self.proc.poll() is None, self.proc.stderr.read()
            logger.log(level, "sync::sync")
            try:
                self.lines.get(timeout=0.1)
                break
            except queue.Empty:
                pass
        time.sleep(0.3)
        while True:
            try:
                self.lines.get(timeout=0.2)
            except queue.Empty:
                break

    def read(self, n, timeout=10):
        out = []
        for _ in range(n):
            out.append(self.lines.get(timeout=timeout))
        return out

    def interrupt(self):
        """Ctrl-C: the watcher ends quietly."""
        self.proc.send_signal(signal.SIGINT)
        rc = self.proc.wait(10)
        self.thread.join(10)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return rc, rest, self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self.proc.stdout.close()
        self.proc.stderr.close()


@pytest.fixture
def watched(ctx, handlers):
    """watch(*args, root_topic=''): a PUBHandler on tcp and a logger writing
    to it, a watcher subscribed to it with the given options: (logger,
    watcher)."""
    watchers = []
    loggers = []

    def watch(*args, root_topic="", prefix=()):
        handler = PUBHandler("tcp://127.0.0.1:*", ctx, root_topic=root_topic)
        handlers.append(handler)
        logger = _unique_logger()
        logger.addHandler(handler)
        loggers.append((logger, handler))
        watcher = Watcher(*args, handler.socket.last_endpoint.decode(), prefix=prefix)
        watchers.append(watcher)
        return logger, watcher

    yield watch
    for w in watchers:
        w.kill()
    for logger, handler in loggers:
        logger.removeHandler(handler)


def test_watcher_prints_topic_and_message(watched):
    logger, watcher = watched()
    watcher.sync(logger)
    first = _line() + 1
    logger.debug("dbg msg")
    logger.info("info msg")
    logger.warning("warn msg")
    logger.error("err msg")
    logger.critical("crit msg")
    logger.info("sub.topic::subbed msg")
    assert watcher.read(6) == [
        f"DEBUG | DEBUG test_log.py:{first} - dbg msg",
        "INFO | info msg",
        f"WARNING | WARNING test_log.py:{first + 2} - warn msg",
        f"ERROR | ERROR test_log.py:{first + 3} - err msg - None",
        f"CRITICAL | CRITICAL test_log.py:{first + 4} - crit msg",
        "INFO.sub.topic | subbed msg",
    ]
    # Messages are stripped of surrounding whitespace; inner newlines stay.
    logger.info("  two\nlines  ")
    assert watcher.read(2) == ["INFO | two", "lines"]
    logger.info("\u00fcn\u00efc\u00f6de")
    assert watcher.read(1) == ["INFO | \u00fcn\u00efc\u00f6de"]
    # Ctrl-C ends it quietly.
    rc, rest, err = watcher.interrupt()
    assert rc == 0, err
    assert rest == [None]
    assert "Traceback" not in err


def test_watcher_topic_filter_and_separator(watched):
    logger, watcher = watched("-t", "INFO", "--separator", " :: ")
    watcher.sync(logger, logging.INFO)
    logger.warning("not printed")
    logger.info("printed")
    logger.info("x::printed too")
    assert watcher.read(2) == ["INFO :: printed", "INFO.x :: printed too"]
    time.sleep(0.2)
    assert watcher.lines.empty()


def test_watcher_timestamp(watched):
    logger, watcher = watched("--timestamp", "--dateformat", "STAMP %%")
    watcher.sync(logger)
    logger.info("stamped")
    assert watcher.read(1) == ["STAMP % INFO | stamped"]


def test_watcher_default_timestamp(watched):
    logger, watcher = watched("--timestamp")
    watcher.sync(logger)
    logger.info("stamped")
    (line,) = watcher.read(1)
    stamp, rest = line[:16], line[16:]
    assert rest == " INFO | stamped"
    time.strptime(stamp, "%Y-%m-%d %H:%M")


def test_watcher_align(watched):
    logger, watcher = watched("--align", root_topic="app")
    watcher.sync(logger)
    # The sync messages set the widths seen so far: app.CRITICAL.sync.
    logger.info("a")
    logger.info("long_sub::b")
    logger.error("c"); line = _line()
    assert watcher.read(3) == [
        "app.INFO    .     | a",
        "app.INFO    .long_sub | b",
        f"app.ERROR   .         | ERROR test_log.py:{line} - c - None",
    ]


def test_watcher_color(watched):
    pytest.importorskip("colorama")
    # colorama strips colors when stdout is not a terminal: keep them.
    prefix = ("-c", "import colorama, runpy; colorama.init = lambda *a, **k: None; "
                    "runpy.run_module('zmq.log', run_name='__main__')")
    logger, watcher = watched("--color", prefix=prefix)
    watcher.sync(logger)
    handler = logger.handlers[0]
    handler.setFormatter(logging.Formatter("%(message)s"))
    for level in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL):
        logger.log(level, "m")
    logger.info("sub::m")
    handler.root_topic = "root"
    logger.warning("sub::m")
    reset = "\x1b[39m"
    assert watcher.read(7) == [
        "\x1b[96mDEBUG | m" + reset,
        "\x1b[97mINFO | m" + reset,
        "\x1b[33mWARNING | m" + reset,
        "\x1b[91mERROR | m" + reset,
        "\x1b[91mCRITICAL | m" + reset,
        # Without a root topic the level is the first word, else the second.
        "INFO.sub | m" + reset,
        "\x1b[33mroot.WARNING.sub | m" + reset,
    ]


def test_watcher_other_publishers(ctx):
    pub = ctx.socket(zmq.PUB)
    pub.linger = 0
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    watcher = Watcher(f"tcp://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline
            pub.send_multipart([b"sync", b"sync"])
            try:
                watcher.lines.get(timeout=0.1)
                break
            except queue.Empty:
                pass
        time.sleep(0.3)
        while not watcher.lines.empty():
            watcher.lines.get()
        pub.send_multipart([b"T", b"bad \xff utf8"])
        pub.send(b"one part")
        pub.send_multipart([b"T", b"a", b"b"])
        assert watcher.read(3) == ["T | bad \ufffd utf8", " | one part", "T | a b"]
        rc, _, err = watcher.interrupt()
        assert rc == 0, err
    finally:
        watcher.kill()
        pub.close()


def _run_watcher(*args):
    return subprocess.run([sys.executable, "-m", "zmq.log", *args], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), timeout=60)


def test_watcher_help():
    result = _run_watcher("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: ZMQ Log Watcher [-h] [-t TOPIC] [--timestamp] [--separator SEPARATOR]")
    for option in ("zmq_pub_url", "--topic", "--timestamp", "--separator", "--dateformat", "--align", "--color"):
        assert option in result.stdout


def test_watcher_usage_errors():
    result = _run_watcher()
    assert result.returncode == 2
    assert "the following arguments are required: zmq_pub_url" in result.stderr
    result = _run_watcher("--bogus", "tcp://127.0.0.1:1")
    assert result.returncode == 2
    result = _run_watcher("bogus://x")
    assert result.returncode == 1
    assert "ZMQError" in result.stderr
