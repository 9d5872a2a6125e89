"""What Wagtail looks up on every request for a page, cached between edits:
which site answers a host name, and which page is under a slug of its parent.

Wagtail asks the database for both on every request: a query for the site
(whose CASE expression costs more to compile than to run), and two for each
level of a page's address (the child under the slug, then its specific
fields). With these, the site comes from the cache and each level is one
query for the page itself.

Neither can serve what Wagtail would not: the page under a slug is read from
the database each time (so whether it is live, its privacy settings and its
content are always current) and used only if it still has that slug under
that parent, else the lookup is made as Wagtail makes it. Every save, delete,
move or rename of a page or site drops both.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponseBase
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from lms.versioned_cache import VersionedCache

TTL_SECONDS = 300
# Longer slugs are looked up as Wagtail does: cache keys stay short (memcached
# refuses keys over 250 characters).
LONGEST_CACHED_SLUG = 100

page_lookups = VersionedCache("lms:page-lookups", TTL_SECONDS)

# How well a site matches a request, best first, as Wagtail ranks them
# (wagtail.models.sites.get_site_for_hostname).
HOST_AND_PORT, HOST_OF_DEFAULT, DEFAULT, HOST = range(4)


def site_for_host(hostname: str, port: int) -> Site | None:
    """The site Wagtail's `Site.find_for_request` finds for this host name and
    port, chosen among every site kept in the cache: keys do not follow the
    host names people send (which Wagtail does not check against
    ALLOWED_HOSTS)."""
    sites = page_lookups.get("sites", _sites)

    def match(site: Site) -> int:
        if site.hostname == hostname:
            if site.port == port:
                return HOST_AND_PORT
            return HOST_OF_DEFAULT if site.is_default_site else HOST
        return DEFAULT

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site),
        key=match,
    )
    if not candidates:
        return None
    best = match(candidates[0])
    if len(candidates) == 1 or best in (HOST_AND_PORT, HOST_OF_DEFAULT):
        return candidates[0]
    if best == DEFAULT:
        # The default site, unless exactly one other site has the host name.
        return candidates[len(candidates) == 2]
    return None


def _sites() -> list[Site]:
    """Every site, with its root page's specific instance already read:
    Wagtail routes through `site.root_page.specific`, a cached property
    kept with the page. It is used to find the page under a slug of the
    address; asked for itself, it is read again (`route`), so only a page
    type routing with `route` keeps it."""
    sites = list(Site.objects.select_related("root_page"))
    for site in sites:
        specific = site.root_page.specific
        if type(specific).route is not route:
            # Its own routing might serve it as kept: read it afresh.
            del site.root_page.specific
        else:
            specific._kept_by_page_lookups = True
    return sites


class SiteLookupMiddleware:
    """Gives each request its Wagtail site from the cache, where
    `Site.find_for_request` looks for it before asking the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        port = request.get_port()
        if port.isdigit():  # else left to Wagtail, as a port it cannot match
            hostname = split_domain_port(request._get_raw_host())[0]
            request._wagtail_site = site_for_host(hostname, int(port))
        return self.get_response(request)


def route(page: Page, request: HttpRequest, path_components: list[str]) -> RouteResult:
    """`Page.route` (for page types to use as theirs), finding the child under
    the first slug with one query where the cache knows it."""
    kept = getattr(page, "_kept_by_page_lookups", False)
    if not path_components and kept:
        # A site's root page from the cache, asked for itself: as it is now.
        page = type(page)._default_manager.filter(pk=page.pk).first()
        if page is None:
            raise Http404
    if path_components and page.pk is not None:
        child = _child_by_slug(page, path_components[0])
        if child is not None:
            if not kept:
                # Treebeard's get_parent reads it instead of querying.
                child._cached_parent_obj = page
            return child.route(request, path_components[1:])
    return Page.route(page, request, path_components)


def _child_by_slug(parent: Page, slug: str) -> Page | None:
    """The child page under `slug`, as its specific type, or None if the cache
    does not know it (misses are not kept: anyone can ask for any slug)."""
    if len(slug) > LONGEST_CACHED_SLUG:
        return None
    key = page_lookups.versioned_key(f"child:{parent.pk}:{slug}")
    found = page_lookups.cache.get(key)
    if found is None:
        found = (
            parent.get_children()
            .filter(slug=slug)
            .values_list("pk", "content_type_id")
            .first()
        )
        if found is None:
            return None
        page_lookups.cache.set(key, found, TTL_SECONDS)
    pk, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    child = model._default_manager.filter(pk=pk).first()
    if (
        child is None
        or child.slug != slug
        or child.path[: -Page.steplen] != parent.path
    ):
        # Changed in a way no signal told this process of: ask as Wagtail does.
        return None
    return child


def page_urls(request: HttpRequest, pages: list[Page]) -> dict[int, str | None]:
    """Each page's address as `{% pageurl %}` gives it, by page id, in one
    read of the cache: Wagtail reverses each under its language."""
    site = Site.find_for_request(request)
    language = get_language()
    by_key = {
        f"url:{site.pk if site else 0}:{language}:{page.pk}": page for page in pages
    }
    urls = page_lookups.get_many(
        by_key,
        lambda missing: {key: by_key[key].get_url(request) for key in missing},
    )
    return {page.pk: urls[key] for key, page in by_key.items()}
