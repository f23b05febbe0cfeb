"""The package's own version (read by the build backend too)."""

__version__ = "27.4.0"
