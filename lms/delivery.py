"""Send each message once, however many workers or re-runs try, and lose
none when a worker dies while sending."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.models import Delivery

# An attempt still unmarked after this long died while sending (its task is
# queued again by lms/task_sweep.py after TASK_STUCK_AFTER, longer than this):
# far longer than one message takes, each step of it bounded by EMAIL_TIMEOUT.
SEND_ABANDONED_AFTER = timedelta(minutes=10)


def deliver_once(user: AbstractBaseUser, key: str, send: Callable[[], None]) -> bool:
    """Call `send` unless `key` was already delivered to `user`; True if sent.

    Called outside a transaction (as tasks run), the row is committed before
    sending, so a concurrent attempt waits on it and then fails the unique
    constraint, and marked sent after. If sending raises, the row goes, so a
    later retry can send. If the worker dies while sending, the row stays
    unmarked: the next attempt after SEND_ABANDONED_AFTER takes it over and
    sends. A message goes twice only if a worker dies between the mail
    server's accepting it and the mark (a moment), and is never lost.
    """
    if not _claim(user, key):
        return False
    attempt = Delivery.objects.filter(user=user, key=key, sent_at__isnull=True)
    try:
        send()
    except Exception:
        attempt.delete()
        raise
    attempt.update(sent_at=timezone.now())
    return True


def _claim(user: AbstractBaseUser, key: str) -> bool:
    """Whether this attempt is the one to send: it made the row, or took over
    one an attempt abandoned (one UPDATE: of two takers, one matches)."""
    try:
        with transaction.atomic():
            Delivery.objects.create(user=user, key=key)
    except IntegrityError:
        now = timezone.now()
        abandoned = Delivery.objects.filter(
            user=user,
            key=key,
            sent_at__isnull=True,
            created_at__lt=now - SEND_ABANDONED_AFTER,
        )
        return abandoned.update(created_at=now) == 1
    return True


def sent_counts(prefixes: list[str], people: QuerySet) -> dict[str, int]:
    """How many of `people` (user ids: a group's members, say) each message
    went to, by key, for the keys starting with any of `prefixes`: one
    query, which the people narrow to their rows (a key's prefix cannot use
    an index)."""
    if not prefixes:
        return {}
    starting = Q()
    for prefix in prefixes:
        starting |= Q(key__startswith=prefix)
    rows = (
        Delivery.objects.filter(starting, user__in=people, sent_at__isnull=False)
        .values("key")
        .annotate(people=Count("pk"))
        .order_by()
    )
    return {row["key"]: row["people"] for row in rows}
