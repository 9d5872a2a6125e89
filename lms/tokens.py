"""Signed, expiring links that act without a login (confirm, unsubscribe, join).

The payload is signed with SECRET_KEY and a purpose-specific salt, so a token
made for one purpose never works for another.
"""

from datetime import timedelta
from typing import Any

from django.core import signing


def make_token(payload: Any, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def read_token(token: str, salt: str, max_age: timedelta | None = None) -> Any:
    """The payload, or None when the token is forged, garbled or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
