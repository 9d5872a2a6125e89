"""What Wagtail looks up on every request for a page, cached between edits:
which site answers a host name, and which page is under a slug of its parent.

Wagtail asks the database for both on every request: a query for the site
(whose CASE expression costs more to compile than to run), and two for each
level of a page's address (the child under the slug, then its specific
fields). With these, the site comes from the cache and the page at the end
of the address is one query, however deep it is: the cache knows which
page is under each run of slugs, and the levels in between are only passed
through (Wagtail routes through a page without reading anything of it but
its children, so only page types routing with `route` are passed over).

Neither can serve what Wagtail would not: the page found is read from the
database each time (so whether it is live, its privacy settings and its
content are always current) and used only if it is still at that address
under that parent (its `url_path`, which Wagtail rewrites on every rename
or move of it or an ancestor), else the lookup is made as Wagtail makes it.
Every save, delete, move or rename of a page or site drops both.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponseBase
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from lms.serving import serving_site
from lms.versioned_cache import VersionedCache

TTL_SECONDS = 300
# Longer slugs, and levels past the deepest, are looked up as Wagtail does:
# cache keys stay short (memcached refuses keys over 250 characters).
LONGEST_CACHED_SLUG = 100
DEEPEST_CACHED_LEVELS = 6

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
        serving = serving_site.set(getattr(request, "_wagtail_site", None))
        try:
            return self.get_response(request)
        finally:
            serving_site.reset(serving)


def route(page: Page, request: HttpRequest, path_components: list[str]) -> RouteResult:
    """`Page.route` (for page types to use as theirs), finding the page under
    the address's slugs with one query where the cache knows it."""
    kept = getattr(page, "_kept_by_page_lookups", False)
    if not path_components and kept:
        # A site's root page from the cache, asked for itself: as it is now.
        page = type(page)._default_manager.filter(pk=page.pk).first()
        if page is None:
            raise Http404
    if path_components and page.pk is not None:
        found = _descendant_by_slugs(page, path_components)
        if found is not None:
            descendant, levels = found
            if levels == 1 and not kept:
                # Treebeard's get_parent reads it instead of querying.
                descendant._cached_parent_obj = page
            return descendant.route(request, path_components[levels:])
    return Page.route(page, request, path_components)


Chain = list[tuple[int, int]]  # (page id, content type id) of each level


def _address(parent: Page, slugs: list[str], levels: int) -> str:
    """The `url_path` of the page under the first `levels` slugs."""
    return f"{parent.url_path}{'/'.join(slugs[:levels])}/"


def _descendant_by_slugs(parent: Page, slugs: list[str]) -> tuple[Page, int] | None:
    """The page under the longest run of `slugs` the cache knows (as its
    specific type) and how many slugs it took, or None if the cache knows
    none (misses are not kept: anyone can ask for any slug). The run stops
    at a page routing its own way: the rest of the address is for it."""
    slugs = list(slugs[:DEEPEST_CACHED_LEVELS])
    for index, slug in enumerate(slugs):
        if len(slug) > LONGEST_CACHED_SLUG:
            slugs = slugs[:index]
            break
    if not slugs:
        return None
    keys = {
        page_lookups.versioned_key(f"path:{parent.pk}:{'/'.join(slugs[:levels])}"): (
            levels
        )
        for levels in range(1, len(slugs) + 1)
    }
    kept = page_lookups.cache.get_many(list(keys))
    chain: Chain | None = max(kept.values(), key=len, default=None)
    if chain is None or (len(chain) < len(slugs) and _passes_through(chain[-1])):
        # Nothing kept, or a page the address may go on below.
        chains = _chains_under(parent, slugs)
        page_lookups.cache.set_many(
            {key: chains[levels] for key, levels in keys.items() if levels in chains},
            TTL_SECONDS,
        )
        chain = chains[max(chains)] if chains else chain
    if chain is None:
        return None
    levels = len(chain)
    pk, content_type_id = chain[-1]
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = model._default_manager.filter(pk=pk).first()
    if (
        page is None
        or page.url_path != _address(parent, slugs, levels)
        or page.slug != slugs[levels - 1]
        or page.path[: -Page.steplen * levels] != parent.path
        or page.depth != parent.depth + levels
    ):
        # Changed in a way no signal told this process of: ask as Wagtail does.
        return None
    return page, levels


def _chains_under(parent: Page, slugs: list[str]) -> dict[int, Chain]:
    """The pages under each run of `slugs` below `parent`, in one query: by
    number of slugs, the chain of pages down to it. The chain goes no
    deeper than a page that routes its own way."""
    addresses = [_address(parent, slugs, levels) for levels in range(1, len(slugs) + 1)]
    rows = Page.objects.filter(
        path__startswith=parent.path,
        depth__gt=parent.depth,
        depth__lte=parent.depth + len(slugs),
        url_path__in=addresses,
    ).values_list("pk", "content_type_id", "path", "depth", "url_path", "slug")
    by_level = {
        (depth - parent.depth, url_path): (pk, content_type_id, path, slug)
        for pk, content_type_id, path, depth, url_path, slug in rows
    }
    chains: dict[int, Chain] = {}
    chain: Chain = []
    above = parent.path
    for levels, (slug, address) in enumerate(zip(slugs, addresses, strict=True), 1):
        found = by_level.get((levels, address))
        if found is None or found[2][: -Page.steplen] != above or found[3] != slug:
            break
        pk, content_type_id, above, _slug = found
        chain = [*chain, (pk, content_type_id)]
        chains[levels] = chain
        if not _passes_through(chain[-1]):
            break
    return chains


def _passes_through(level: tuple[int, int]) -> bool:
    """Whether a page of this level's type routes with `route`, so that an
    address going on below it is only its children's."""
    model = ContentType.objects.get_for_id(level[1]).model_class()
    return model is not None and model.route is route


def addressed_as(request: HttpRequest) -> str:
    """The site and language a request's page addresses are written for, as
    part of a cache key: a value holding addresses is kept under it."""
    site = Site.find_for_request(request)
    return f"{site.pk if site else 0}:{get_language()}"


def page_urls(request: HttpRequest, pages: list[Page]) -> dict[int, str | None]:
    """Each page's address as `{% pageurl %}` gives it, by page id, in one
    read of the cache: Wagtail reverses each under its language."""
    prefix = f"url:{addressed_as(request)}"
    by_key = {f"{prefix}:{page.pk}": page for page in pages}
    urls = page_lookups.get_many(
        by_key,
        lambda missing: {key: by_key[key].get_url(request) for key in missing},
    )
    return {page.pk: urls[key] for key, page in by_key.items()}


def ancestors_shown(
    request: HttpRequest, page: Page, levels: int
) -> list[tuple[str, str | None]]:
    """The title and address of each of the `levels` pages above `page`,
    highest first, for breadcrumbs: from the cache, else in one query."""
    key = f"above:{addressed_as(request)}:{page.pk}:{levels}"

    def build() -> list[tuple[str, str | None]]:
        paths = [page.path[: -Page.steplen * up] for up in range(levels, 0, -1)]
        above = Page.objects.filter(path__in=paths).order_by("depth")
        return [(ancestor.title, ancestor.get_url(request)) for ancestor in above]

    return page_lookups.get(key, build)
