"""monitored_queue: the compiled forwarding loop of the MonitoredQueue devices.

    monitored_queue(in_socket, out_socket, mon_socket, in_prefix=b'in', out_prefix=b'out')

Forwards whole messages both ways between in_socket and out_socket and sends
a copy of each to mon_socket, as a multipart message led by in_prefix or
out_prefix after the side it came from. When both sides are ROUTER sockets the
first two frames (sender and destination routing ids) are swapped on the way.
Runs until the context is terminated (zmq.ContextTerminated) or a socket is
closed. It lives in the compiled backend (zmq.backend.monitored_queue); this
module is its public home.
"""

from zmq.backend import monitored_queue

__all__ = ["monitored_queue"]
