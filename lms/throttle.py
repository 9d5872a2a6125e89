"""Limits on the mail that anyone can make the site send.

A form that e-mails an address typed into it (join by e-mail, newsletter
sign-up) could otherwise fill a stranger's inbox. Counted with allauth's rate
limiter, the one login attempts use: in the shared cache, so the limit holds
across server processes, per client address (as the trusted proxies of
ALLAUTH_TRUSTED_PROXY_COUNT saw it) and per recipient (hashed in the key).
The rates are ACCOUNT_RATE_LIMITS["send_mail"].
"""

from allauth.core import ratelimit
from django.http import HttpRequest


def may_send_mail(request: HttpRequest, address: str) -> bool:
    """Count one message to `address` asked for by this client; False when
    either has had its share. Callers answer the same either way, so the
    limit reveals nothing about the address."""
    return ratelimit.consume(request, action="send_mail", key=address.strip().lower())
