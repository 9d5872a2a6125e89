"""Signed links for confirming and leaving the newsletter without logging in."""

from datetime import timedelta

from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


def make_token(subscriber_id: int, salt: str) -> str:
    return signing.dumps(subscriber_id, salt=salt, compress=True)


def read_token(token: str, salt: str, max_age: timedelta | None = None) -> int | None:
    """The subscriber id in a token, or None when it is forged or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
