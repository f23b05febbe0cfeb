import os
import sys

from setuptools import Extension, setup

import zmq

# The kit holds static archives only, so -lzmq -lsodium link them in; libzmq is
# C++ and needs its runtime.
libraries = ["zmq", "sodium", "stdc++", "pthread", "m"]
extra_link_args = []
if sys.platform.startswith("linux"):
    libraries.append("rt")
    # The zmq_* calls must reach the backend's libzmq even where the Python
    # links extensions with -Bsymbolic-functions (Debian's, Ubuntu's).
    extra_link_args.append("-Wl,--dynamic-list=" + os.path.join(zmq.get_library_dirs()[0], "libzmq.dynlist"))

setup(
    ext_modules=[
        Extension(
            "setuptools_consumer._peer",
            sources=["peer.c"],
            include_dirs=zmq.get_includes(),
            library_dirs=zmq.get_library_dirs(),
            libraries=libraries,
            define_macros=[("ZMQ_STATIC", None), ("MODULE_NAME", "_peer")],
            extra_link_args=extra_link_args,
        )
    ]
)
