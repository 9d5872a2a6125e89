"""Who is asking: a personal access token (integrations) or the site's own
session with its CSRF check (the site's JavaScript).

A token carries its owner's staff rights (running groups, leading programs,
a superuser's) only when it was made with them: otherwise the routes for
those who run groups refuse it, and its owner is no superuser through it."""

import copy

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import Throttled
from ninja.security import SessionAuth
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from api.models import TokenTerms
from api.throttles import AnonymousRate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(BearerTokenAuth):
    """Wagtail's bearer token, within the terms the person gave it: not
    after it expires, writing only if it may write, and with staff rights
    only if it was given them."""

    def authenticate(self, request, token: str):
        found = super().authenticate(request, token)
        if found is None:
            count_failure(request)
            return None
        terms = TokenTerms.objects.filter(token=found).first()
        if terms is None or terms.expired:
            request.user = AnonymousUser()
            count_failure(request)
            return None
        if request.method not in SAFE_METHODS and terms.scope != terms.Scope.WRITE:
            raise PermissionDenied(
                _("This token may only read: make one that may write.")
            )
        request.api_staff_rights = terms.staff
        if not terms.staff and (request.user.is_superuser or request.user.is_staff):
            request.user = as_member_only(request.user)
        return found


def count_failure(request: HttpRequest) -> None:
    """A token refused counts against its address's anonymous rate, so that
    tokens cannot be guessed faster than anyone may ask (authentication runs
    before the rates, and a write without a valid token ends at the session's
    CSRF check, which counts nothing): 429 once it is spent."""
    limit = AnonymousRate()
    if not limit.allow_request(request):
        raise Throttled(wait=limit.wait())


def as_member_only(person):
    """The person without a superuser's or staff member's rights, for this
    request only: a copy that refuses to be saved, so the account keeps them."""
    member = copy.copy(person)
    member.is_superuser = False
    member.is_staff = False
    member.save = _not_saved
    return member


def _not_saved(*args, **kwargs):
    raise RuntimeError(
        "A person seen through a token without staff rights is not saved."
    )


def staff_rights(request: HttpRequest) -> bool:
    """Whether the caller acts with their staff rights: the site's session
    always does, a token only when made with them."""
    return getattr(request, "api_staff_rights", True)


def check_staff_rights(request: HttpRequest) -> None:
    """For the routes of those who run groups and lead programs: 403 for a
    token made without staff rights."""
    if not staff_rights(request):
        raise PermissionDenied(
            _("This token does not carry your staff rights: make one that does.")
        )


# A person's own data: their token, or their session on the site.
PERSON = [TokenAuth(), SessionAuth()]
# Anyone, seen as who they are when they say (public data shown by who asks).
ANYONE = [TokenAuth(), SessionAuth(), AllowAnonymous()]
