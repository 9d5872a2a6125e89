"""Personal access tokens: made and revoked by their owner on the site."""

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import APIToken

from api.models import TokenTerms

# How long a new token lasts, in days: the choices offered.
LIFETIMES = (30, 90, 365)


@transaction.atomic
def create_token(
    user, name: str, scope: str, days: int, staff: bool = False
) -> tuple[APIToken, str]:
    """A new token of `user` and its plaintext, which is shown once and kept
    nowhere (only its digest is stored)."""
    token, plaintext = APIToken.create_token(user=user, name=name)
    TokenTerms.objects.create(
        token=token,
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
        staff=staff,
    )
    return token, plaintext


def tokens_of(user) -> QuerySet[APIToken]:
    """The person's tokens not revoked, newest first, with their terms."""
    return (
        APIToken.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("terms")
        .order_by("-created", "-pk")
    )


def revoke(user, token_id: int) -> bool:
    """Revoke one of the person's own tokens; False if they have none such."""
    return bool(
        APIToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
