"""Helpers: Z85 text encoding, monitor-event parsing, JSON."""
