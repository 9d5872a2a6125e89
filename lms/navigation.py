"""Data every public page shows (menu, translation links), cached between edits.

Every save, delete, move or rename of a page or site (and every save or delete of
a model an app passes to `invalidate_on`) drops them all, so a publish,
unpublish, move or rename shows on the next request.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from lms.versioned_cache import VersionedCache

TTL_SECONDS = 300


@dataclass(frozen=True)
class MenuItem:
    page_id: int
    title: str
    url: str


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


# Added to a language's home page address when the page someone switched from
# has no version in that language, so the home page can say so.
UNTRANSLATED_PARAMETER = "untranslated"


site_data = VersionedCache("lms:navigation", TTL_SECONDS)
cached = site_data.get
invalidate_on = site_data.invalidate_on


def menu(request: HttpRequest) -> list[MenuItem]:
    """Pages marked "show in menus" under this language's home page."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    language = get_language()

    def build() -> list[MenuItem]:
        home = (
            Page.objects.filter(
                translation_key=site.root_page.translation_key,
                locale__language_code=language,
            )
            .live()
            .first()
        ) or site.root_page
        return [
            MenuItem(page.pk, page.title, page.get_url(request))
            for page in home.get_children().live().in_menu().select_related("locale")
        ]

    return cached(f"menu:{site.pk}:{language}", build)


def language_links(request: HttpRequest, page: Page | None) -> list[LanguageLink]:
    """A link per interface language: the page's translation where one exists,
    else that language's home page, marked so that it says the page has no
    version in that language; outside Wagtail, the same view translated."""
    current = get_language()
    urls: dict[str, str] = {}
    site = Site.find_for_request(request)
    offered = site_languages(site)
    if page is not None and page.pk:
        urls = cached(
            f"translations:{site.pk if site else 0}:{page.pk}",
            lambda: _translation_urls(request, page, site),
        )
    return [
        LanguageLink(
            code,
            name,
            urls.get(code) or translate_url(request.get_full_path(), code),
            code == current,
        )
        for code, name in settings.LANGUAGES
        if offered is None or code in offered or code == current
    ]


def site_languages(site: Site | None) -> set[str] | None:
    """The languages a site has its home page in: a chapter's site offers
    only its own (a link to a language it has no pages in would lead
    nowhere). None, without a site: every interface language."""
    if site is None:
        return None
    return cached(
        f"site-languages:{site.pk}",
        lambda: set(
            site.root_page.get_translations(inclusive=True)
            .live()
            .values_list("locale__language_code", flat=True)
        ),
    )


def _translation_urls(request: HttpRequest, page: Page, site: Site | None) -> dict:
    urls = {
        translation.locale.language_code: translation.get_url(request)
        for translation in page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
    }
    missing = [code for code, _ in settings.LANGUAGES if code not in urls]
    if site and missing:
        for home in (
            site.root_page.get_translations(inclusive=True)
            .live()
            .filter(locale__language_code__in=missing)
            .select_related("locale")
        ):
            urls[home.locale.language_code] = (
                f"{home.get_url(request)}?{UNTRANSLATED_PARAMETER}=1"
            )
    return urls
