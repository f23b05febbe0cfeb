"""Version reporting, capability queries and error-string helpers."""

import os
import re

import pytest

import zmq


def test_zmq_version_matches_version_info():
    text = zmq.zmq_version()
    info = zmq.zmq_version_info()
    assert isinstance(text, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+", text)
    assert isinstance(info, tuple)
    assert len(info) == 3
    assert all(isinstance(part, int) for part in info)
    assert text == "%d.%d.%d" % info


def test_pyzmq_version():
    text = zmq.pyzmq_version()
    info = zmq.pyzmq_version_info()
    assert isinstance(text, str)
    assert isinstance(info, tuple)
    assert isinstance(info[0], int)
    assert info[0] >= 27
    assert all(isinstance(part, int) for part in info[:3])
    assert text.startswith("%d.%d.%d" % info[:3])


def test_dunder_version_is_pyzmq_version():
    assert zmq.__version__ == zmq.pyzmq_version()


@pytest.mark.parametrize("capability", ["ipc", "curve", "draft", "pgm", "norm", "gssapi", "tipc"])
def test_has_returns_bool(capability):
    assert isinstance(zmq.has(capability), bool)


@pytest.mark.skipif(os.name != "posix", reason="ipc availability is platform specific")
def test_has_ipc_on_posix():
    assert zmq.has("ipc") is True


def test_has_draft_matches_flag():
    assert zmq.has("draft") is zmq.DRAFT_API


@pytest.mark.parametrize("name", ["bogus", "", "IPC", "Curve"])
def test_has_unknown_capability_is_false(name):
    assert zmq.has(name) is False


@pytest.mark.parametrize("bad", [b"ipc", None, 1])
def test_has_requires_str(bad):
    with pytest.raises(TypeError):
        zmq.has(bad)


def test_strerror_for_zmq_specific_errors():
    assert zmq.strerror(zmq.ETERM) == "Context was terminated"
    assert zmq.strerror(zmq.EFSM) == "Operation cannot be accomplished in current state"
    assert zmq.strerror(zmq.ENOCOMPATPROTO) == "The protocol is not compatible with the socket type"
    assert zmq.strerror(zmq.EMTHREAD) == "No thread available"


def test_strerror_for_system_errors_is_nonempty_str():
    for errno in (zmq.EAGAIN, zmq.EINVAL, zmq.ENOTSUP, zmq.EHOSTUNREACH):
        message = zmq.strerror(errno)
        assert isinstance(message, str)
        assert message


def test_strerror_matches_zmqerror_message():
    err = zmq.ZMQError(zmq.ETERM)
    assert str(err) == zmq.strerror(zmq.ETERM)


def test_strerror_requires_int():
    with pytest.raises(TypeError):
        zmq.strerror("EAGAIN")


def test_zmq_errno_returns_int():
    assert isinstance(zmq.zmq_errno(), int)
