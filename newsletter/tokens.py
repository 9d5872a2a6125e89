"""Salts and lifetimes of the newsletter's links."""

from datetime import timedelta

from lms.tokens import make_token, read_token

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)

__all__ = ["make_token", "read_token"]
