"""Make sure the page tree has a root, the locales, a root collection and a site.

Wagtail's migrations create these once, but a transactional test flush (and a
fresh database restored from elsewhere) can leave them missing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import get_language
from wagtail.models import Collection, Locale, Page, Site

from content.models import BrandSettings, HomePage, ProgramSettings
from lms.navigation import cached


def default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first()


def program_settings(
    site: Site | None, language: str | None = None
) -> ProgramSettings | None:
    """The site's contact and support details as worded in `language` (the
    active language by default), kept with the navigation cache."""
    if site is None:
        return None
    language = language or get_language() or settings.LANGUAGE_CODE
    return cached(
        f"program-settings:{site.pk}:{language}",
        lambda: ProgramSettings.for_site(site).in_language(language),
    )


def brand_settings(site: Site | None) -> BrandSettings:
    """The site's logo (its image with it) and colours, kept with the
    navigation cache; the design system's own without a site."""
    if site is None:
        return BrandSettings()

    def load() -> BrandSettings:
        # Read, never created here (for_site would write on a page view, and
        # the write would drop the navigation cache just filled).
        found = BrandSettings.objects.filter(site=site).select_related("logo").first()
        return found or BrandSettings(site=site)

    return cached(f"brand-settings:{site.pk}", load)


@dataclass(frozen=True)
class SiteTrees:
    """A site and the tree paths of its home page in every language: each of
    its pages, whatever its language, lies below one of them."""

    pk: int
    name: str
    paths: tuple[str, ...]

    def holds(self, path_field: str = "path") -> Q:
        """The condition that a page (`path_field` its tree path) is one of
        this site's."""
        held = Q(pk__in=[])
        for path in self.paths:
            held |= Q(**{f"{path_field}__startswith": path})
        return held


def site_holding(path: str, trees: Iterable[SiteTrees]) -> SiteTrees | None:
    """The site a page (by its tree path) is one of: the one whose home
    lies nearest above it (a site's home may lie below another's)."""
    holding = [
        (len(home), site)
        for site in trees
        for home in site.paths
        if path.startswith(home)
    ]
    return max(holding, key=itemgetter(0))[1] if holding else None


def site_of(path_field: str, trees: Iterable[SiteTrees]) -> Case:
    """`site_holding` as an expression: the id of the site a row's page
    (`path_field` its tree path) is one of, or None."""
    homes = sorted(
        ((home, site.pk) for site in trees for home in site.paths),
        key=lambda home: -len(home[0]),
    )
    return Case(
        *(
            When(**{f"{path_field}__startswith": path}, then=Value(pk))
            for path, pk in homes
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def sites_trees() -> dict[int, SiteTrees]:
    """Every site's trees by the site's id, read once until a page or site
    changes (the navigation cache): in two queries however many sites."""

    def load() -> dict[int, SiteTrees]:
        sites = list(
            Site.objects.select_related("root_page").order_by("site_name", "hostname")
        )
        paths: dict = {}
        for key, path in Page.objects.filter(
            translation_key__in=[site.root_page.translation_key for site in sites]
        ).values_list("translation_key", "path"):
            paths.setdefault(key, []).append(path)
        return {
            site.pk: SiteTrees(
                site.pk,
                site.site_name or site.hostname,
                tuple(sorted(paths.get(site.root_page.translation_key, []))),
            )
            for site in sites
        }

    return cached("sites-trees", load)


def ensure_locales() -> dict[str, Locale]:
    """The site's locales by language code, created when missing."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES
    }


def delete_wagtails_welcome_page() -> None:
    """Wagtail's placeholder "Welcome" page (its first migration makes it, and
    the default site on it) holds the slug the HomePage takes."""
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()


def ensure_home_page(title: str = "Learning Commons") -> HomePage:
    """The default site's HomePage, created in place of Wagtail's welcome page."""
    locales = ensure_locales()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", locale=locales[settings.LANGUAGE_CODE])
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    delete_wagtails_welcome_page()
    root.refresh_from_db()
    home = root.add_child(
        instance=HomePage(
            title=title, slug="home", locale=locales[settings.LANGUAGE_CODE]
        )
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": title,
        },
    )
    return home
