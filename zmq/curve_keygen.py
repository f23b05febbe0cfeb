"""python -m zmq.curve_keygen: print a new CURVE key pair (--json for JSON,
--secret SECRET to derive the public key of an existing secret key), or,
given a NAME, write it as the certificate files NAME.key and NAME.key_secret."""

from __future__ import annotations

import argparse
import json
import sys

import zmq


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m zmq.curve_keygen",
        description="Generate a zmq CURVE key pair: a 'public' and a 'secret' key, z85-encoded "
        "(ASCII safe). With NAME, write them as certificate files NAME.key and NAME.key_secret "
        "in the current directory instead of printing them.")
    parser.add_argument("name", nargs="?", help="write the certificate files NAME.key and NAME.key_secret")
    parser.add_argument("--json", action="store_true", help="print the keys as a JSON dict")
    parser.add_argument("--secret", help="derive the public key of this secret key")
    args = parser.parse_args(argv)

    if args.name is not None:
        if args.secret is not None or args.json:
            parser.error("NAME writes certificate files; it does not go with --json or --secret")
        from zmq.auth.certs import create_certificates

        for path in create_certificates(".", args.name):
            print(path)
        return

    if args.secret is not None:
        secret = args.secret
        try:
            public = zmq.curve_public(secret.encode("ascii")).decode("ascii")
        except (ValueError, UnicodeEncodeError, zmq.ZMQError) as e:
            print(f"invalid secret key: {e}", file=sys.stderr)
            sys.exit(1)
    else:
        public_b, secret_b = zmq.curve_keypair()
        public, secret = public_b.decode("ascii"), secret_b.decode("ascii")

    if args.json:
        print(json.dumps({"public": public, "secret": secret}, indent=1))
    else:
        print("== CURVE PUBLIC KEY ==")
        print(public)
        print()
        print("== CURVE SECRET KEY ==")
        print(secret)


if __name__ == "__main__":
    _main()
