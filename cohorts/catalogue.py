"""The catalogue: every group open for sign-up, those that meet in the
visitor's language first, each saying which language it meets in.

A group meets in one language, so its page lives in that language's tree only
(its members, sessions and RSVPs hang off that one page); the catalogue of
every language lists them all."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    Min,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from cohorts.filters import CatalogueFilter, next_meeting
from cohorts.models import CohortPage, LearningPathPage
from cohorts.permissions import privacy_refuses_sessionless
from content.listings import INDEX_PAGE_SIZE, filtered, paginate
from content.models import RESOURCE_LANGUAGES
from content.site import sites_trees
from content.translation import show_topics_in_active_language
from lms.page_lookups import addressed_as, page_urls
from lms.versioned_cache import VersionedCache

# Said whole, so each language words it its own way ("se reúne en inglés").
MEETS_IN = {
    "en": _("Meets in English"),
    "es": _("Meets in Spanish"),
}


def meets_in(language: str) -> str:
    if language in MEETS_IN:
        return MEETS_IN[language]
    name = dict(RESOURCE_LANGUAGES).get(language, language)
    return format_lazy(_("Meets in {language}"), language=name)


# The filter form's fields as HTML, by language and the values chosen:
# rendering the options of its selects took as long as a whole bare page.
# Kept only for a valid form with no free text or date, so the keys are the
# choices' combinations, not whatever anyone types; dropped when a topic (the
# topic filter's choices) is saved or deleted.
filter_fields = VersionedCache(
    "catalogue:filter-fields", ttl_seconds=300, alias="catalogue"
)
FREE_TEXT_FILTERS = ("q", "place", "starts_after")


def chosen_choices(filterset: CatalogueFilter) -> str | None:
    """The choices of a valid form with no free text or date, as a key
    (every field, in the form's order), or None."""
    form = filterset.form
    if any(form.data.get(name) for name in FREE_TEXT_FILTERS) or not form.is_valid():
        return None
    return urlencode([(name, form.data.get(name, "")) for name in form.fields])


def rendered_filter_fields(
    filterset: CatalogueFilter, chosen: str | None
) -> SafeString | None:
    """`chosen`: `chosen_choices(filterset)`."""
    if chosen is None:
        return None
    return mark_safe(  # noqa: S308 (rendered by our template, escaped there)
        filter_fields.get(
            f"{get_language()}:{chosen}",
            lambda: str(
                render_to_string(
                    "content/includes/filter_fields.html", {"filter": filterset}
                )
            ),
        )
    )


# Each card's kind and format: `get_kind_display` hashes every choice's lazy
# label (translating each) to look one up, twice a card.
KIND_LABELS = dict(CohortPage.Kind.choices)
FORMAT_LABELS = dict(CohortPage.Format.choices)


def prepare_cards(request: HttpRequest, cohorts) -> None:
    """What each card shows that is costly to work out one by one: its
    kind and format, its topic in the visitor's language, and its address
    (read from the cache all at once)."""
    show_topics_in_active_language(cohorts)
    urls = page_urls(request, cohorts)
    site = Site.find_for_request(request)
    elsewhere = [
        tree for pk, tree in sites_trees().items() if site is None or pk != site.pk
    ]
    for cohort in cohorts:
        # A group of another site (a chapter's, on the network's catalogue)
        # says whose it is.
        cohort.chapter_name = next(
            (tree.name for tree in elsewhere if cohort.path.startswith(tree.paths)),
            "",
        )
        cohort.kind_label = KIND_LABELS.get(cohort.kind, cohort.kind)
        cohort.format_label = FORMAT_LABELS.get(cohort.format, cohort.format)
        cohort.card_url = urls[cohort.pk]


# Each group's card as HTML, by site, language and when it next meets (a
# card shows nothing else that changes without a save of its page or of a
# topic, which drop them all): twenty cards took as long as the rest of the
# page. The catalogue of any visitor shows the same cards.
cards = VersionedCache("catalogue:cards", ttl_seconds=300, alias="catalogue")


Row = tuple[int, datetime | None]  # a group's id and when it next meets


def rendered_cards(request: HttpRequest, rows: list[Row]) -> list[SafeString]:
    """The card of each group listed, from the cache; the groups whose card
    is not kept are read, in one query, and their cards made."""
    language = get_language()
    prefix = addressed_as(request)
    by_key = {
        f"{prefix}:{pk}:{next_start.isoformat() if next_start else ''}": (
            pk,
            next_start,
        )
        for pk, next_start in rows
    }

    def render(missing: list[str]) -> dict[str, str]:
        found = (
            CohortPage.objects.select_related("topic", "locale")
            .defer("body")
            .in_bulk([by_key[key][0] for key in missing])
        )
        shown = {
            key: found[by_key[key][0]] for key in missing if by_key[key][0] in found
        }
        for key, cohort in shown.items():
            cohort.next_start = by_key[key][1]
            cohort.in_another_language = cohort.language != language
        prepare_cards(request, list(shown.values()))
        return {
            key: render_to_string(
                "cohorts/includes/catalogue_card.html", {"cohort": cohort}
            )
            for key, cohort in shown.items()
        }

    kept = cards.get_many(by_key, render)
    return [
        mark_safe(kept[key])  # noqa: S308 (rendered by our template, escaped there)
        for key in by_key
        if key in kept
    ]


@dataclass(frozen=True)
class Listed:
    """One page of the catalogue as the database gave it: how many groups
    match, the page's number and its groups, and until when it stays true
    (the first coming meeting of any open group: once it starts, groups'
    next meetings, their order and who meets on which day change)."""

    count: int
    number: int
    rows: list[Row]
    true_until: datetime | None  # None: not kept, or no meeting to come


class ListedRows(Sequence):
    """A listing as long as its count holding one page's rows, for Django's
    paginator to make its page of (its page numbers, previous and next)."""

    def __init__(self, listed: Listed, per_page: int):
        self.listed = listed
        self.offset = (listed.number - 1) * per_page

    def __len__(self) -> int:
        return self.listed.count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.start != self.offset:
            raise IndexError("Only the page that was listed can be read.")
        return self.listed.rows


# Pages of the catalogue filtered by choices only, as the database listed
# them: counting and ordering the groups (each by its next meeting) cost
# more than showing them. Same keys as `filter_fields`, and the page number
# (a plain number only). Dropped when a page, a topic or a session is saved
# or deleted (scheduling's AppConfig.ready), and when `true_until` passes.
listings = VersionedCache("catalogue:listings", ttl_seconds=300, alias="catalogue")
# The first page, asked for with or without its number, and the next ones
# written as the pagination writes them ("07" or "1e1" are made afresh).
KEPT_PAGE_NUMBERS = {"", *(str(number) for number in range(1, 101))}


def listed_page(
    request: HttpRequest, filterset: CatalogueFilter, chosen: str | None
) -> Listed:
    """`chosen`: `chosen_choices(filterset)`, the key of a listing kept."""
    asked = request.GET.get("page", "")
    now = timezone.now()
    if chosen is None or asked not in KEPT_PAGE_NUMBERS:
        return _list(request, filterset)

    def to_keep() -> Listed:
        first_meeting = open_groups().order_by().aggregate(first=Min("next_start"))
        return replace(_list(request, filterset), true_until=first_meeting["first"])

    return listings.get(
        f"{get_language()}:{chosen}:{asked}",
        to_keep,
        keep=lambda kept: kept.true_until is None or now < kept.true_until,
    )


def _list(request: HttpRequest, filterset: CatalogueFilter) -> Listed:
    page = paginate(request, filterset.qs)
    rows = list(page.object_list.values_list("pk", "next_start"))
    return Listed(page.paginator.count, page.number, rows, true_until=None)


def _next_start():
    """When each group next meets; groups with no meeting to come list last."""
    if "next_start" in next_meeting:
        return next_meeting["next_start"]()
    return Value(None, output_field=DateTimeField())


def with_next_start(groups: QuerySet) -> QuerySet:
    """The groups, each with `next_start`: when it next meets (None: no
    meeting to come)."""
    return groups.annotate(next_start=_next_start())


def open_groups():
    return with_next_start(CohortPage.objects.live().filter(signup_open=True))


def listed_groups():
    """The groups the catalogue lists: open to sign-up, and public. A group
    whose page (or a page above it, or the page it is an alias of) is
    private is left out for everyone: the listing is the same for every
    visitor (kept), and a private group's name and description are not for
    everyone; its people reach it through its own links."""
    return open_groups().exclude(privacy_refuses_sessionless(AnonymousUser(), "path"))


def catalogue_filter(request: HttpRequest) -> tuple[CatalogueFilter, str]:
    """The catalogue's filter set on the request's query, over the groups it
    lists, and the scope of what it lists. A chapter's catalogue (a site
    other than the default one) lists the groups of its own pages; the
    network's (the default site's) every site's, and may be narrowed to one
    chapter's. The API's list of groups is the same."""
    site = Site.find_for_request(request)
    trees = sites_trees()
    cohorts = (
        listed_groups()
        .annotate(
            in_another_language=Case(
                When(language=get_language(), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
        )
        .order_by(
            "in_another_language", F("next_start").asc(nulls_last=True), "title", "pk"
        )
    )
    if site is None or site.is_default_site or site.pk not in trees:
        scope = "network"
        chapters = {
            pk: tree for pk, tree in trees.items() if site is None or pk != site.pk
        }
    else:
        scope, chapters = f"site-{site.pk}", {}
        cohorts = cohorts.filter(trees[site.pk].holds())
    return (
        filtered(request, partial(CatalogueFilter, chapters=chapters), cohorts),
        scope,
    )


def catalogue_context(request: HttpRequest, catalogue: CohortPage) -> dict:
    filterset, scope = catalogue_filter(request)
    chosen = chosen_choices(filterset)
    if chosen is not None:
        chosen = f"{scope}|{chosen}"
    listed = listed_page(request, filterset, chosen)
    return {
        "filter": filterset,
        "filter_fields": rendered_filter_fields(filterset, chosen),
        "items": Paginator(ListedRows(listed, INDEX_PAGE_SIZE), INDEX_PAGE_SIZE).page(
            listed.number
        ),
        "cards": rendered_cards(request, listed.rows),
        "paths": learning_paths(request, catalogue),
    }


def learning_paths(request: HttpRequest, catalogue: CohortPage) -> list[dict]:
    """The learning paths under the catalogue, as its cards show them (kept
    with the cards: a path is a page)."""
    return cards.get(
        f"paths:{addressed_as(request)}:{catalogue.pk}",
        lambda: [
            {"title": path.title, "intro": path.intro, "url": path.get_url(request)}
            for path in LearningPathPage.objects.live().child_of(catalogue)
        ],
    )
