"""Learning Commons: the project core (settings, URLs, accounts, shared utilities)."""

__version__ = "0.1.0"
