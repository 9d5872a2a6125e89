"""Signed, expiring links that act without a login (confirm, unsubscribe, join).

The payload is signed with SECRET_KEY and a purpose-specific salt, so a token
made for one purpose never works for another.
"""

from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac


def make_token(payload: Any, salt: str) -> str:
    """A signed, compressed payload for a link; `salt` names its purpose."""
    return signing.dumps(payload, salt=salt, compress=True)


def read_token(token: str, salt: str, max_age: timedelta | None = None) -> Any:
    """The payload, or None when the token is forged, garbled or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def csrf_placeholder() -> str:
    """What kept HTML holds where a visitor's CSRF token goes, swapped for
    the token of whoever it is served to: only this site can write it, so no
    text a person typed into a page is ever swapped for a token."""
    return _placeholder(settings.SECRET_KEY)


@cache
def _placeholder(secret_key: str) -> str:
    return salted_hmac("lms.csrf", "placeholder", secret=secret_key).hexdigest()
