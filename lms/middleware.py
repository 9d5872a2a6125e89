import logging
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """A strict policy for the public site, a relaxed one for the admin screens."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(
            settings.ADMIN_URL_PREFIXES
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class ProxyWithoutTrustMiddleware:
    """Warns once per process when requests come through a reverse proxy the
    settings do not trust (`X-Forwarded-For` while TRUSTED_PROXY_COUNT is 0).

    The rate limits then count every visitor as the proxy's one address, and
    the mail limit (20 an hour from one client, lms.throttle) soon refuses
    everyone. Only a request shows the proxy, so no system check can tell.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        if settings.ALLAUTH_TRUSTED_PROXY_COUNT or getattr(
            settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None
        ):
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.warned = False

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.warned and "x-forwarded-for" in request.headers:
            self.warned = True
            logger.warning(
                "A request came through a proxy (X-Forwarded-For) but "
                "TRUSTED_PROXY_COUNT is 0: rate limits count every visitor as "
                "the proxy's address %s and will soon refuse everyone. Set "
                "TRUSTED_PROXY_COUNT to the number of proxies in front of the site.",
                request.META.get("REMOTE_ADDR"),
            )
        return self.get_response(request)
