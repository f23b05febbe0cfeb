"""Exception classes, their attributes, and which class a failing call raises."""

import errno
import os
import signal
import threading

import pytest

import zmq


# --- construction and attributes -------------------------------------------------


def test_zmqerror_with_errno_and_message():
    e = zmq.ZMQError(zmq.EINVAL, "bad thing")
    assert e.errno == zmq.EINVAL
    assert e.strerror == "bad thing"
    assert str(e) == "bad thing"
    assert isinstance(e, Exception)


def test_zmqerror_errno_only_uses_strerror():
    e = zmq.ZMQError(zmq.EAGAIN)
    assert e.errno == errno.EAGAIN
    assert e.strerror == zmq.strerror(zmq.EAGAIN)
    assert str(e) == zmq.strerror(zmq.EAGAIN)


def test_zmqerror_zmq_specific_errno_message():
    e = zmq.ZMQError(zmq.ETERM)
    assert e.errno == zmq.ETERM
    assert str(e) == "Context was terminated"
    # constructing the base class directly does not pick a subclass
    assert type(e) is zmq.ZMQError


def test_zmqerror_can_be_raised_and_caught():
    with pytest.raises(zmq.ZMQError) as info:
        raise zmq.ZMQError(zmq.EFSM, "state")
    assert info.value.errno == zmq.EFSM


def test_again_defaults():
    e = zmq.Again()
    assert e.errno == errno.EAGAIN
    assert str(e) == zmq.strerror(errno.EAGAIN)
    assert isinstance(e, zmq.ZMQError)


def test_context_terminated_defaults():
    e = zmq.ContextTerminated()
    assert e.errno == zmq.ETERM
    assert str(e) == "Context was terminated"


def test_interrupted_system_call_defaults():
    e = zmq.InterruptedSystemCall()
    assert e.errno == errno.EINTR
    assert isinstance(e, InterruptedError)
    assert isinstance(e, OSError)
    assert isinstance(e, zmq.ZMQError)


def test_zmq_version_error():
    e = zmq.ZMQVersionError("9.9", "Shiny feature")
    assert e.min_version == "9.9"
    assert e.msg == "Shiny feature"
    assert str(e).startswith("Shiny feature requires libzmq >= 9.9")
    assert isinstance(e, NotImplementedError)


def test_zmq_version_error_default_message():
    e = zmq.ZMQVersionError("9.9")
    assert e.min_version == "9.9"
    assert str(e).startswith("Feature requires libzmq >= 9.9")


def test_bind_error_and_not_done_carry_message():
    assert str(zmq.ZMQBindError("no port")) == "no port"
    assert str(zmq.NotDone()) == ""


# --- hierarchy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, bases",
    [
        (zmq.ZMQBaseError, (Exception,)),
        (zmq.ZMQError, (zmq.ZMQBaseError,)),
        (zmq.Again, (zmq.ZMQError, zmq.ZMQBaseError)),
        (zmq.ContextTerminated, (zmq.ZMQError, zmq.ZMQBaseError)),
        (zmq.InterruptedSystemCall, (zmq.ZMQError, InterruptedError, OSError)),
        (zmq.ZMQBindError, (zmq.ZMQBaseError,)),
        (zmq.NotDone, (zmq.ZMQBaseError,)),
        (zmq.ZMQVersionError, (NotImplementedError,)),
    ],
)
def test_hierarchy(cls, bases):
    for base in bases:
        assert issubclass(cls, base)


def test_hierarchy_negative_cases():
    assert not issubclass(zmq.ZMQBindError, zmq.ZMQError)
    assert not issubclass(zmq.NotDone, zmq.ZMQError)
    assert not issubclass(zmq.ZMQVersionError, zmq.ZMQBaseError)
    assert not issubclass(zmq.ZMQError, OSError)
    assert not issubclass(zmq.Again, zmq.ContextTerminated)


def test_error_classes_live_in_zmq_error():
    for name in ["ZMQBaseError", "ZMQError", "Again", "ContextTerminated",
                 "InterruptedSystemCall", "ZMQBindError", "NotDone", "ZMQVersionError"]:
        assert getattr(zmq, name) is getattr(zmq.error, name)


def test_errors_pickle_roundtrip():
    import pickle

    e = pickle.loads(pickle.dumps(zmq.ZMQError(zmq.EINVAL, "msg")))
    assert type(e) is zmq.ZMQError
    assert e.errno == zmq.EINVAL
    assert e.strerror == "msg"
    again = pickle.loads(pickle.dumps(zmq.Again()))
    assert type(again) is zmq.Again
    assert again.errno == errno.EAGAIN


# --- strerror / zmq_errno --------------------------------------------------------------


def test_strerror_zmq_specific_codes():
    assert zmq.strerror(zmq.ETERM) == "Context was terminated"
    assert zmq.strerror(zmq.EFSM) == "Operation cannot be accomplished in current state"
    assert zmq.strerror(zmq.ENOCOMPATPROTO) == "The protocol is not compatible with the socket type"
    assert zmq.strerror(zmq.EMTHREAD) == "No thread available"


def test_strerror_platform_codes_match_os():
    for code in [errno.EINVAL, errno.EAGAIN, errno.ENOTSOCK, errno.EADDRINUSE]:
        assert zmq.strerror(code) == os.strerror(code)


def test_strerror_returns_str_for_unknown_code():
    assert isinstance(zmq.strerror(99999), str)


def test_strerror_requires_int():
    with pytest.raises(TypeError):
        zmq.strerror("EINVAL")


def test_zmq_errno_is_int():
    assert isinstance(zmq.zmq_errno(), int)


# --- which class a real call raises -------------------------------------------------


def test_eagain_from_nonblocking_recv_is_again(pair):
    a, b = pair
    with pytest.raises(zmq.Again) as info:
        b.recv(zmq.NOBLOCK)
    assert info.value.errno == errno.EAGAIN
    assert type(info.value) is zmq.Again


def test_eagain_from_nonblocking_send_is_again(socket):
    push = socket(zmq.PUSH)  # no peer: nowhere to queue the message
    with pytest.raises(zmq.Again):
        push.send(b"x", zmq.NOBLOCK)


def test_efsm_is_plain_zmqerror(socket):
    req = socket(zmq.REQ)
    req.connect("inproc://efsm-nobody")
    with pytest.raises(zmq.ZMQError) as info:
        req.recv()
    assert type(info.value) is zmq.ZMQError
    assert info.value.errno == zmq.EFSM
    assert str(info.value) == "Operation cannot be accomplished in current state"


def test_einval_unknown_socket_type(ctx):
    with pytest.raises(zmq.ZMQError) as info:
        ctx.socket(100)
    assert type(info.value) is zmq.ZMQError
    assert info.value.errno == errno.EINVAL


def test_enotsock_on_closed_socket(socket):
    s = socket(zmq.PAIR)
    s.close()
    with pytest.raises(zmq.ZMQError) as info:
        s.send(b"x")
    assert type(info.value) is zmq.ZMQError
    assert info.value.errno == errno.ENOTSOCK


def test_eterm_from_blocked_recv_is_context_terminated():
    ctx = zmq.Context()
    s = ctx.socket(zmq.PAIR)
    s.linger = 0
    caught = []

    def blocked_reader():
        try:
            s.recv()
        except BaseException as exc:  # record whatever escapes for the assertion below
            caught.append(exc)
        finally:
            s.close()

    reader = threading.Thread(target=blocked_reader, daemon=True)
    reader.start()
    terminator = threading.Thread(target=ctx.term, daemon=True)
    terminator.start()
    reader.join(10)
    terminator.join(10)
    assert not reader.is_alive()
    assert not terminator.is_alive()
    assert len(caught) == 1
    assert type(caught[0]) is zmq.ContextTerminated
    assert caught[0].errno == zmq.ETERM


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_signal_handler_exception_escapes_blocking_recv(pair):
    a, b = pair
    b.rcvtimeo = 5000

    class Interrupted(Exception):
        pass

    def handler(signum, frame):
        raise Interrupted()

    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Interrupted):
            b.recv()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    # the socket is still fine afterwards
    a.send(b"after")
    assert b.recv() == b"after"


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs setitimer")
def test_eintr_is_retried_when_handler_returns(pair):
    a, b = pair
    b.rcvtimeo = 5000
    fired = []
    old = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    sender = threading.Timer(0.3, a.send, args=(b"late",))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        sender.start()
        # an interrupted wait is resumed, not surfaced as InterruptedSystemCall
        assert b.recv() == b"late"
    finally:
        sender.join(10)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert fired == [signal.SIGALRM]
