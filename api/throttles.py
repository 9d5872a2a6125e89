"""The API's rate limits (settings API_RATE_LIMIT, API_ANONYMOUS_RATE_LIMIT):
django-ninja's throttles, with their rates read from the settings when
asked, so that a deployment (or a test) sets them, and counted per person
(their id) or, for callers who are no one, per address."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _RateFromSettings:
    setting = ""

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def _person(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class PersonRate(_RateFromSettings, AuthRateThrottle):
    """Per person: all their tokens and their session counted together (by
    their id, not by anything they may rename or make more of)."""

    setting = "API_RATE_LIMIT"

    def get_cache_key(self, request) -> str | None:
        person = _person(request)
        if person is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"person-{person.pk}"}


class AnonymousRate(_RateFromSettings, AnonRateThrottle):
    """Per address, for those with neither a token nor a session (on every
    route: the public ones too, where a caller may be anyone)."""

    setting = "API_ANONYMOUS_RATE_LIMIT"

    def get_cache_key(self, request) -> str | None:
        if _person(request) is not None:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
