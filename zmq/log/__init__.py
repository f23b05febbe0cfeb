"""Logging over zmq.

zmq.log.handlers.PUBHandler publishes log records on a PUB socket, one
two-part message [topic, formatted record] each; ``python -m zmq.log URL``
subscribes to such a socket and prints what arrives.
"""
