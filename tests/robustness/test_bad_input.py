"""Bad input at every public entry point.

Each case is a snippet and the exception class it must raise: the class
pyzmq 27.3.0 raises for the same call, so that code written against pyzmq
catches the same thing here. Where pyzmq crashes, hangs, or accepts nonsense,
the case asserts the sensible class instead and says so in a comment.

Anything that reaches C with odd values runs in a child interpreter (see
CHILD_CASES), so that a segfault or a hang fails that one case and the rest of
the suite goes on. Pure-Python cases run in-process (IN_PROCESS_CASES).

Expected outcomes are written as the exception's qualified class name, e.g.
"TypeError", "zmq.error.Again", optionally with the errno a ZMQError must
carry, "zmq.error.ZMQError[EINVAL]"; None means the snippet must finish
without an exception (such snippets assert on what the call returned). A
subclass of the expected class also passes: it is caught the same way.
"""

import inspect
import json
import signal
import subprocess

import pytest

import zmq

# One budget per case inside the child; every case is expected to finish in
# milliseconds, and the empty-poll cases must return at once rather than block.
CASE_SECONDS = 5
# Bounds a whole child batch, in case even the per-case watchdog cannot fire.
BATCH_SECONDS = 90

# ---------------------------------------------------------------------------
# Cases run in a child interpreter. Names available to a snippet:
#   zmq; ctx (a fresh Context, destroyed after the case);
#   sock(kind): a socket of ctx with linger 0 and 2 s send/recv timeouts, so a
#     call that blocks by mistake ends in Again instead of eating the budget;
#   closed(kind=PAIR): an already-closed socket;
#   pair(kind=PAIR, peer=None): two sockets connected over a fresh inproc address.
# ---------------------------------------------------------------------------

CHILD_CASES = [
    # -- Context construction and options
    ("ctx-io-threads-negative", "zmq.Context(io_threads=-1)", "zmq.error.ZMQError[EINVAL]"),
    ("ctx-io-threads-str", "zmq.Context(io_threads='x')", "TypeError"),
    # pyzmq truncates a float thread count silently; a float is a caller bug.
    ("ctx-io-threads-float", "zmq.Context(io_threads=1.5)", "TypeError"),
    ("ctx-io-threads-2pow64", "zmq.Context(io_threads=2**64)", "OverflowError"),
    ("ctx-socket-negative", "ctx.socket(-1)", "TypeError"),
    ("ctx-socket-999", "ctx.socket(999)", "zmq.error.ZMQError[EINVAL]"),
    ("ctx-socket-str", "ctx.socket('x')", "TypeError"),
    ("ctx-socket-none", "ctx.socket(None)", "TypeError"),
    # pyzmq makes a PUB out of 1.0; a float socket type is a caller bug.
    ("ctx-socket-float", "ctx.socket(1.0)", "TypeError"),
    ("ctx-socket-2pow31", "ctx.socket(2**31)", "OverflowError"),
    ("ctx-socket-class-not-callable", "ctx.socket(zmq.PUSH, socket_class='x')", "TypeError"),
    ("socket-ctor-negative-type", "zmq.Socket(ctx, -1)", "TypeError"),
    ("socket-ctor-not-a-context", "zmq.Socket('x', zmq.PUSH)", "TypeError"),
    ("ctx-set-unknown-option", "ctx.set(9999, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("ctx-get-unknown-option", "ctx.get(9999)", "zmq.error.ZMQError[EINVAL]"),
    ("ctx-set-str-value", "ctx.set(zmq.IO_THREADS, 'x')", "TypeError"),
    ("ctx-set-2pow64", "ctx.set(zmq.MAX_SOCKETS, 2**64)", "OverflowError"),
    ("ctx-set-negative", "ctx.set(zmq.MAX_SOCKETS, -5)", "zmq.error.ZMQError[EINVAL]"),
    ("ctx-set-option-name-str", "ctx.set('IO_THREADS', 1)", "TypeError"),
    ("ctx-default-sockopt-str", "ctx.linger = 'x'; ctx.socket(zmq.PUSH)", "TypeError"),
    ("ctx-shadow-str", "zmq.Context.shadow('x')", "ValueError"),
    # None is "no shadow" to pyzmq: an ordinary new context.
    ("ctx-shadow-none", "zmq.Context(shadow=None).term()", None),
    ("asyncio-ctx-socket-negative", "import zmq.asyncio; zmq.asyncio.Context().socket(-1)", "TypeError"),
    ("asyncio-ctx-io-threads-negative", "import zmq.asyncio; zmq.asyncio.Context(io_threads=-1)",
     "zmq.error.ZMQError[EINVAL]"),
    # -- terminated contexts
    ("termed-ctx-socket", "c = zmq.Context(); c.term(); c.socket(zmq.PUSH)", "zmq.error.ZMQError[ENOTSUP]"),
    ("destroyed-ctx-socket", "c = zmq.Context(); c.destroy(); c.socket(zmq.PUSH)", "zmq.error.ZMQError[ENOTSUP]"),
    ("termed-ctx-set", "c = zmq.Context(); c.term(); c.set(zmq.IO_THREADS, 2)", "RuntimeError"),
    ("termed-ctx-get", "c = zmq.Context(); c.term(); c.get(zmq.IO_THREADS)", "RuntimeError"),
    ("termed-ctx-term-again", "c = zmq.Context(); c.term(); c.term()", None),
    ("terming-ctx-recv", """
        import threading, time
        c = zmq.Context()
        s = c.socket(zmq.PULL)
        t = threading.Thread(target=c.term)
        t.start()
        time.sleep(0.2)
        try:
            s.recv()
        finally:
            s.close()
            t.join()
     """, "zmq.error.ContextTerminated[ETERM]"),
    ("terming-ctx-send", """
        import threading, time
        c = zmq.Context()
        s = c.socket(zmq.PUSH)
        s.linger = 0
        t = threading.Thread(target=c.term)
        t.start()
        time.sleep(0.2)
        try:
            s.send(b'x')
        finally:
            s.close()
            t.join()
     """, "zmq.error.ContextTerminated[ETERM]"),
    # -- socket options: wrong types, out-of-range values
    ("setsockopt-int-str", "sock(zmq.PAIR).setsockopt(zmq.LINGER, 'x')", "TypeError"),
    ("setsockopt-int-float", "sock(zmq.PAIR).setsockopt(zmq.LINGER, 1.5)", "TypeError"),
    ("setsockopt-int-none", "sock(zmq.PAIR).setsockopt(zmq.LINGER, None)", "TypeError"),
    ("setsockopt-int-bytes", "sock(zmq.PAIR).setsockopt(zmq.LINGER, b'1')", "TypeError"),
    ("setsockopt-int-2pow31", "sock(zmq.PAIR).setsockopt(zmq.LINGER, 2**31)", "OverflowError"),
    ("setsockopt-int-2pow64", "sock(zmq.PAIR).setsockopt(zmq.RCVTIMEO, 2**64)", "OverflowError"),
    ("setsockopt-linger-minus-2", "sock(zmq.PAIR).setsockopt(zmq.LINGER, -2)", "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-hwm-negative", "sock(zmq.PAIR).setsockopt(zmq.SNDHWM, -1)", "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-int64-2pow63", "sock(zmq.PAIR).setsockopt(zmq.MAXMSGSIZE, 2**63)", "OverflowError"),
    ("setsockopt-uint64-2pow64", "sock(zmq.PAIR).setsockopt(zmq.AFFINITY, 2**64)", "OverflowError"),
    ("setsockopt-bytes-str", "sock(zmq.DEALER).setsockopt(zmq.IDENTITY, 'abc')", "TypeError"),
    ("setsockopt-bytes-int", "sock(zmq.DEALER).setsockopt(zmq.IDENTITY, 5)", "TypeError"),
    ("setsockopt-bytes-none", "sock(zmq.DEALER).setsockopt(zmq.IDENTITY, None)", "TypeError"),
    ("setsockopt-identity-256-bytes", "sock(zmq.DEALER).setsockopt(zmq.IDENTITY, b'x' * 256)",
     "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-subscribe-non-ascii-str", "sock(zmq.SUB).setsockopt(zmq.SUBSCRIBE, 'é')", "TypeError"),
    ("set-routing-id-str", "sock(zmq.DEALER).set(zmq.ROUTING_ID, 'abc')", "TypeError"),
    ("setsockopt-unknown-option", "sock(zmq.PAIR).setsockopt(99999, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-negative-option", "sock(zmq.PAIR).setsockopt(-1, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-option-2pow64", "sock(zmq.PAIR).setsockopt(2**64, 1)", "OverflowError"),
    ("setsockopt-option-name-str", "sock(zmq.PAIR).setsockopt('linger', 1)", "TypeError"),
    ("getsockopt-unknown-option", "sock(zmq.PAIR).getsockopt(99999)", "zmq.error.ZMQError[EINVAL]"),
    ("getsockopt-option-2pow64", "sock(zmq.PAIR).getsockopt(2**64)", "OverflowError"),
    ("getsockopt-write-only-subscribe", "sock(zmq.SUB).getsockopt(zmq.SUBSCRIBE)", "zmq.error.ZMQError[EINVAL]"),
    ("getsockopt-string-int-option", "sock(zmq.PAIR).getsockopt_string(zmq.LINGER)", "TypeError"),
    ("getsockopt-string-non-utf8-identity",
     "s = sock(zmq.DEALER); s.setsockopt(zmq.IDENTITY, b'\\xff\\xfe'); s.getsockopt_string(zmq.IDENTITY)",
     "UnicodeDecodeError"),
    ("setsockopt-string-bytes", "sock(zmq.SUB).setsockopt_string(zmq.SUBSCRIBE, b'x')", "TypeError"),
    ("setsockopt-string-int-option", "sock(zmq.PAIR).setsockopt_string(zmq.LINGER, '1')", "TypeError"),
    ("setsockopt-string-unencodable",
     "sock(zmq.DEALER).setsockopt_string(zmq.IDENTITY, 'é', encoding='ascii')", "UnicodeEncodeError"),
    ("setsockopt-string-lone-surrogate", "sock(zmq.DEALER).setsockopt_string(zmq.IDENTITY, '\\udcff')",
     "UnicodeEncodeError"),
    ("attr-linger-str", "s = sock(zmq.PAIR); s.linger = 'x'", "TypeError"),
    ("attr-hwm-2pow64", "s = sock(zmq.PAIR); s.hwm = 2**64", "OverflowError"),
    ("curve-secretkey-short", "sock(zmq.PAIR).curve_secretkey = b'short'", "zmq.error.ZMQError[EINVAL]"),
    ("curve-secretkey-str", "sock(zmq.PAIR).curve_secretkey = 'x' * 40", "TypeError"),
    ("curve-publickey-non-ascii-str", "sock(zmq.PAIR).curve_publickey = 'é' * 40", "TypeError"),
    ("curve-serverkey-not-z85", "sock(zmq.PAIR).curve_serverkey = b'\\xff' * 40", "zmq.error.ZMQError[EINVAL]"),
    # -- an option or operation the socket type does not have
    ("router-mandatory-on-req", "sock(zmq.REQ).setsockopt(zmq.ROUTER_MANDATORY, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("req-relaxed-on-rep", "sock(zmq.REP).setsockopt(zmq.REQ_RELAXED, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("xpub-verbose-on-sub", "sock(zmq.SUB).setsockopt(zmq.XPUB_VERBOSE, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("subscribe-on-push", "sock(zmq.PUSH).subscribe(b'x')", "zmq.error.ZMQError[EINVAL]"),
    ("unsubscribe-on-push", "sock(zmq.PUSH).unsubscribe(b'x')", "zmq.error.ZMQError[EINVAL]"),
    ("setsockopt-subscribe-on-pub", "sock(zmq.PUB).setsockopt(zmq.SUBSCRIBE, b'')", "zmq.error.ZMQError[EINVAL]"),
    ("subscribe-int", "sock(zmq.SUB).subscribe(5)", "TypeError"),
    ("subscribe-none", "sock(zmq.SUB).subscribe(None)", "TypeError"),
    ("recv-on-pub", "sock(zmq.PUB).recv()", "zmq.error.ZMQError[ENOTSUP]"),
    ("send-on-sub", "sock(zmq.SUB).send(b'x')", "zmq.error.ZMQError[ENOTSUP]"),
    ("recv-on-push", "sock(zmq.PUSH).recv()", "zmq.error.ZMQError[ENOTSUP]"),
    ("send-on-pull", "sock(zmq.PULL).send(b'x')", "zmq.error.ZMQError[ENOTSUP]"),
    ("req-send-twice", "rep, req = pair(zmq.REP, zmq.REQ); req.send(b'x'); req.send(b'y')",
     "zmq.error.ZMQError[EFSM]"),
    ("req-recv-before-send", "sock(zmq.REQ).recv()", "zmq.error.ZMQError[EFSM]"),
    ("rep-send-before-recv", "sock(zmq.REP).send(b'x')", "zmq.error.ZMQError[EFSM]"),
    ("recv-noblock-nothing-queued", "sock(zmq.PULL).recv(zmq.NOBLOCK)", "zmq.error.Again[EAGAIN]"),
    ("recv-multipart-noblock-nothing-queued", "sock(zmq.PULL).recv_multipart(zmq.NOBLOCK)",
     "zmq.error.Again[EAGAIN]"),
    ("recv-rcvtimeo-expires", "s = sock(zmq.PULL); s.rcvtimeo = 10; s.recv()", "zmq.error.Again[EAGAIN]"),
    ("send-noblock-no-peer", "sock(zmq.PUSH).send(b'x', zmq.NOBLOCK)", "zmq.error.Again[EAGAIN]"),
    ("router-mandatory-unknown-peer",
     "s = sock(zmq.ROUTER); s.router_mandatory = 1; s.send_multipart([b'nobody', b'x'])",
     "zmq.error.ZMQError[EHOSTUNREACH]"),
    # -- send and recv arguments
    ("send-str", "pair()[0].send('x')", "TypeError"),
    ("send-int", "pair()[0].send(5)", "TypeError"),
    ("send-none", "pair()[0].send(None)", "TypeError"),
    ("send-str-nocopy", "pair()[0].send('x', copy=False)", "TypeError"),
    ("send-non-contiguous-buffer", "pair()[0].send(memoryview(b'abcdef')[::2])", "BufferError"),
    ("send-flags-str", "pair()[0].send(b'x', flags='x')", "TypeError"),
    ("send-flags-2pow31", "pair()[0].send(b'x', flags=2**31)", "OverflowError"),
    ("send-flags-2pow64", "pair()[0].send(b'x', flags=2**64)", "OverflowError"),
    ("recv-flags-str", "pair()[1].recv(flags='x')", "TypeError"),
    ("send-multipart-empty-list", "pair()[0].send_multipart([])", "IndexError"),
    # pyzmq wants a sequence; an empty iterable must not pass as "sent nothing".
    # pyzmq: TypeError, as it takes no generator at all; this package takes any
    # iterable of parts, so an empty one is the empty message.
    ("send-multipart-empty-generator", "pair()[0].send_multipart(x for x in [])", "IndexError"),
    ("send-multipart-str-part", "pair()[0].send_multipart([b'a', 'b'])", "TypeError"),
    ("send-multipart-int-part", "pair()[0].send_multipart([b'a', 5])", "TypeError"),
    ("send-multipart-bytes", "pair()[0].send_multipart(b'abc')", "TypeError"),
    ("send-multipart-none", "pair()[0].send_multipart(None)", "TypeError"),
    ("send-multipart-flags-str", "pair()[0].send_multipart([b'x'], flags='x')", "TypeError"),
    ("recv-multipart-flags-str", "pair()[1].recv_multipart(flags='x')", "TypeError"),
    ("send-string-bytes", "pair()[0].send_string(b'x')", "TypeError"),
    ("send-string-none", "pair()[0].send_string(None)", "TypeError"),
    ("send-string-unencodable", "pair()[0].send_string('é', encoding='ascii')", "UnicodeEncodeError"),
    ("send-string-lone-surrogate", "pair()[0].send_string('\\udcff')", "UnicodeEncodeError"),
    ("send-string-unknown-codec", "pair()[0].send_string('x', encoding='no-such-codec')", "LookupError"),
    ("recv-string-non-utf8", "a, b = pair(); a.send(b'\\xff\\xfe'); b.recv_string()", "UnicodeDecodeError"),
    ("recv-json-invalid", "a, b = pair(); a.send(b'{nope'); b.recv_json()", "json.decoder.JSONDecodeError"),
    ("recv-json-non-utf8", "a, b = pair(); a.send(b'\\xff'); b.recv_json()", "UnicodeDecodeError"),
    ("send-json-unserialisable", "pair()[0].send_json(object())", "TypeError"),
    ("recv-pyobj-garbage", "a, b = pair(); a.send(b'not a pickle'); b.recv_pyobj()", "_pickle.UnpicklingError"),
    ("recv-pyobj-empty", "a, b = pair(); a.send(b''); b.recv_pyobj()", "EOFError"),
    ("send-pyobj-lambda", "pair()[0].send_pyobj(lambda: 0)", "_pickle.PicklingError"),
    ("send-serialized-str-frames", "pair()[0].send_serialized(1, lambda o: ['x'])", "TypeError"),
    ("recv-into-str", "a, b = pair(); a.send(b'x'); b.recv_into('abc')", "TypeError"),
    ("recv-into-read-only", "a, b = pair(); a.send(b'x'); b.recv_into(b'abc')", "BufferError"),
    ("recv-into-nbytes-negative", "a, b = pair(); a.send(b'x'); b.recv_into(bytearray(4), nbytes=-1)",
     "ValueError"),
    ("recv-into-nbytes-too-big", "a, b = pair(); a.send(b'x'); b.recv_into(bytearray(4), nbytes=10)",
     "ValueError"),
    # -- every operation on a closed socket
    ("closed-send", "closed().send(b'x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv", "closed().recv()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-into", "closed().recv_into(bytearray(4))", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-send-multipart", "closed().send_multipart([b'x'])", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-multipart", "closed().recv_multipart()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-send-string", "closed().send_string('x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-string", "closed().recv_string()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-send-json", "closed().send_json({})", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-json", "closed().recv_json()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-send-pyobj", "closed().send_pyobj(1)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-pyobj", "closed().recv_pyobj()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-send-serialized", "closed().send_serialized(1, lambda o: [b'x'])", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-setsockopt", "closed().setsockopt(zmq.LINGER, 0)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-getsockopt", "closed().getsockopt(zmq.LINGER)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-set", "closed().set(zmq.LINGER, 0)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-get", "closed().get(zmq.TYPE)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-setsockopt-string", "closed().setsockopt_string(zmq.IDENTITY, 'x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-attr-get", "closed().rcvmore", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-attr-set", "s = closed(); s.linger = 0", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-hwm", "closed().hwm", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-fileno", "closed().fileno()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-bind", "closed().bind('inproc://x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-connect", "closed().connect('inproc://x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-unbind", "closed().unbind('inproc://x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-disconnect", "closed().disconnect('inproc://x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-bind-to-random-port", "closed().bind_to_random_port('tcp://127.0.0.1')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-poll", "closed().poll(0)", "zmq.error.ZMQError[ENOTSUP]"),
    ("closed-monitor", "closed().monitor('inproc://mon', zmq.EVENT_ALL)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-get-monitor-socket", "closed().get_monitor_socket()", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-subscribe", "closed(zmq.SUB).subscribe(b'x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-unsubscribe", "closed(zmq.SUB).unsubscribe(b'x')", "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-close-again", "s = closed(); s.close(); assert s.closed", None),
    ("closed-by-ctx-destroy-send",
     "c = zmq.Context(); s = c.socket(zmq.PUSH); c.destroy(linger=0); s.send(b'x')",
     "zmq.error.ZMQError[ENOTSOCK]"),
    ("closed-recv-monitor-message",
     "import zmq.utils.monitor as m; m.recv_monitor_message(closed())", "zmq.error.ZMQError[ENOTSOCK]"),
    # -- endpoints
    ("bind-empty", "sock(zmq.PAIR).bind('')", "zmq.error.ZMQError[EINVAL]"),
    ("bind-no-scheme", "sock(zmq.PAIR).bind('127.0.0.1:5555')", "zmq.error.ZMQError[EINVAL]"),
    ("bind-unknown-transport", "sock(zmq.PAIR).bind('foo://x')", "zmq.error.ZMQError[EPROTONOSUPPORT]"),
    ("bind-port-not-a-number", "sock(zmq.PAIR).bind('tcp://127.0.0.1:abc')", "zmq.error.ZMQError[EINVAL]"),
    ("bind-no-port", "sock(zmq.PAIR).bind('tcp://127.0.0.1')", "zmq.error.ZMQError[EINVAL]"),
    ("bind-ipc-path-too-long", "sock(zmq.PAIR).bind('ipc://' + 'x' * 200)", "zmq.error.ZMQError[ENAMETOOLONG]"),
    ("bind-inproc-empty-name", "sock(zmq.PAIR).bind('inproc://')", "zmq.error.ZMQError[EINVAL]"),
    ("bind-inproc-twice", "a = sock(zmq.PAIR); a.bind('inproc://dup'); b = sock(zmq.PAIR); b.bind('inproc://dup')",
     "zmq.error.ZMQError[EADDRINUSE]"),
    ("bind-int", "sock(zmq.PAIR).bind(5)", "TypeError"),
    ("bind-none", "sock(zmq.PAIR).bind(None)", "TypeError"),
    ("bind-bytes-accepted", "sock(zmq.PAIR).bind(b'inproc://bytes-endpoint')", None),
    ("bind-lone-surrogate", "sock(zmq.PAIR).bind('inproc://\\udcff')", "UnicodeEncodeError"),
    ("connect-empty", "sock(zmq.PAIR).connect('')", "zmq.error.ZMQError[EINVAL]"),
    ("connect-no-scheme", "sock(zmq.PAIR).connect('nope')", "zmq.error.ZMQError[EINVAL]"),
    ("connect-unknown-transport", "sock(zmq.PAIR).connect('foo://x')", "zmq.error.ZMQError[EPROTONOSUPPORT]"),
    ("connect-no-port", "sock(zmq.PAIR).connect('tcp://127.0.0.1')", "zmq.error.ZMQError[EINVAL]"),
    ("connect-ipc-path-too-long", "sock(zmq.PAIR).connect('ipc://' + 'x' * 200)",
     "zmq.error.ZMQError[ENAMETOOLONG]"),
    ("connect-int", "sock(zmq.PAIR).connect(5)", "TypeError"),
    ("connect-bytes-accepted", "sock(zmq.PAIR).connect(b'inproc://bytes-endpoint')", None),
    ("unbind-not-bound", "sock(zmq.PAIR).unbind('tcp://127.0.0.1:1')", "zmq.error.ZMQError[ENOENT]"),
    ("unbind-no-scheme", "sock(zmq.PAIR).unbind('nope')", "zmq.error.ZMQError[EINVAL]"),
    ("unbind-int", "sock(zmq.PAIR).unbind(5)", "TypeError"),
    ("disconnect-not-connected", "sock(zmq.PAIR).disconnect('tcp://127.0.0.1:1')", "zmq.error.ZMQError[ENOENT]"),
    ("disconnect-none", "sock(zmq.PAIR).disconnect(None)", "TypeError"),
    ("bind-to-random-port-empty-range",
     "sock(zmq.PAIR).bind_to_random_port('tcp://127.0.0.1', min_port=6000, max_port=5000)", "ValueError"),
    ("bind-to-random-port-unknown-transport", "sock(zmq.PAIR).bind_to_random_port('foo://x')",
     "zmq.error.ZMQError[EPROTONOSUPPORT]"),
    ("bind-to-random-port-int", "sock(zmq.PAIR).bind_to_random_port(5)", "zmq.error.ZMQError[EINVAL]"),
    # -- monitor
    ("monitor-tcp-endpoint", "sock(zmq.PAIR).monitor('tcp://127.0.0.1:5555')", "zmq.error.ZMQError[EPROTONOSUPPORT]"),
    ("monitor-int-endpoint", "sock(zmq.PAIR).monitor(5)", "TypeError"),
    ("monitor-events-str", "sock(zmq.PAIR).monitor('inproc://mon', 'x')", "TypeError"),
    ("monitor-events-2pow64", "sock(zmq.PAIR).monitor('inproc://mon', 2**64)", "OverflowError"),
    ("monitor-events-negative", "sock(zmq.PAIR).monitor('inproc://mon', -1)", "zmq.error.ZMQError[EINVAL]"),
    ("get-monitor-socket-events-str", "sock(zmq.PAIR).get_monitor_socket('x')", "TypeError"),
    # -- poll and select: negative and bogus fds must give an empty result, not a crash
    ("select-negative-fd", "assert zmq.select([-1], [], [], 0) == ([], [], [])", None),
    ("select-negative-fd-write-error", "assert zmq.select([], [-1], [-1], 0) == ([], [], [])", None),
    ("zmq-poll-negative-fd", "assert zmq.backend.zmq_poll([(-1, zmq.POLLIN)], 0) == []", None),
    ("poller-negative-fd", "p = zmq.Poller(); p.register(-1, zmq.POLLIN); assert p.poll(0) == []", None),
    ("zmq-poll-fileno-negative", """
        class F:
            def fileno(self):
                return -1
        assert zmq.backend.zmq_poll([(F(), zmq.POLLIN)], 0) == []
     """, None),
    ("poller-fileno-negative", """
        class F:
            def fileno(self):
                return -5
        p = zmq.Poller()
        p.register(F(), zmq.POLLIN)
        assert p.poll(0) == []
     """, None),
    ("zmq-poll-fd-not-open", "assert zmq.backend.zmq_poll([(99999, zmq.POLLIN)], 0) == [(99999, zmq.POLLERR)]", None),
    # Nothing to wait for: these return at once even without a timeout.
    ("poller-empty-no-timeout", "assert zmq.Poller().poll() == []", None),
    ("poller-empty-negative-timeout", "assert zmq.Poller().poll(-5) == []", None),
    ("select-empty-no-timeout", "assert zmq.select([], [], []) == ([], [], [])", None),
    ("select-empty-negative-timeout", "assert zmq.select([], [], [], -1) == ([], [], [])", None),
    ("zmq-poll-empty-no-timeout", "assert zmq.backend.zmq_poll([]) == []", None),
    ("zmq-poll-timeout-none", "zmq.backend.zmq_poll([], None)", "TypeError"),
    ("zmq-poll-timeout-str", "zmq.backend.zmq_poll([], 'x')", "TypeError"),
    ("zmq-poll-object", "zmq.backend.zmq_poll([(object(), zmq.POLLIN)], 0)", "TypeError"),
    ("zmq-poll-not-a-list", "zmq.backend.zmq_poll('x', 0)", "ValueError"),
    ("zmq-poll-item-not-a-pair", "zmq.backend.zmq_poll([5], 0)", "TypeError"),
    ("zmq-poll-flags-str", "zmq.backend.zmq_poll([(sock(zmq.PAIR), 'x')], 0)", "TypeError"),
    ("zmq-poll-flags-2pow64", "zmq.backend.zmq_poll([(sock(zmq.PAIR), 2**64)], 0)", "OverflowError"),
    ("zmq-poll-fd-2pow40", "zmq.backend.zmq_poll([(2**40, zmq.POLLIN)], 0)", "OverflowError"),
    ("zmq-poll-fileno-raises", """
        class F:
            def fileno(self):
                raise OSError('gone')
        zmq.backend.zmq_poll([(F(), zmq.POLLIN)], 0)
     """, "ValueError"),
    ("zmq-poll-fileno-str", """
        class F:
            def fileno(self):
                return 'x'
        zmq.backend.zmq_poll([(F(), zmq.POLLIN)], 0)
     """, "ValueError"),
    ("select-fileno-none", """
        class F:
            def fileno(self):
                return None
        zmq.select([F()], [], [], 0)
     """, "ValueError"),
    # A closed socket has no handle: pyzmq polls fd 0 in its place and may
    # report stdin's readiness as the socket's. Refuse instead.
    ("zmq-poll-closed-socket", "zmq.backend.zmq_poll([(closed(), zmq.POLLIN)], 0)", "zmq.error.ZMQError[ENOTSOCK]"),
    ("poller-closed-socket", "p = zmq.Poller(); p.register(closed(), zmq.POLLIN); p.poll(0)",
     "zmq.error.ZMQError[ENOTSOCK]"),
    ("poller-socket-closed-after-register",
     "s = sock(zmq.PAIR); p = zmq.Poller(); p.register(s, zmq.POLLIN); s.close(); p.poll(0)",
     "zmq.error.ZMQError[ENOTSOCK]"),
    ("select-object", "zmq.select([object()], [], [], 0)", "TypeError"),
    ("select-none-list", "zmq.select(None, [], [], 0)", "TypeError"),
    ("select-timeout-str", "zmq.select([], [], [], 'x')", "TypeError"),
    ("select-timeout-nan", "zmq.select([], [], [], float('nan'))", "ValueError"),
    ("select-timeout-1e300", "zmq.select([sock(zmq.PAIR)], [], [], 1e300)", "OverflowError"),
    ("poller-register-object", "p = zmq.Poller(); p.register(object(), zmq.POLLIN); p.poll(0)", "TypeError"),
    ("poller-register-none", "p = zmq.Poller(); p.register(None, zmq.POLLIN); p.poll(0)", "TypeError"),
    ("poller-register-str", "p = zmq.Poller(); p.register('x', zmq.POLLIN); p.poll(0)", "TypeError"),
    ("poller-fd-2pow40", "p = zmq.Poller(); p.register(2**40, zmq.POLLIN); p.poll(0)", "OverflowError"),
    ("poller-flags-999", "p = zmq.Poller(); p.register(sock(zmq.PAIR), 999); assert p.poll(0) == []", None),
    ("poller-flags-negative", "p = zmq.Poller(); p.register(sock(zmq.PAIR), -1); assert p.poll(0) == []", None),
    ("poller-flags-2pow31", "p = zmq.Poller(); p.register(sock(zmq.PAIR), 2**31); p.poll(0)", "OverflowError"),
    ("poller-flags-2pow64", "p = zmq.Poller(); p.register(sock(zmq.PAIR), 2**64); p.poll(0)", "OverflowError"),
    ("poller-flags-str", "p = zmq.Poller(); p.register(sock(zmq.PAIR), 'x'); p.poll(0)", "TypeError"),
    ("poller-unregister-unknown", "zmq.Poller().unregister(sock(zmq.PAIR))", "KeyError"),
    ("poller-timeout-str", "zmq.Poller().poll('x')", "TypeError"),
    ("poller-timeout-nan", "zmq.Poller().poll(float('nan'))", "ValueError"),
    ("poller-timeout-2pow64",
     "p = zmq.Poller(); p.register(sock(zmq.PAIR), zmq.POLLOUT); p.poll(2**64)", "OverflowError"),
    ("socket-poll-timeout-str", "sock(zmq.PAIR).poll('x')", "TypeError"),
    ("socket-poll-flags-str", "sock(zmq.PAIR).poll(0, flags='x')", "TypeError"),
    ("socket-poll-flags-2pow64", "sock(zmq.PAIR).poll(0, flags=2**64)", "OverflowError"),
    # -- Frame and MessageTracker
    ("frame-copy-threshold-negative", "zmq.Frame(b'x' * 100, copy_threshold=-1)", "OverflowError"),
    ("frame-nocopy-copy-threshold-negative", "zmq.Frame(b'x' * 100, copy=False, copy_threshold=-1)",
     "OverflowError"),
    ("frame-copy-threshold-2pow70", "zmq.Frame(b'x' * 100, copy_threshold=2**70)", "OverflowError"),
    ("frame-copy-threshold-str", "zmq.Frame(b'x' * 100, copy_threshold='x')", "TypeError"),
    # pyzmq takes a float threshold; a float is a caller bug.
    ("frame-copy-threshold-float", "zmq.Frame(b'x' * 100, copy_threshold=1.5)", "TypeError"),
    ("frame-str", "zmq.Frame('abc')", "TypeError"),
    ("frame-str-tracked", "zmq.Frame('x', track=True)", "TypeError"),
    ("message-alias-str", "zmq.Message('x')", "TypeError"),
    ("frame-int", "zmq.Frame(5)", "TypeError"),
    ("frame-object", "zmq.Frame(object())", "TypeError"),
    ("frame-list", "zmq.Frame([1, 2])", "TypeError"),
    ("frame-non-contiguous", "zmq.Frame(memoryview(b'abcdef')[::2])", "BufferError"),
    ("frame-non-contiguous-nocopy", "zmq.Frame(memoryview(b'x' * 100000)[::2], copy=False)", "BufferError"),
    ("frame-get-unknown-int", "zmq.Frame(b'x').get(9999)", "zmq.error.ZMQError[EINVAL]"),
    ("frame-get-unknown-name", "zmq.Frame(b'x').get('no-such-property')", "zmq.error.ZMQError[EINVAL]"),
    ("frame-get-none", "zmq.Frame(b'x').get(None)", "TypeError"),
    ("frame-getitem-unknown-name", "zmq.Frame(b'x')['x']", "zmq.error.ZMQError[EINVAL]"),
    ("frame-getitem-slice", "zmq.Frame(b'abc')[-1:]", "TypeError"),
    ("frame-set-unknown", "zmq.Frame(b'x').set(9999, 1)", "zmq.error.ZMQError[EINVAL]"),
    ("frame-set-str-value", "zmq.Frame(b'x').set(zmq.MORE, 'x')", "TypeError"),
    ("frame-untracked-tracker-wait", "zmq.Frame(b'x').tracker.wait()", "AttributeError"),
    ("tracker-str", "zmq.MessageTracker('x')", "TypeError"),
    ("tracker-int", "zmq.MessageTracker(5)", "TypeError"),
    ("tracker-untracked-frame", "zmq.MessageTracker(zmq.Frame(b'x'))", "ValueError"),
    ("tracker-wait-timeout-str", "zmq.MessageTracker().wait('x')", "TypeError"),
    ("tracker-wait-not-done", "import threading; zmq.MessageTracker(threading.Event()).wait(0.01)",
     "zmq.error.NotDone"),
    # -- proxy and device
    ("proxy-none", "zmq.proxy(None, None)", "TypeError"),
    ("proxy-backend-str", "zmq.proxy(sock(zmq.PULL), 'x')", "TypeError"),
    ("proxy-capture-str", "zmq.proxy(sock(zmq.ROUTER), sock(zmq.DEALER), 'x')", "TypeError"),
    ("proxy-steerable-control-str", "zmq.proxy_steerable(sock(zmq.ROUTER), sock(zmq.DEALER), None, 'x')",
     "TypeError"),
    # pyzmq hands libzmq a NULL handle here and gets EFAULT; only the class is the contract.
    ("proxy-closed-sockets", "zmq.proxy(closed(zmq.ROUTER), closed(zmq.DEALER))", "zmq.error.ZMQError"),
    ("proxy-same-closed-socket", "s = closed(); zmq.proxy(s, s)", "zmq.error.ZMQError"),
    ("proxy-steerable-closed-sockets", "zmq.proxy_steerable(closed(), closed(), None, closed())",
     "zmq.error.ZMQError"),
    # pyzmq takes the closed capture for "no capture" and proxies forever.
    ("proxy-closed-capture", "zmq.proxy(sock(zmq.ROUTER), sock(zmq.DEALER), closed(zmq.PUB))",
     "zmq.error.ZMQError[ENOTSOCK]"),
    ("device-closed-sockets", "zmq.device(999, closed(), closed())", "zmq.error.ZMQError"),
    ("device-type-str-closed-sockets", "zmq.device('x', closed(), closed())", "zmq.error.ZMQError"),
    ("device-none", "zmq.device(zmq.QUEUE, None, None)", "TypeError"),
    ("devices-device-socket-type-str", "import zmq.devices; zmq.devices.Device(zmq.QUEUE, 'x', zmq.PUSH).run()",
     "TypeError"),
    # The prefixes are read without the GIL once the loop runs: checked before.
    ("monitored-queue-prefix-none",
     "from zmq.devices import monitored_queue; monitored_queue(sock(zmq.PULL), sock(zmq.PUSH), sock(zmq.PUB), None)",
     "TypeError"),
    ("monitored-queue-prefix-str",
     "from zmq.devices import monitored_queue; monitored_queue(sock(zmq.PULL), sock(zmq.PUSH), sock(zmq.PUB), b'in', 'out')",
     "TypeError"),
    # pyzmq starts forwarding and never returns.
    ("monitored-queue-closed-socket",
     "from zmq.devices import monitored_queue; monitored_queue(sock(zmq.PULL), sock(zmq.PUSH), closed(zmq.PUB))",
     "zmq.error.ZMQError[ENOTSOCK]"),
    # -- CURVE keys
    ("curve-public-non-ascii-str", "zmq.curve_public('é' * 40)", "ValueError"),
    ("curve-public-short", "zmq.curve_public(b'short')", "ValueError"),
    ("curve-public-41-bytes", "zmq.curve_public(b'x' * 41)", "ValueError"),
    ("curve-public-39-chars-str", "zmq.curve_public('x' * 39)", "ValueError"),
    ("curve-public-int", "zmq.curve_public(5)", "TypeError"),
    ("curve-public-none", "zmq.curve_public(None)", "TypeError"),
    ("curve-public-non-z85-bytes", "zmq.curve_public(b'\\xff' * 40)", "zmq.error.ZMQError[EINVAL]"),
    ("curve-public-non-z85-ascii", "zmq.curve_public(b'\"' * 40)", "zmq.error.ZMQError[EINVAL]"),
    ("curve-public-bytearray", "assert len(zmq.curve_public(bytearray(b'x' * 40))) == 40", None),
    ("curve-keypair-argument", "zmq.curve_keypair(1)", "TypeError"),
    # -- asyncio and ZMQStream
    ("asyncio-send-str", """
        import asyncio, zmq.asyncio
        c = zmq.asyncio.Context()
        async def main():
            s = c.socket(zmq.PAIR)
            s.linger = 0
            try:
                await s.send('x')
            finally:
                s.close()
        try:
            asyncio.run(main())
        finally:
            c.destroy(linger=0)
     """, "TypeError"),
    ("asyncio-send-multipart-empty", """
        import asyncio, zmq.asyncio
        c = zmq.asyncio.Context()
        async def main():
            s = c.socket(zmq.PAIR)
            s.linger = 0
            try:
                await s.send_multipart([])
            finally:
                s.close()
        try:
            asyncio.run(main())
        finally:
            c.destroy(linger=0)
     """, "IndexError"),
    ("asyncio-closed-recv", """
        import asyncio, zmq.asyncio
        c = zmq.asyncio.Context()
        async def main():
            s = c.socket(zmq.PAIR)
            s.close()
            await s.recv()
        try:
            asyncio.run(main())
        finally:
            c.destroy(linger=0)
     """, "zmq.error.ZMQError[ENOTSOCK]"),
    # Register and poll in one case: pyzmq refuses the object at poll time,
    # an earlier refusal at register time is as good.
    ("asyncio-poller-object", """
        import asyncio, zmq.asyncio
        async def main():
            p = zmq.asyncio.Poller()
            p.register(object(), zmq.POLLIN)
            await p.poll(0)
        asyncio.run(main())
     """, "TypeError"),
    ("asyncio-from-socket-str", "import zmq.asyncio; zmq.asyncio.Socket.from_socket('x')", "AttributeError"),
    ("zmqstream-none", "from zmq.eventloop.zmqstream import ZMQStream; ZMQStream(None)", "AttributeError"),
    ("zmqstream-int", "from zmq.eventloop.zmqstream import ZMQStream; ZMQStream(5)", "AttributeError"),
    ("zmqstream-closed-socket", "from zmq.eventloop.zmqstream import ZMQStream; ZMQStream(closed())",
     "zmq.error.ZMQError[ENOTSOCK]"),
    ("zmqstream-on-recv-not-callable",
     "from zmq.eventloop.zmqstream import ZMQStream; ZMQStream(sock(zmq.PULL)).on_recv('x')", "AssertionError"),
    # -- ssh: the address is parsed before any ssh process could start
    ("ssh-tunnel-connection-no-scheme",
     "from zmq.ssh import tunnel; tunnel.tunnel_connection(sock(zmq.PAIR), 'nope', 'server')", "ValueError"),
    ("ssh-open-tunnel-no-port", "from zmq.ssh import tunnel; tunnel.open_tunnel('tcp://127.0.0.1', 'server')",
     "ValueError"),
    ("ssh-open-tunnel-port-not-a-number",
     "from zmq.ssh import tunnel; tunnel.open_tunnel('tcp://127.0.0.1:abc', 'server')", "ValueError"),
    # -- module functions
    ("strerror-str", "zmq.strerror('x')", "TypeError"),
    ("strerror-2pow64", "zmq.strerror(2**64)", "OverflowError"),
    ("has-int", "zmq.has(5)", "TypeError"),
    ("has-none", "zmq.has(None)", "TypeError"),
]

# ---------------------------------------------------------------------------
# Pure-Python entry points: run in-process. Names available: zmq, sock (the
# shared socket fixture) and tmp_path.
# ---------------------------------------------------------------------------

IN_PROCESS_CASES = [
    ("z85-encode-length-3", "import zmq.utils.z85 as z; z.encode(b'abc')", "ValueError"),
    ("z85-decode-length-4", "import zmq.utils.z85 as z; z.decode(b'abcd')", "ValueError"),
    ("z85-decode-non-ascii-str", "import zmq.utils.z85 as z; z.decode('é' * 5)", "ValueError"),
    ("z85-decode-char-outside-alphabet", "import zmq.utils.z85 as z; z.decode(b'\\x7f' * 5)", "KeyError"),
    ("z85-decode-high-byte", "import zmq.utils.z85 as z; z.decode(b'\\xff' * 5)", "KeyError"),
    # A group above 2**32 - 1.
    ("z85-decode-group-overflow", "import zmq.utils.z85 as z; z.decode(b'#####')", "struct.error"),
    ("z85-decode-none", "import zmq.utils.z85 as z; z.decode(None)", "TypeError"),
    ("z85-encode-str", "import zmq.utils.z85 as z; z.encode('abcd')", "TypeError"),
    ("z85-encode-none", "import zmq.utils.z85 as z; z.encode(None)", "TypeError"),
    ("z85-encode-int", "import zmq.utils.z85 as z; z.encode(4)", "TypeError"),
    ("jsonapi-loads-non-utf8", "import zmq.utils.jsonapi as j; j.loads(b'\\xff')", "UnicodeDecodeError"),
    ("jsonapi-loads-invalid", "import zmq.utils.jsonapi as j; j.loads('{')", "json.decoder.JSONDecodeError"),
    ("jsonapi-loads-none", "import zmq.utils.jsonapi as j; j.loads(None)", "TypeError"),
    ("jsonapi-dumps-object", "import zmq.utils.jsonapi as j; j.dumps(object())", "TypeError"),
    ("auth-load-certificate-missing", "import zmq.auth; zmq.auth.load_certificate(str(tmp_path / 'none.key'))",
     "OSError"),
    ("auth-load-certificate-empty", """
        import zmq.auth
        path = tmp_path / 'empty.key'
        path.write_bytes(b'')
        zmq.auth.load_certificate(str(path))
     """, "ValueError"),
    ("auth-load-certificate-garbage", """
        import zmq.auth
        path = tmp_path / 'garbage.key'
        path.write_bytes(b'\\xff\\xfe not a certificate')
        zmq.auth.load_certificate(str(path))
     """, "ValueError"),
    ("auth-load-certificate-none", "import zmq.auth; zmq.auth.load_certificate(None)", "TypeError"),
    ("auth-load-certificates-missing-dir",
     "import zmq.auth; zmq.auth.load_certificates(str(tmp_path / 'none'))", "OSError"),
    ("auth-create-certificates-missing-dir",
     "import zmq.auth; zmq.auth.create_certificates(str(tmp_path / 'none'), 'x')", "FileNotFoundError"),
    ("monitor-parse-one-frame", "import zmq.utils.monitor as m; m.parse_monitor_message([b'x'])", "RuntimeError"),
    ("monitor-parse-no-frames", "import zmq.utils.monitor as m; m.parse_monitor_message([])", "RuntimeError"),
    ("monitor-parse-str-frames", "import zmq.utils.monitor as m; m.parse_monitor_message(['x', 'y'])",
     "RuntimeError"),
]


# ---------------------------------------------------------------------------
# Running a case. _describe and _run_case run both here and, by source, in the
# child interpreter.
# ---------------------------------------------------------------------------


def _describe(exc):
    """What the test checks about an exception, as JSON-able data."""
    import errno as errno_module

    import zmq as zmq_module

    def name(cls):
        if cls.__module__ == "builtins":
            return cls.__qualname__
        return f"{cls.__module__}.{cls.__qualname__}"

    errno_name = None
    if isinstance(exc, zmq_module.ZMQError):
        errno_name = errno_module.errorcode.get(exc.errno)
        for symbol in ("EFSM", "ENOCOMPATPROTO", "ETERM", "EMTHREAD"):
            if errno_name is None and exc.errno == getattr(zmq_module, symbol):
                errno_name = symbol
        errno_name = errno_name or str(exc.errno)
    return {
        "classes": [name(cls) for cls in type(exc).__mro__ if cls is not object],
        "errno": errno_name,
        "repr": repr(exc)[:300],
    }


def _run_case(case_id, code, namespace):
    """None if the snippet ran through, else _describe of what it raised."""
    import textwrap as textwrap_module

    try:
        exec(compile(textwrap_module.dedent(code), case_id, "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - SystemExit too is an outcome to report
        return _describe(exc)
    return None


def _child_main():
    """Runs the cases read from stdin in order; one '@@start' and one '@@end'
    line per case on stdout, so the parent knows which case a crash hit."""
    import faulthandler
    import itertools
    import json as json_module
    import sys

    import zmq as zmq_module

    request = json_module.loads(sys.stdin.read())
    inproc_numbers = itertools.count()

    for case_id, code in request["cases"]:
        print("@@start", case_id, flush=True)
        # On a hang: dump every thread's stack to stderr and exit the child.
        faulthandler.dump_traceback_later(request["case_seconds"], exit=True)
        ctx = zmq_module.Context()

        def sock(kind, ctx=ctx):
            s = ctx.socket(kind)
            s.linger = 0
            s.rcvtimeo = s.sndtimeo = 2000
            return s

        def closed(kind=zmq_module.PAIR, sock=sock):
            s = sock(kind)
            s.close()
            return s

        def pair(kind=zmq_module.PAIR, peer=None, sock=sock):
            a, b = sock(kind), sock(peer if peer is not None else kind)
            url = f"inproc://bad-input-{next(inproc_numbers)}"
            a.bind(url)
            b.connect(url)
            return a, b

        namespace = {"zmq": zmq_module, "ctx": ctx, "sock": sock, "closed": closed, "pair": pair}
        try:
            outcome = _run_case(case_id, code, namespace)
        finally:
            ctx.destroy(linger=0)
        faulthandler.cancel_dump_traceback_later()
        print("@@end", case_id, json_module.dumps(outcome), flush=True)
    print("@@done", flush=True)


_CHILD_SOURCE = "\n\n".join(
    [inspect.getsource(_describe), inspect.getsource(_run_case), inspect.getsource(_child_main), "_child_main()\n"]
)


def _format_outcome(outcome):
    if outcome is None:
        return "no exception"
    errno_part = f" [{outcome['errno']}]" if outcome["errno"] else ""
    return f"{outcome['classes'][0]}{errno_part}: {outcome['repr']}"


def _assert_outcome(case_id, expected, outcome):
    if expected is None:
        assert outcome is None, f"{case_id}: expected no exception, got {_format_outcome(outcome)}"
        return
    class_name, _, errno_name = expected.partition("[")
    errno_name = errno_name.rstrip("]")
    assert outcome is not None, f"{case_id}: expected {expected}, got no exception"
    assert class_name in outcome["classes"], f"{case_id}: expected {expected}, got {_format_outcome(outcome)}"
    if errno_name:
        assert outcome["errno"] == errno_name, f"{case_id}: expected {expected}, got {_format_outcome(outcome)}"


# ---------------------------------------------------------------------------
# The child batches. A batch runs the cases from a given one to the end of the
# table in one interpreter; when the child dies, the results so far are kept,
# and the case it died in is charged with the crash or the hang. The next case
# without a result starts a new batch.
# ---------------------------------------------------------------------------

_CHILD_IDS = [case[0] for case in CHILD_CASES]
_CHILD_CODE = {case[0]: case[1] for case in CHILD_CASES}
# case id -> ("ok", outcome) | ("dead", message)
_results: dict = {}
# case id -> message: the case killed a batch in which it was not the first case.
_died_after_others: dict = {}


def _signal_name(returncode):
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def _run_batch(run_python, first):
    ids = _CHILD_IDS[_CHILD_IDS.index(first):]
    request = {"case_seconds": CASE_SECONDS, "cases": [[i, _CHILD_CODE[i]] for i in ids]}
    timed_out = False
    try:
        proc = run_python(_CHILD_SOURCE, timeout=BATCH_SECONDS, input=json.dumps(request))
        stdout, stderr, returncode = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        # What the child wrote before the kill; it may still be bytes.
        timed_out = True
        stdout, stderr, returncode = exc.stdout or "", exc.stderr or "", None
        stdout = stdout.decode(errors="replace") if isinstance(stdout, bytes) else stdout
        stderr = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr

    running, done = None, False
    for line in stdout.splitlines():
        tag, _, rest = line.partition(" ")
        if tag == "@@start":
            running = rest
        elif tag == "@@end":
            case_id, _, outcome = rest.partition(" ")
            _results[case_id] = ("ok", json.loads(outcome))
            running = None
        elif tag == "@@done":
            done = True

    tail = stderr[-3000:]
    if running is None and not done:
        pytest.fail(f"the child interpreter failed before its first case (rc={returncode}):\n{tail}")
    if done:
        if returncode != 0:
            # Every case finished; the interpreter died on its way out.
            _results[ids[-1]] = ("dead", f"the child exited with rc={returncode} after the last case:\n{tail}")
        return
    if timed_out or "Timeout (" in stderr:
        message = f"hung: no result within {CASE_SECONDS} s\n{tail}"
    elif returncode is not None and returncode < 0:
        message = f"crashed the interpreter with {_signal_name(returncode)} (rc={returncode})\n{tail}"
    else:
        message = f"the interpreter exited mid-case with rc={returncode}\n{tail}"
    if running == first or message.startswith("hung"):
        _results[running] = ("dead", message)
    else:
        # Give it a batch of its own before blaming it alone.
        _died_after_others[running] = message


@pytest.fixture
def child_result(run_python):
    def get(case_id):
        if case_id not in _results:
            _run_batch(run_python, case_id)
        return _results[case_id]

    return get


def _params(cases):
    return [pytest.param(case_id, expected, id=case_id) for case_id, _, expected in cases]


@pytest.mark.parametrize("case_id, expected", _params(CHILD_CASES))
def test_bad_input_in_child(case_id, expected, child_result):
    kind, value = child_result(case_id)
    if kind == "dead":
        pytest.fail(f"{case_id}: {value}")
    earlier = _died_after_others.get(case_id)
    if earlier is not None:
        pytest.fail(
            f"{case_id}: run after the preceding cases in one interpreter it {earlier}\n"
            f"run first in its own interpreter it gave: {_format_outcome(value)}"
        )
    _assert_outcome(case_id, expected, value)


_IN_PROCESS_CODE = {case[0]: case[1] for case in IN_PROCESS_CASES}


@pytest.mark.parametrize("case_id, expected", _params(IN_PROCESS_CASES))
def test_bad_input_in_process(case_id, expected, socket, tmp_path):
    namespace = {"zmq": zmq, "sock": socket, "tmp_path": tmp_path}
    _assert_outcome(case_id, expected, _run_case(case_id, _IN_PROCESS_CODE[case_id], namespace))


def test_case_ids_are_unique():
    ids = [case[0] for case in CHILD_CASES + IN_PROCESS_CASES]
    assert len(ids) == len(set(ids))
