from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.utils.translation import gettext_lazy as _

from cohorts.models import CohortPage
from content.filters import TopicFilter, topics_in_use
from content.models import RESOURCE_LANGUAGES, Topic
from content.site import SiteTrees

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


# How the catalogue narrows groups by their coming meetings, and when each
# group next meets (scheduling's answers, added in its AppConfig.ready()):
# "day" and "starts_after" -> narrow(groups, value); "next_start" -> the
# expression annotating each group with the start of its next meeting.
meeting_filters: dict[str, Callable[[QuerySet, Any], QuerySet]] = {}
next_meeting: dict[str, Callable[[], BaseExpression]] = {}


def narrow_by_meetings(queryset: QuerySet, name: str, value: Any) -> QuerySet:
    narrow = meeting_filters.get(name)
    return queryset if narrow is None else narrow(queryset, value)


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    chapter = django_filters.ChoiceFilter(
        label=_("Chapter"), method="filter_chapter", empty_label=_("All chapters")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CohortPage.Kind.choices, empty_label=_("All kinds")
    )
    topic = TopicFilter("topic")
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=RESOURCE_LANGUAGES, empty_label=_("All languages")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=CohortPage.Format.choices,
        empty_label=_("In person or online"),
    )
    place = django_filters.CharFilter(
        label=_("Place"), field_name="area", lookup_expr="icontains"
    )
    day = django_filters.ChoiceFilter(
        label=_("Day of the week"),
        choices=WEEKDAYS,
        method="filter_day",
        empty_label=_("Any day"),
    )
    starts_after = django_filters.DateFilter(
        label=_("Starting on or after"),
        method="filter_starts_after",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = CohortPage
        fields = ["q", "kind", "topic", "language", "format", "place", "day"]

    def __init__(
        self, *args, chapters: Mapping[int, SiteTrees] | None = None, **kwargs
    ):
        """`chapters`: the sites whose groups the visitor may narrow the list
        to (the network's catalogue); none, no such choice."""
        super().__init__(*args, **kwargs)
        self.filters["topic"].queryset = topics_in_use(Topic.objects.all())
        self.chapters = chapters or {}
        if self.chapters:
            self.filters["chapter"].extra["choices"] = [
                (str(pk), trees.name) for pk, trees in self.chapters.items()
            ]
        else:
            del self.filters["chapter"]

    def filter_chapter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(self.chapters[int(value)].holds())

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(intro__icontains=value))

    def filter_day(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return narrow_by_meetings(queryset, "day", int(value))

    def filter_starts_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return narrow_by_meetings(queryset, "starts_after", value)
