"""`import zmq` gives pyomq: the benchmark's pyomq side puts this directory
first on PYTHONPATH, so the unchanged scenarios (and their peer processes,
which inherit the environment) run on pyomq.

Only names that pyomq itself provides are aliased; anything else (say
`zmq.devices`) fails to import exactly as it would for a pyzmq user switching
to pyomq, and the scenario reports n/a.
"""

import sys
import types

import pyomq
import pyomq.asyncio
import pyomq.zmqstream

# pyomq keeps ZMQStream at pyomq.zmqstream; pyzmq code imports it from
# zmq.eventloop.zmqstream, so that path gets a namespace holding it.
_eventloop = types.ModuleType("zmq.eventloop", "pyomq.zmqstream under pyzmq's path")
_eventloop.zmqstream = pyomq.zmqstream

sys.modules.update({
    "zmq": pyomq,
    "zmq.asyncio": pyomq.asyncio,
    "zmq.eventloop": _eventloop,
    "zmq.eventloop.zmqstream": pyomq.zmqstream,
})
