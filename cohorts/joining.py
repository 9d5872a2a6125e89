"""Joining by e-mail: the request waits here until its link is used.

The link carries only a random token, and only the token's hash is kept, so
neither the URL nor a copy of this table signs anyone in or names anyone. A
link is used once, expires within hours, and dies when the account it would
sign into logs in or changes its password (`account_state`).
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

JOIN_LINK_MAX_AGE = timedelta(hours=2)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_state(user: AbstractBaseUser | None) -> str:
    """Changes whenever the account logs in or its password changes (the way
    Django's password reset tokens expire), and when it appears or goes."""
    if user is None:
        return ""
    state = f"{user.pk}:{user.password}:{user.last_login}:{user.is_active}"
    return salted_hmac("cohorts.joining.account_state", state).hexdigest()


class PendingJoinQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def purge(self) -> None:
        """Forget the requests that can no longer be used."""
        spent = Q(used_at__isnull=False) | Q(expires_at__lte=timezone.now())
        self.filter(spent).delete()


class PendingJoin(models.Model):
    """Someone asked to join a group by e-mail and has not opened the link yet."""

    cohort = models.ForeignKey(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    goal = models.CharField(_("goal"), max_length=500, blank=True)
    language = models.CharField(max_length=10)
    # Set when the link is sent; None for staff, who get no link.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    account_state = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = PendingJoinQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending join")
        verbose_name_plural = _("pending joins")

    def __str__(self) -> str:
        return f"PendingJoin {self.pk}"
