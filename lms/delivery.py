"""Send each message at most once, however many workers or re-runs try."""

from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from lms.models import Delivery


def deliver_once(user: AbstractBaseUser, key: str, send: Callable[[], None]) -> bool:
    """Call `send` unless `key` was already delivered to `user`; True if sent.

    Called outside a transaction (as tasks run), the row is committed before
    sending, so a concurrent attempt waits on it and then fails the unique
    constraint. If sending raises, the row goes, so a later retry can send.
    """
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(user=user, key=key)
    except IntegrityError:
        return False
    try:
        send()
    except Exception:
        delivery.delete()
        raise
    return True
