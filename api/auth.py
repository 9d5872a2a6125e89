"""Who is asking: a personal access token (integrations) or the site's own
session with its CSRF check (the site's JavaScript)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja.security import SessionAuth
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from api.models import TokenTerms

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(BearerTokenAuth):
    """Wagtail's bearer token, within the terms the person gave it: not
    after it expires, and writing only if it may write."""

    def authenticate(self, request, token: str):
        found = super().authenticate(request, token)
        if found is None:
            return None
        terms = TokenTerms.objects.filter(token=found).first()
        if terms is None or terms.expired:
            request.user = AnonymousUser()
            return None
        if request.method not in SAFE_METHODS and terms.scope != terms.Scope.WRITE:
            raise PermissionDenied(
                _("This token may only read: make one that may write.")
            )
        return found


# A person's own data: their token, or their session on the site.
PERSON = [TokenAuth(), SessionAuth()]
# Anyone, seen as who they are when they say (public data shown by who asks).
ANYONE = [TokenAuth(), SessionAuth(), AllowAnonymous()]
