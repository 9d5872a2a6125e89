"""The site of the request being served (set by page_lookups.SiteLookupMiddleware).

A page's `url` is written as `{% pageurl %}` writes it: from the site's root
("/about/") for a page of that site, whole ("https://la.example.org/about/")
for another site's. Wagtail alone writes every address whole once there are
several sites (a network's chapters), since `url` has no request to know the
site by; links from a site to its own pages would then leave for another
host and port in development, and out of the visitor's session. Outside a
request (e-mail, the worker) every address stays whole. Anything keeping
HTML that holds addresses keeps it per site (`site_key`).
"""

from contextvars import ContextVar
from typing import Any

serving_site: ContextVar[Any] = ContextVar("serving_site", default=None)


def url_on_the_serving_site(page) -> str | None:
    return page.get_url(current_site=serving_site.get())


def site_key() -> str:
    """The serving site, as part of a cache key (0 outside a request)."""
    site = serving_site.get()
    return str(site.pk) if site is not None else "0"
