"""The catalogue: every group open for sign-up, those that meet in the
visitor's language first, each saying which language it meets in.

A group meets in one language, so its page lives in that language's tree only
(its members, sessions and RSVPs hang off that one page); the catalogue of
every language lists them all."""

from django.db.models import BooleanField, Case, DateTimeField, F, Value, When
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cohorts.filters import CatalogueFilter, next_meeting
from cohorts.models import CohortPage, LearningPathPage
from content.listings import filter_and_paginate
from content.models import RESOURCE_LANGUAGES
from content.translation import show_topics_in_active_language
from lms.page_lookups import page_urls
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


def rendered_filter_fields(filterset: CatalogueFilter) -> SafeString | None:
    form = filterset.form
    if any(form.data.get(name) for name in FREE_TEXT_FILTERS) or not form.is_valid():
        return None
    chosen = urlencode([(name, form.data.get(name, "")) for name in form.fields])
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
    kind and format, and its address (read from the cache all at once)."""
    urls = page_urls(request, cohorts)
    for cohort in cohorts:
        cohort.kind_label = KIND_LABELS.get(cohort.kind, cohort.kind)
        cohort.format_label = FORMAT_LABELS.get(cohort.format, cohort.format)
        cohort.card_url = urls[cohort.pk]


def _next_start():
    """When each group next meets; groups with no meeting to come list last."""
    if "next_start" in next_meeting:
        return next_meeting["next_start"]()
    return Value(None, output_field=DateTimeField())


def catalogue_context(request: HttpRequest, catalogue: CohortPage) -> dict:
    cohorts = (
        CohortPage.objects.live()
        .filter(signup_open=True)
        .annotate(
            next_start=_next_start(),
            in_another_language=Case(
                When(language=get_language(), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
        )
        .select_related("topic", "locale")
        # The cards show none of the body: no StreamField to load for each.
        .defer("body")
        .order_by("in_another_language", F("next_start").asc(nulls_last=True), "title")
    )
    context = filter_and_paginate(request, CatalogueFilter, cohorts)
    context["filter_fields"] = rendered_filter_fields(context["filter"])
    show_topics_in_active_language(context["items"])
    prepare_cards(request, list(context["items"]))
    context["paths"] = LearningPathPage.objects.live().child_of(catalogue)
    return context
