"""A quick end-to-end check of the basics, run against every build mode
(bundled, and ZMQ_PREFIX=system in CI)."""

import zmq


def test_versions_are_consistent():
    assert zmq.zmq_version() == "%d.%d.%d" % zmq.zmq_version_info()
    assert zmq.pyzmq_version() == zmq.__version__
    assert zmq.pyzmq_version_info()[0] >= 27


def test_inproc_round_trip(pair):
    a, b = pair
    a.send(b"ping")
    assert b.recv() == b"ping"
    b.send_multipart([b"x", b"", b"payload"])
    assert a.recv_multipart() == [b"x", b"", b"payload"]


def test_tcp_req_rep(socket):
    rep = socket(zmq.REP, rcvtimeo=10000)
    req = socket(zmq.REQ, rcvtimeo=10000)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    req.connect(f"tcp://127.0.0.1:{port}")
    req.send_string("question")
    assert rep.recv_string() == "question"
    rep.send_json({"answer": 42})
    assert req.recv_json() == {"answer": 42}


def test_zero_copy_frame_round_trip(pair):
    a, b = pair
    payload = bytearray(range(256)) * 1024
    tracker = a.send(payload, copy=False, track=True)
    frame = b.recv(copy=False)
    assert frame.buffer == payload
    del frame
    tracker.wait(10)
    assert tracker.done


def test_import_stays_light(run_python):
    # Every process that imports zmq pays for what the import pulls in; the
    # parsers and disassembler behind inspect/annotationlib are most of a
    # megabyte, and only subclass attribute checks ever need them. (What the
    # standard modules zmq needs bring along is theirs: from 3.14 on, typing
    # imports annotationlib.)
    proc = run_python(
        "import sys, enum, json, typing, weakref\n"
        "before = set(sys.modules)\n"
        "import zmq\n"
        "ctx = zmq.Context(); s = ctx.socket(zmq.PUSH); s.linger = 0; s.close(); ctx.term()\n"
        "added = set(sys.modules) - before\n"
        "print(sorted({'inspect', 'ast', 'dis', 'tokenize', 'annotationlib'} & added))\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
