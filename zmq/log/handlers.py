"""A logging handler publishing records on a zmq PUB socket.

Each record goes out as a two-part message: the topic, then the formatted
record (UTF-8). The topic is made of dot-separated words:

    [root_topic.]LEVELNAME[.subtopic]

The subtopic comes from a message written ``"subtopic::the message"`` (the
text before the first TOPIC_DELIM), or from the topic argument of a
TopicLogger's methods. Subscribers filter on the topic's prefix, e.g.
``sub.subscribe("myapp.ERROR")``.
"""

from __future__ import annotations

import copy
import io
import logging
import os
import sys
import traceback
from typing import TYPE_CHECKING, Any

import zmq

if TYPE_CHECKING:  # pragma: no cover
    from types import FrameType
    from typing import Final

__all__ = ["PUBHandler", "TopicLogger", "TOPIC_DELIM"]

# Separates a subtopic from the rest of a log message: "sub.topic::message".
TOPIC_DELIM: Final = "::"

_PLAIN = "%(message)s\n"
_LOCATED = "%(levelname)s %(filename)s:%(lineno)d - %(message)s\n"
_LOCATED_EXC = "%(levelname)s %(filename)s:%(lineno)d - %(message)s - %(exc_info)s\n"


def _default_formatters() -> dict[int, logging.Formatter | None]:
    return {
        logging.DEBUG: logging.Formatter(_LOCATED),
        logging.INFO: logging.Formatter(_PLAIN),
        logging.WARNING: logging.Formatter(_LOCATED),
        logging.ERROR: logging.Formatter(_LOCATED_EXC),
        logging.CRITICAL: logging.Formatter(_LOCATED),
    }


class PUBHandler(logging.Handler):
    """Publishes log records on a PUB socket.

    interface_or_socket is either a socket (usually PUB, already bound or
    connected as wished) or an address to bind a new PUB socket to, made
    from `context` (default: a new Context of the handler's own).

        handler = PUBHandler("tcp://127.0.0.1:5555", root_topic="myapp")
        logging.getLogger().addHandler(handler)

    Each level has its own Formatter, in ``formatters`` (see setFormatter);
    by default INFO records are sent as their bare message, the others with
    level, file and line in front.
    """

    socket: zmq.Socket[Any]
    ctx: zmq.Context[Any]
    formatters: dict[int, logging.Formatter | None]

    def __init__(
        self,
        interface_or_socket: str | zmq.Socket[Any],
        context: zmq.Context[Any] | None = None,
        root_topic: str = "",
    ) -> None:
        super().__init__()
        self.setRootTopic(root_topic)
        self.formatters = _default_formatters()
        if isinstance(interface_or_socket, zmq.Socket):
            self.socket = interface_or_socket
            self.ctx = interface_or_socket.context
        else:
            self.ctx = context if context is not None else zmq.Context()
            self.socket = self.ctx.socket(zmq.PUB)
            try:
                self.socket.bind(interface_or_socket)
            except BaseException:
                self.socket.close(linger=0)
                raise

    @property
    def root_topic(self) -> str:
        """The first word(s) of every topic this handler publishes ('' for none)."""
        return self._root_topic

    @root_topic.setter
    def root_topic(self, value: str) -> None:
        self.setRootTopic(value)

    def setRootTopic(self, root_topic: str) -> None:
        """Set the topic prefix put before the level name of every message.

        With the default '' topics start with the level name ("INFO", ...).
        Bytes are decoded as UTF-8.
        """
        if isinstance(root_topic, bytes):
            root_topic = root_topic.decode("utf8")
        self._root_topic = root_topic

    def setFormatter(self, fmt: logging.Formatter | None, level: int = logging.NOTSET) -> None:
        """Use `fmt` for the records of `level`, or, with level NOTSET (the
        default), for every level in ``formatters``."""
        if level == logging.NOTSET:
            for key in self.formatters:
                self.formatters[key] = fmt
        else:
            self.formatters[level] = fmt

    def _formatter_for(self, levelno: int) -> logging.Formatter | None:
        formatters = self.formatters
        if levelno in formatters:
            return formatters[levelno]
        # A level without a formatter of its own (a custom level): that of the
        # closest level below it, or else of the lowest level there is.
        below = [level for level in formatters if level <= levelno]
        if below:
            return formatters[max(below)]
        if formatters:
            return formatters[min(formatters)]
        return None

    def format(self, record: logging.LogRecord) -> str:
        """Format a record with the formatter of its level."""
        formatter = self._formatter_for(record.levelno)
        if formatter is None:
            return super().format(record)
        return formatter.format(record)

    def _topic(self, record: logging.LogRecord, subtopic: str) -> str:
        words = []
        if self._root_topic:
            words.append(self._root_topic)
        words.append(record.levelname)
        if subtopic:
            words.append(subtopic)
        return ".".join(words)

    def emit(self, record: logging.LogRecord) -> None:
        """Publish a record as [topic, formatted record]."""
        subtopic = ""
        if isinstance(record.msg, str) and TOPIC_DELIM in record.msg:
            subtopic, rest = record.msg.split(TOPIC_DELIM, 1)
            # Other handlers of the record must still see it whole.
            record = copy.copy(record)
            record.msg = rest
        btopic = self._topic(record, subtopic).encode("utf8")
        try:
            bmsg = self.format(record).encode("utf8")
        except Exception:
            self.handleError(record)
            return
        self.socket.send_multipart([btopic, bmsg])


class TopicLogger(logging.Logger):
    """A Logger whose methods take a topic before the message:

        logger.info("db.queries", "took %d ms", 12)

    logs "db.queries::took 12 ms", which a PUBHandler publishes under the
    topic INFO.db.queries (with its root topic in front, if any).
    """

    def findCaller(self, stack_info: bool = False, stacklevel: int = 1) -> tuple[str, int, str, str | None]:
        # The record's file and line are those of the code calling this
        # logger's methods: frames of logging and of this module are skipped.
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and os.path.normcase(frame.f_code.co_filename) in _SKIPPED_FILES:
            frame = frame.f_back
        while frame is not None and stacklevel > 1:
            if frame.f_back is None:
                break
            frame = frame.f_back
            stacklevel -= 1
        if frame is None:
            return "(unknown file)", 0, "(unknown function)", None
        sinfo = None
        if stack_info:
            out = io.StringIO()
            out.write("Stack (most recent call last):\n")
            traceback.print_stack(frame, file=out)
            sinfo = out.getvalue().rstrip("\n")
        code = frame.f_code
        return code.co_filename, frame.f_lineno, code.co_name, sinfo

    def _log_topic(self, level: int, topic: str, msg: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        logging.Logger.log(self, level, f"{topic}{TOPIC_DELIM}{msg}", *args, **kwargs)

    def log(self, level: int, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        """Log ``msg % args`` at `level` under `topic`; exc_info, extra,
        stack_info and stacklevel work as for Logger.log."""
        self._log_topic(level, topic, msg, args, kwargs)

    def debug(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.DEBUG, topic, msg, args, kwargs)

    def info(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.INFO, topic, msg, args, kwargs)

    def warning(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.WARNING, topic, msg, args, kwargs)

    def warn(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.WARNING, topic, msg, args, kwargs)

    def error(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.ERROR, topic, msg, args, kwargs)

    def exception(self, topic: str, msg: str, *args: Any, exc_info: Any = True, **kwargs: Any) -> None:  # type: ignore[override]
        kwargs["exc_info"] = exc_info
        self._log_topic(logging.ERROR, topic, msg, args, kwargs)

    def critical(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._log_topic(logging.CRITICAL, topic, msg, args, kwargs)

    fatal = critical  # type: ignore[assignment]


_SKIPPED_FILES = frozenset(
    os.path.normcase(code.co_filename) for code in (logging.addLevelName.__code__, TopicLogger.log.__code__)
)
