"""Public pages kept whole for visitors who are not signed in.

Most people reading a lesson, the catalogue or the home page are not signed
in, and every one of them is shown the same page: it is rendered once and
served from the cache until anything is saved (any model, bar those in
`NOT_SHOWN`) or PAGE_CACHE_SECONDS pass (what a page shows because of the
time, like the next session, is at most that old). The cache is the `pages`
alias, so many large pages never push out small values such as rate-limit
counters; it is on by default only when that cache is shared by all server
processes (a change made through one must drop the pages of all).

Only pages Wagtail serves with no view restriction on them or their
ancestors are kept (`may_keep_page`, from a `before_serve_page` hook), only
their 200 answers to a GET without a query string (or with one the page
vouches for: `may_keep_query`, a listing's filters each set to one of its
choices), asked for by the address of their Wagtail site, and only for
requests that carry no session or messages cookie: a signed-in person, or
anyone the site has said something to, is always served afresh. A page that
writes to the visitor's session, sets a cookie, says it is private or varies
by a header is not kept.

Pages carry forms (the newsletter in the footer, joining a group), so a kept
page has `csrf_placeholder()` where its tokens were; each visitor served from
the cache gets a token of their own in its place (and the CSRF cookie with
it, from CsrfViewMiddleware, which this middleware sits inside).
"""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import get_max_age
from wagtail.models import Page, Site
from wagtail.signals import page_slug_changed, post_page_move

from lms import events
from lms.tokens import csrf_placeholder
from lms.versioned_cache import VersionedCache

# Whether a page came from the cache, told only where settings say so (tests,
# benchmarks): told to everyone, it would show when anything was saved.
HEADER = "X-Page-Cache"
# A masked CSRF token as {% csrf_token %} writes it.
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
# Shown on no public page. Saved all day: saving them keeps the kept pages.
# Or written by what a visitor who is not signed in does (signing up,
# subscribing, asking to join): whether that dropped the kept pages would
# tell them whether an address was already known.
NOT_SHOWN = frozenset(
    {
        "admin.logentry",
        "sessions.session",
        "django_tasks_db.dbtaskresult",
        "wagtailcore.revision",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.workflowstate",
        "wagtailcore.taskstate",
        "learning.lessonprogress",
        "lms.delivery",
        "account.emailaddress",
        "account.emailconfirmation",
        "cohorts.pendingjoin",
        "newsletter.subscriber",
        settings.AUTH_USER_MODEL.lower(),
    }
)
# Vary headers a kept page may carry: what its key already tells apart.
VARY_KEPT = {"cookie", "accept-language"}

# What one person did, which no public page shows.
PERSONAL_EVENTS = (events.LessonCompleted, events.AttendanceRecorded)

pages = VersionedCache("pages", ttl_seconds=300, alias="pages")


def may_keep_page(request: HttpRequest, page: Page) -> None:
    """Wagtail is serving `page`: it may be kept if it is public, which is
    asked only once the answer is known to be worth keeping."""
    request.page_cache_page = page


def may_keep_query(request: HttpRequest, values: dict[str, str]) -> None:
    """The page says its answer to this query string is the same for every
    visitor and worth keeping: `values` are the parameters it read, each one
    of a few choices. Never free text or dates: every one typed would be
    kept. A query with anything more (another parameter, one given twice)
    is not kept; the same parameters in another order, or empty ones, share
    one copy."""
    request.page_cache_query = _normalized(values.items())


def _normalized(pairs) -> str:
    return urlencode(sorted((name, value) for name, value in pairs if value))


def _query_of(request: HttpRequest) -> str:
    return _normalized(
        (name, value) for name, values in request.GET.lists() for value in values
    )


def _is_public(page: Page) -> bool:
    """No view restriction on the page or an ancestor (nor on the page an
    alias copies): the same for every visitor."""
    return not page.get_view_restrictions().exists()


def invalidate(sender: type, **kwargs: Any) -> None:
    """Drop every kept page: something a page may show was saved."""
    if not settings.PAGE_CACHE_SECONDS or sender._meta.label_lower in NOT_SHOWN:
        return
    # A plugin's model that no public page shows says so (a queue for staff
    # that anyone may add to would otherwise let them empty the cache).
    if getattr(sender, "shown_on_public_pages", True):
        pages.invalidate()


def invalidate_on_every_change() -> None:
    """Connect `invalidate` to every save, deletion and relation change, to
    page moves and renames (which change descendants' addresses unsaved), and
    to domain events (a session cancelled or a member leaving is an UPDATE,
    which sends no model signal)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(invalidate, weak=False, dispatch_uid=f"page-cache-{signal}")
    for signal in (post_page_move, page_slug_changed):
        signal.connect(
            lambda sender, instance, **kwargs: invalidate(type(instance)),
            weak=False,
            dispatch_uid=f"page-cache-{signal}",
        )
    events.delivered.connect(
        invalidate_on_event, weak=False, dispatch_uid="page-cache-events"
    )


def invalidate_on_event(sender: type, event: events.Event, **kwargs: Any) -> None:
    if settings.PAGE_CACHE_SECONDS and not isinstance(event, PERSONAL_EVENTS):
        pages.invalidate()


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.PAGE_CACHE_SECONDS or not _may_be_kept_for(request):
            return self.get_response(request)
        # The version of now, before the page is made: a page made while its
        # privacy changed is put where nobody will read it.
        key = pages.versioned_key(_key(request))
        kept = pages.cache.get(key)
        if kept is not None:
            return _told(_served_from(kept, request), "hit")
        response = self.get_response(request)
        if _may_keep(request, response):
            pages.cache.set(key, _kept(response), settings.PAGE_CACHE_SECONDS)
            _told(response, "miss")
        return response


def _may_be_kept_for(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    return (
        f"{request.scheme}:{request.get_host()}:{request.LANGUAGE_CODE}:{request.path}"
        f"?{_query_of(request)}"
    )


def _may_keep(request: HttpRequest, response: HttpResponseBase) -> bool:
    session = getattr(request, "session", None)
    return (
        getattr(request, "page_cache_page", None) is not None
        and isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and not (session is not None and session.modified)
        and get_max_age(response) != 0
        and "private" not in response.get("Cache-Control", "")
        and VARY_KEPT.issuperset(
            header.strip().lower()
            for header in response.get("Vary", "").split(",")
            if header.strip()
        )
        and _asked_by_its_sites_address(request)
        and _query_vouched_for(request)
        and _is_public(request.page_cache_page)
    )


def _query_vouched_for(request: HttpRequest) -> bool:
    if not request.META.get("QUERY_STRING"):
        return True
    return getattr(request, "page_cache_query", None) == _query_of(request)


def _asked_by_its_sites_address(request: HttpRequest) -> bool:
    """Django and Wagtail answer at any port of an allowed host name: only the
    names themselves are kept (an entry of ALLOWED_HOSTS, or the Wagtail
    site's host name and port), so nobody can fill the cache with copies."""
    host = request.get_host()
    if host in settings.ALLOWED_HOSTS:
        return True
    site = Site.find_for_request(request)
    return site is not None and host in {site.hostname, f"{site.hostname}:{site.port}"}


def _kept(response: HttpResponse) -> dict:
    placeholder = csrf_placeholder().encode()
    return {
        "content": CSRF_FIELD.sub(rb"\g<1>" + placeholder + rb"\2", response.content),
        "headers": dict(response.headers),
    }


def _served_from(kept: dict, request: HttpRequest) -> HttpResponse:
    content = kept["content"]
    placeholder = csrf_placeholder().encode()
    if placeholder in content:
        content = content.replace(placeholder, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    return response


def _told(response: HttpResponseBase, how: str) -> HttpResponseBase:
    if settings.PAGE_CACHE_HEADER:
        response[HEADER] = how
    return response
