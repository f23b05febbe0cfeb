"""The ZAP handler: answers libzmq's authentication requests (ZAP 1.0, RFC 27)
for every socket of one context that uses a security mechanism.

Authenticator is the policy and the message handling, bound to
inproc://zeromq.zap.01 by start(); it does not read its socket by itself.
zmq.auth.thread and zmq.auth.asyncio run it in a thread or an event loop.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from collections.abc import Mapping
from typing import Any, Optional, Union

import zmq
from zmq.utils import z85

from .certs import load_certificates

__all__ = ["Authenticator", "CURVE_ALLOW_ANY"]

CURVE_ALLOW_ANY = "*"
VERSION = b"1.0"

ZAP_ENDPOINT = "inproc://zeromq.zap.01"

# A request is version, request id, domain, address, identity, mechanism,
# then the mechanism's credentials.
_HEADER_FRAMES = 6


def _describe_request(msg: list[bytes]) -> str:
    """A ZAP request for the log, without its credentials (a PLAIN password)."""
    if len(msg) < _HEADER_FRAMES:
        return f"malformed ZAP request of {len(msg)} frames"
    mechanism = msg[5].decode("ascii", "replace")
    address = msg[3].decode("ascii", "replace")
    return f"ZAP request {msg[1]!r} ({mechanism} from {address})"


class Authenticator:
    """ZAP authentication policy for the sockets of one context.

    Policies, all optional and combinable:

    - allow(*ips) or deny(*ips): accept only, or refuse, peers by IP address,
      before any mechanism is considered;
    - NULL: accepted once the address passes (libzmq asks ZAP about NULL
      only for sockets with a zap_domain);
    - PLAIN: configure_plain(domain, {username: password});
    - CURVE: configure_curve(domain, directory of public certificates), or
      configure_curve(location=CURVE_ALLOW_ANY) for any key, or
      configure_curve_callback(domain, provider) to ask provider.callback;
    - GSSAPI: accepted (nothing to configure).

    A PLAIN or CURVE peer is refused until its policy is configured. A
    request's empty ZAP domain is looked up as '*'; any other domain must be
    configured by name.

    start() binds the handler socket, zap_socket; something must then read
    it and await handle_zap_message(msg) for each request (see
    ThreadAuthenticator, AsyncioAuthenticator). stop() closes it.
    """

    context: zmq.Context[Any]
    encoding: str
    allow_any: bool
    credentials_providers: dict[str, Any]
    zap_socket: zmq.Socket[Any]
    _allowed: set[str]
    _denied: set[str]
    passwords: dict[str, dict[str, str]]
    certs: dict[str, dict[bytes, Any]]
    log: Any

    def __init__(self, context: Optional[zmq.Context[Any]] = None, encoding: str = "utf-8",
                 log: Any = None) -> None:
        self.context = context or zmq.Context.instance()
        self.encoding = encoding
        self.allow_any = False
        self.credentials_providers = {}
        self.zap_socket = None  # type: ignore[assignment]
        self._allowed = set()
        self._denied = set()
        self.passwords = {}
        self.certs = {}
        self.log = log or logging.getLogger("zmq.auth")

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Bind the ZAP handler socket (zap_socket) in this context.

        ZMQError(EADDRINUSE) if another handler is bound in the context."""
        self.log.debug("Starting")
        if self.zap_socket is not None:
            raise RuntimeError("this Authenticator is already started; stop() it first")
        # Always a plain blocking socket, also in an asyncio context: the
        # handlers read it without blocking after polling its fd themselves.
        sock = self.context.socket(zmq.REP, socket_class=zmq.Socket)
        sock.linger = 1
        try:
            sock.bind(ZAP_ENDPOINT)
        except BaseException:
            sock.close(linger=0)
            raise
        self.zap_socket = sock

    def stop(self) -> None:
        """Unbind and close the ZAP handler socket; sockets of the context
        that need ZAP then fail their handshakes. Calling it again is a no-op."""
        sock, self.zap_socket = self.zap_socket, None  # type: ignore[assignment]
        if sock is None or sock.closed:
            return
        # Closing alone releases the inproc name later, in libzmq's reaper;
        # unbinding first frees it now, so a new handler can start at once.
        try:
            sock.unbind(ZAP_ENDPOINT)
        except zmq.ZMQError:
            pass
        sock.close()

    # ---------------------------------------------------------- policies

    def allow(self, *addresses: str) -> None:
        """Accept peers from these IP addresses only (others are refused
        before any mechanism is checked). Excludes deny()."""
        if self._denied:
            raise ValueError("Only use allow or deny, not both: deny() was already called")
        self._check_addresses(addresses)
        self.log.debug("Allowing %s", ",".join(addresses))
        self._allowed.update(addresses)

    def deny(self, *addresses: str) -> None:
        """Refuse peers from these IP addresses; the others go on to their
        mechanism's checks. Excludes allow()."""
        if self._allowed:
            raise ValueError("Only use allow or deny, not both: allow() was already called")
        self._check_addresses(addresses)
        self.log.debug("Denying %s", ",".join(addresses))
        self._denied.update(addresses)

    @staticmethod
    def _check_addresses(addresses: tuple[object, ...]) -> None:
        for address in addresses:
            if not isinstance(address, str):
                raise TypeError(f"IP addresses must be str, not {type(address).__name__}: {address!r}")

    def configure_plain(self, domain: str = "*", passwords: Optional[dict[str, str]] = None) -> None:
        """Accept PLAIN peers of this ZAP domain ('*': the default domain)
        whose username maps to their password in passwords ({str: str}).

        The mapping is kept, not copied: later changes to it take effect.
        An empty or None passwords leaves the domain's configuration as it is."""
        if passwords:
            if not isinstance(passwords, Mapping):
                raise TypeError(f"passwords must be a mapping of str to str, not {type(passwords).__name__}")
            for username, password in passwords.items():
                if not isinstance(username, str) or not isinstance(password, str):
                    raise TypeError(
                        f"passwords must map str usernames to str passwords, got {username!r}: {type(password).__name__}"
                    )
            self.passwords[domain] = passwords
        self.log.debug("Configure plain: %s", domain)

    def configure_curve(self, domain: str = "*", location: Union[str, os.PathLike[str]] = ".") -> None:
        """Accept CURVE peers of this ZAP domain whose public key has a
        certificate (*.key) in the directory location; with
        location=CURVE_ALLOW_ANY, accept any CURVE peer in every domain.

        The directory is read now: call this again after changing it.
        OSError or ValueError (naming the file) if it cannot be read, in which
        case the configuration is left as it was."""
        self.log.debug("Configure curve: %s[%s]", domain, location)
        if location == CURVE_ALLOW_ANY:
            self.allow_any = True
            return
        try:
            keys = load_certificates(location)
        except Exception as exc:
            self.log.error("Failed to load CURVE certs from %s: %s", location, exc)
            raise
        self.allow_any = False
        self.certs[domain] = keys

    def configure_curve_callback(self, domain: str = "*", credentials_provider: Any = None) -> None:
        """Accept CURVE peers of this ZAP domain for which
        credentials_provider.callback(domain, z85_public_key) returns true
        (or an awaitable resolving to true). domain is passed as configured
        ('*' for the default domain). Takes precedence over configure_curve's
        certificates for the same domain; CURVE_ALLOW_ANY is turned off."""
        self.allow_any = False
        if credentials_provider is None or not callable(getattr(credentials_provider, "callback", None)):
            raise TypeError(
                "credentials_provider must have a callback(domain, key) method, "
                f"got {credentials_provider!r} for domain {domain!r}"
            )
        self.credentials_providers[domain] = credentials_provider
        self.log.debug("Configure curve callback: %s", domain)

    def curve_user_id(self, client_public_key: bytes) -> str:
        """The User-Id reported for an accepted CURVE peer, from its raw
        32-byte public key: the key's Z85 text. Override to map keys to names."""
        return z85.encode(client_public_key).decode("ascii")

    def configure_gssapi(self, domain: str = "*", location: Optional[str] = None) -> None:
        """GSSAPI peers are accepted with their principal as User-Id; there
        is nothing to configure, this exists for symmetry."""
        self.log.debug("Configure gssapi: %s", domain)

    # ------------------------------------------------------------ ZAP

    async def handle_zap_message(self, msg: list[bytes]) -> None:
        """Answer one ZAP request (the frames read from zap_socket).

        Always sends exactly one reply. Malformed requests are refused with
        status 400. If a user hook (a credentials provider, curve_user_id)
        raises, the peer is refused with status 500 and the exception is
        raised here."""
        request_id = msg[1] if len(msg) > 1 else b""
        try:
            status_code, status_text, user_id = await self._decide(msg)
        except Exception:
            self._send_zap_reply(request_id, b"500", b"Internal error")
            raise
        self._send_zap_reply(request_id, status_code, status_text, user_id)

    async def _decide(self, msg: list[bytes]) -> tuple[bytes, bytes, Union[str, bytes]]:
        if len(msg) < _HEADER_FRAMES:
            self.log.error("Invalid ZAP message, not enough frames: %d", len(msg))
            return b"400", b"Not enough frames", ""
        version, request_id, domain_b, address_b, identity, mechanism = msg[:_HEADER_FRAMES]
        credentials = msg[_HEADER_FRAMES:]
        if version != VERSION:
            self.log.error("Invalid ZAP version: %r", version)
            return b"400", b"Invalid version", ""
        domain = domain_b.decode(self.encoding, "replace")
        address = address_b.decode("ascii", "replace")
        self.log.debug(
            "version: %r, request_id: %r, domain: %r, address: %r, identity: %r, mechanism: %r",
            version, request_id, domain, address, identity, mechanism,
        )

        if self._allowed:
            if address not in self._allowed:
                self.log.debug("DENIED (not allowed) address=%s", address)
                return b"400", b"Address not allowed", ""
            self.log.debug("PASSED (allowed) address=%s", address)
        elif self._denied:
            if address in self._denied:
                self.log.debug("DENIED (denied) address=%s", address)
                return b"400", b"Address denied", ""
            self.log.debug("PASSED (not denied) address=%s", address)

        if mechanism == b"NULL":
            self.log.debug("ALLOWED (NULL)")
            return b"200", b"OK", "anonymous"

        if mechanism == b"PLAIN":
            if len(credentials) != 2:
                self.log.error("Invalid PLAIN credentials: %d frames", len(credentials))
                return b"400", b"Invalid credentials", ""
            try:
                username = credentials[0].decode(self.encoding)
                password = credentials[1].decode(self.encoding)
            except UnicodeDecodeError:
                self.log.debug("DENIED (PLAIN) credentials are not %s text", self.encoding)
                return b"400", b"Invalid credentials", ""
            allowed, reason = self._authenticate_plain(domain, username, password)
            return (b"200", b"OK", username) if allowed else (b"400", reason, "")

        if mechanism == b"CURVE":
            if len(credentials) != 1 or len(credentials[0]) != 32:
                self.log.error(
                    "Invalid CURVE credentials: %d frames of %s bytes",
                    len(credentials), [len(c) for c in credentials],
                )
                return b"400", b"Invalid credentials", ""
            raw_key = credentials[0]
            allowed, reason = await self._authenticate_curve(domain, z85.encode(raw_key))
            if not allowed:
                return b"400", reason, ""
            user_id = self.curve_user_id(raw_key)
            if not isinstance(user_id, (str, bytes)):
                raise TypeError(f"curve_user_id must return str or bytes, not {type(user_id).__name__}")
            return b"200", b"OK", user_id

        if mechanism == b"GSSAPI":
            if len(credentials) != 1:
                self.log.error("Invalid GSSAPI credentials: %d frames", len(credentials))
                return b"400", b"Invalid credentials", ""
            principal = credentials[0]
            allowed, reason = self._authenticate_gssapi(domain, principal)
            return (b"200", b"OK", principal) if allowed else (b"400", reason, "")

        self.log.debug("DENIED (unknown mechanism %r)", mechanism)
        return b"400", b"NO ACCESS", ""

    def _authenticate_plain(self, domain: str, username: str, password: str) -> tuple[bool, bytes]:
        """(allowed, reason) for PLAIN credentials."""
        domain = domain or "*"
        if not self.passwords:
            reason = b"No passwords defined"
            self.log.debug("DENIED (PLAIN) %s", reason)
            return False, reason
        passwords = self.passwords.get(domain)
        if passwords is None:
            reason = b"Invalid domain"
        elif username not in passwords:
            reason = b"Invalid username"
        elif passwords[username] != password:
            reason = b"Invalid password"
        else:
            self.log.debug("ALLOWED (PLAIN) domain=%s username=%s", domain, username)
            return True, b"OK"
        self.log.debug("DENIED (PLAIN) %s", reason)
        return False, reason

    async def _authenticate_curve(self, domain: str, client_key: bytes) -> tuple[bool, bytes]:
        """(allowed, reason) for a CURVE client's Z85 public key."""
        domain = domain or "*"
        if self.allow_any:
            self.log.debug("ALLOWED (CURVE allow any client)")
            return True, b"OK"
        provider = self.credentials_providers.get(domain)
        if provider is not None:
            verdict = provider.callback(domain, client_key)
            if inspect.isawaitable(verdict):
                verdict = await verdict
            if verdict:
                self.log.debug("ALLOWED (CURVE auth_callback) domain=%s client_key=%r", domain, client_key)
                return True, b"OK"
            self.log.debug("DENIED (CURVE auth_callback) domain=%s client_key=%r", domain, client_key)
            return False, b"Unknown key"
        keys = self.certs.get(domain)
        if keys is None:
            self.log.debug("DENIED (CURVE) unknown domain %r", domain)
            return False, b"Unknown domain"
        if client_key in keys:
            self.log.debug("ALLOWED (CURVE) domain=%s client_key=%r", domain, client_key)
            return True, b"OK"
        self.log.debug("DENIED (CURVE) domain=%s client_key=%r", domain, client_key)
        return False, b"Unknown key"

    def _authenticate_gssapi(self, domain: str, principal: bytes) -> tuple[bool, bytes]:
        """(allowed, reason) for a GSSAPI principal: libzmq has already
        authenticated it, so it is accepted."""
        self.log.debug("ALLOWED (GSSAPI) domain=%s principal=%r", domain, principal)
        return True, b"OK"

    def _send_zap_reply(self, request_id: bytes, status_code: bytes, status_text: bytes,
                        user_id: Union[str, bytes] = "anonymous") -> None:
        """Send the ZAP reply; a refused peer gets an empty User-Id."""
        if status_code != b"200":
            user_id = ""
        if isinstance(user_id, str):
            user_id = user_id.encode(self.encoding, "replace")
        self.log.debug("ZAP reply code=%r text=%r", status_code, status_text)
        if self.zap_socket is None:
            # stop() ran while the request was being decided: nobody to answer.
            return
        self.zap_socket.send_multipart([VERSION, request_id, status_code, status_text, user_id, b""])


class _ReadableWaiter:
    """Waits in an asyncio loop until one of some sockets has a message.

    libzmq signals readiness through a file descriptor that is edge-triggered
    and shared by all events, so it is only a hint to re-check EVENTS. The
    descriptors are watched with the loop's add_reader only while waiting;
    release() unwatches them at once, which an owner must do before closing
    the sockets (a closed fd left in the loop's selector could be reused)."""

    def __init__(self) -> None:
        self._watched: dict[int, asyncio.AbstractEventLoop] = {}

    async def wait(self, sockets: list[zmq.Socket[Any]]) -> list[zmq.Socket[Any]]:
        loop = asyncio.get_running_loop()
        while True:
            ready = [s for s in sockets if int(s.getsockopt(zmq.EVENTS)) & zmq.POLLIN]
            if ready:
                return ready
            woken = loop.create_future()

            def wake() -> None:
                if not woken.done():
                    woken.set_result(None)

            fds = [int(s.getsockopt(zmq.FD)) for s in sockets]
            for fd in fds:
                loop.add_reader(fd, wake)
                self._watched[fd] = loop
            try:
                await woken
            finally:
                for fd in fds:
                    self._unwatch(fd)

    def _unwatch(self, fd: int) -> None:
        loop = self._watched.pop(fd, None)
        if loop is not None and not loop.is_closed():
            loop.remove_reader(fd)

    def release(self) -> None:
        for fd in list(self._watched):
            self._unwatch(fd)
