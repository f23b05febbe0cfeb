"""ZAP authentication served by a background thread, for blocking code."""

from __future__ import annotations

import asyncio
from threading import Event, Thread, current_thread
from typing import Any, Optional

import zmq

from .base import Authenticator, _describe_request, _ReadableWaiter

__all__ = ["ThreadAuthenticator"]

_TERMINATE = b"TERMINATE"
# How long start() waits for the thread to come up before giving up.
_START_TIMEOUT = 10.0


class AuthenticationThread(Thread):
    """The thread behind ThreadAuthenticator: answers the authenticator's ZAP
    requests until it receives b"TERMINATE" on pipe (a PAIR socket it owns
    and closes when it ends). It runs its own asyncio loop, so credentials
    providers may be coroutines."""

    pipe: zmq.Socket[Any]
    loop: asyncio.AbstractEventLoop
    authenticator: Authenticator
    poller: Optional[Any] = None

    def __init__(self, authenticator: Authenticator, pipe: zmq.Socket[Any]) -> None:
        super().__init__(daemon=True)
        self._serving = False
        self.authenticator = authenticator
        self.log = authenticator.log
        self.pipe = pipe
        self.started = Event()
        self.loop = None  # type: ignore[assignment]

    def run(self) -> None:
        self.loop = loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._run())
        except Exception:
            self.log.exception("the ZAP authentication thread failed")
        finally:
            # Work a credentials provider left behind must not outlive the thread.
            leftover = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in leftover:
                task.cancel()
            if leftover:
                loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self.pipe.close(linger=0)
            self.started.set()

    async def _run(self) -> None:
        waiter = _ReadableWaiter()
        zap = self.authenticator.zap_socket
        self._serving = True
        self.started.set()
        try:
            while True:
                ready = await waiter.wait([self.pipe, zap])
                if self.pipe in ready:
                    if self._handle_pipe_message(self.pipe.recv_multipart(zmq.NOBLOCK)):
                        return
                if zap in ready:
                    try:
                        msg = zap.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        continue
                    try:
                        await self.authenticator.handle_zap_message(msg)
                    except zmq.ContextTerminated:
                        raise
                    except Exception:
                        # The peer was refused; one faulty request must not
                        # end authentication for everyone else.
                        self.log.exception("Error handling %s", _describe_request(msg))
        except zmq.ContextTerminated:
            # term() waits for every socket to close and nobody else can use
            # these any more: closing them here lets term() return.
            self.log.debug("context terminated: the authentication thread ends")
            waiter.release()
            zap.close(linger=0)
            owner_end = getattr(self.authenticator, "pipe", None)
            if owner_end is not None:
                owner_end.close(linger=0)
        finally:
            waiter.release()

    def _handle_pipe_message(self, msg: list[bytes]) -> bool:
        """Act on a command from the owning ThreadAuthenticator; True means
        the thread must end."""
        command = msg[0] if msg else b""
        self.log.debug("auth received API command %r", command)
        if command == _TERMINATE:
            return True
        self.log.error("Invalid auth command from API: %r", msg)
        return False


class ThreadAuthenticator(Authenticator):
    """An Authenticator whose ZAP requests are answered by a background
    thread (an AuthenticationThread) between start() and stop().

    Policies may be changed from any thread at any time."""

    pipe: zmq.Socket[Any]
    pipe_endpoint: str = ""
    thread: AuthenticationThread

    def __init__(self, context: Optional[zmq.Context[Any]] = None, encoding: str = "utf-8",
                 log: Any = None) -> None:
        super().__init__(context=context, encoding=encoding, log=log)
        self.pipe = None  # type: ignore[assignment]
        self.pipe_endpoint = f"inproc://{id(self)}.inproc"
        self.thread = None  # type: ignore[assignment]

    def start(self) -> None:
        """Bind the ZAP socket and start the thread that serves it."""
        super().start()
        sockets = []
        try:
            self.pipe = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
            sockets.append(self.pipe)
            self.pipe.linger = 0
            self.pipe.bind(self.pipe_endpoint)
            thread_end = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
            sockets.append(thread_end)
            thread_end.linger = 0
            thread_end.connect(self.pipe_endpoint)
            self.thread = AuthenticationThread(self, thread_end)
            self.thread.start()
            if not self.thread.started.wait(_START_TIMEOUT) or not self.thread._serving:
                raise RuntimeError("the ZAP authentication thread did not start")
        except BaseException:
            self._stop_thread()
            for sock in sockets:
                sock.close(linger=0)
            self.pipe = None  # type: ignore[assignment]
            super().stop()
            raise

    def _stop_thread(self) -> None:
        thread, self.thread = self.thread, None  # type: ignore[assignment]
        if thread is None:
            return
        if self.pipe is not None and not self.pipe.closed:
            try:
                self.pipe.send(_TERMINATE, zmq.NOBLOCK)
            except zmq.ZMQError:
                pass  # the thread is gone already
        if thread.ident is not None:
            thread.join()

    def stop(self) -> None:
        """Stop the thread (waiting for a request in progress to be
        answered), then close the ZAP socket. Calling it again is a no-op."""
        if self.thread is not None and self.thread is current_thread():
            raise RuntimeError("ThreadAuthenticator.stop() cannot be called from its own thread")
        self._stop_thread()
        pipe, self.pipe = self.pipe, None  # type: ignore[assignment]
        if pipe is not None and not pipe.closed:
            # As for the ZAP endpoint: unbound now, the name is free for a restart.
            try:
                pipe.unbind(self.pipe_endpoint)
            except zmq.ZMQError:
                pass
            pipe.close(linger=0)
        super().stop()

    def is_alive(self) -> bool:
        """Whether the authentication thread is running."""
        return self.thread is not None and self.thread.is_alive()

    def __del__(self) -> None:
        # Only reached once the thread is over (it holds a reference to us):
        # release the sockets a forgotten stop() left open.
        try:
            for sock in (self.pipe, self.zap_socket):
                if sock is not None and not sock.closed:
                    sock.close(linger=0)
        except Exception:
            pass
