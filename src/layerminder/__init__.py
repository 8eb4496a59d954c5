"""LayerMinder: an AI studio for furniture designers."""

__version__ = "0.1.0"
