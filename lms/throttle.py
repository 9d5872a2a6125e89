"""Limits on the mail that anyone can make the site send.

A form that e-mails an address typed into it (join by e-mail, newsletter
sign-up) could otherwise fill a stranger's inbox. Counted with allauth's rate
limiter, the one login attempts use: in the shared cache, so the limit holds
across server processes, per client address (as the trusted proxies of
ALLAUTH_TRUSTED_PROXY_COUNT saw it) and per recipient (hashed in the key).
The rates are ACCOUNT_RATE_LIMITS["send_mail"] (and "public_message" for
messages anyone may leave for the site's staff). While Redis is unreachable
each process counts on its own (lms/cache.py, docs/deploy.md "Faults").
"""

from allauth.core import ratelimit
from django.http import HttpRequest

# Providers that ignore dots in the part before the @.
DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}


def mailbox(address: str) -> str:
    """The inbox an address reaches: 'Rosa.Diaz+2@gmail.com' and
    'rosadiaz@gmail.com' are one inbox, so they share one limit."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def may_send_mail(request: HttpRequest, address: str) -> bool:
    """Count one message to `address` asked for by this client; False when
    either has had its share. Callers answer the same either way, so the
    limit reveals nothing about the address."""
    return ratelimit.consume(request, action="send_mail", key=mailbox(address))


def may_leave_message(request: HttpRequest) -> bool:
    """Count one message anyone may leave without an account (a correction
    to a public directory, say) from this client; False past its share."""
    return ratelimit.consume(request, action="public_message")
