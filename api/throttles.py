"""The API's rate limits (settings API_RATE_LIMIT, API_ANONYMOUS_RATE_LIMIT):
django-ninja's throttles, with their rates read from the settings when
asked, so that a deployment (or a test) sets them."""

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


class PersonRate(_RateFromSettings, AuthRateThrottle):
    """Per token or signed-in person; per address for anyone else."""

    setting = "API_RATE_LIMIT"


class AnonymousRate(_RateFromSettings, AnonRateThrottle):
    """Per address, for those with neither token nor session."""

    setting = "API_ANONYMOUS_RATE_LIMIT"
