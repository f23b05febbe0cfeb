"""Print the log messages a PUBHandler publishes.

    python -m zmq.log [-t TOPIC] [--timestamp] [--separator SEP]
                      [--dateformat FMT] [--align] [--color] zmq_pub_url

Connects a SUB socket to the publisher's address, subscribes to TOPIC (all
messages by default) and prints one line per message:

    [timestamp ]topic | message

Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

import zmq

# Colors (colorama's names) of the standard levels, with --color.
_LEVEL_COLORS = {
    "DEBUG": "LIGHTCYAN_EX",
    "INFO": "LIGHTWHITE_EX",
    "WARNING": "YELLOW",
    "ERROR": "LIGHTRED_EX",
    "CRITICAL": "LIGHTRED_EX",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ZMQ Log Watcher")
    parser.add_argument("zmq_pub_url", type=str, help="Address of the PUB socket publishing the log messages.")
    parser.add_argument("-t", "--topic", type=str, default="",
                        help="Receive only the messages whose topic starts with TOPIC.")
    parser.add_argument("--timestamp", action="store_true", help="Print the local time before each message.")
    parser.add_argument("--separator", type=str, default=" | ", help="Text printed between topic and message.")
    parser.add_argument("--dateformat", type=str, default="%Y-%m-%d %H:%M",
                        help="strftime format of the --timestamp time.")
    parser.add_argument("--align", action="store_true",
                        help="Pad each word of the topics to the widest seen yet, so that the messages line up.")
    parser.add_argument("--color", action="store_true",
                        help="Color messages by their level (needs the colorama module).")
    return parser


class _Aligner:
    """Pads the dot-separated words of topics to the widest word seen so far
    at each position."""

    def __init__(self) -> None:
        self.widths: list[int] = []

    def __call__(self, words: list[str]) -> str:
        widths = self.widths
        for i, word in enumerate(words):
            if i < len(widths):
                widths[i] = max(widths[i], len(word))
            else:
                widths.append(len(word))
        # Topics shorter than the longest seen are padded with empty words.
        words = words + [""] * (len(widths) - len(words))
        return ".".join(word.ljust(width) for word, width in zip(words, widths))


def _split(frames: list[bytes]) -> tuple[bytes, bytes]:
    # A PUBHandler sends [topic, message]; be lenient with other publishers.
    if len(frames) == 1:
        return b"", frames[0]
    return frames[0], b" ".join(frames[1:])


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)

    colors: dict[str, str] = {}
    reset = ""
    if args.color:
        try:
            import colorama  # type: ignore[import-untyped, unused-ignore]
        except ImportError:
            sys.stderr.write("zmq.log: --color needs the colorama module (pip install colorama)\n")
            raise SystemExit(1) from None
        colorama.init()
        colors = {level: getattr(colorama.Fore, name) for level, name in _LEVEL_COLORS.items()}
        reset = colorama.Fore.RESET

    align = _Aligner() if args.align else None

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    try:
        sub.subscribe(args.topic)
        sub.connect(args.zmq_pub_url)
        while True:
            btopic, bmsg = _split(sub.recv_multipart())
            topic = btopic.decode("utf8", "replace").strip()
            msg = bmsg.decode("utf8", "replace").strip()
            words = topic.split(".")
            # The level: the first word of a topic, or the second when there
            # are more (the first being a root topic).
            level = words[1] if len(words) > 1 else words[0]
            if align is not None:
                topic = align(words)
            stamp = datetime.now().strftime(args.dateformat) + " " if args.timestamp else ""
            print(f"{stamp}{colors.get(level, '')}{topic}{args.separator}{msg}{reset}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        sub.close()
        ctx.term()


if __name__ == "__main__":
    main()
