import sys

from setuptools import Extension, setup

import zmq

# The kit holds static archives only, so -lzmq -lsodium link them in; libzmq is
# C++ and needs its runtime.
libraries = ["zmq", "sodium", "stdc++", "pthread", "m"]
if sys.platform.startswith("linux"):
    libraries.append("rt")

setup(
    ext_modules=[
        Extension(
            "setuptools_consumer._peer",
            sources=["peer.c"],
            include_dirs=zmq.get_includes(),
            library_dirs=zmq.get_library_dirs(),
            libraries=libraries,
            define_macros=[("ZMQ_STATIC", None), ("MODULE_NAME", "_peer")],
        )
    ]
)
