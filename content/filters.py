import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant

from content.models import RESOURCE_LANGUAGES, ResourcePage, Topic

FILE_TYPES = [
    ("pdf", "PDF"),
    ("doc", _("Word document")),
    ("xls", _("Spreadsheet")),
    ("ppt", _("Slides")),
    ("txt", _("Text")),
]
# One filter choice covers the old and new formats of the same kind of file.
FILE_EXTENSIONS = {
    "pdf": ["pdf"],
    "doc": ["doc", "docx", "odt", "rtf"],
    "xls": ["xls", "xlsx", "ods", "csv"],
    "ppt": ["ppt", "pptx", "odp"],
    "txt": ["txt"],
}


def in_active_language(rows: QuerySet) -> QuerySet:
    """The active language's versions of translatable snippets' `rows`.

    Each language has its own row and the rows share the slug, so a slug
    names one only within a locale."""
    return rows.model.objects.filter(
        locale__language_code=get_supported_content_language_variant(get_language()),
        translation_key__in=rows.values("translation_key"),
    )


def topics_in_use(topics: QuerySet) -> QuerySet:
    """The active language's versions of `topics`."""
    return in_active_language(topics)


class TranslatedChoiceFilter(django_filters.ModelChoiceFilter):
    """Rows filed under a translatable snippet (by slug, in the active
    language), in whichever language the rows' own snippets are. Offers no
    choices until the filter set narrows them (`in_active_language`) to
    those its rows use."""

    def __init__(self, model, field_name: str, label, empty_label):
        super().__init__(
            label=label,
            field_name=field_name,
            to_field_name="slug",
            queryset=model.objects.none(),
            empty_label=empty_label,
        )

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            **{f"{self.field_name}__translation_key": value.translation_key}
        ).distinct()


def translated_filter(
    model, field_name: str, label, empty_label
) -> TranslatedChoiceFilter:
    """A filter of a listing by a translatable snippet (a topic, a sector)."""
    return TranslatedChoiceFilter(model, field_name, label, empty_label)


class TopicFilter(TranslatedChoiceFilter):
    """Pages filed under a topic."""

    def __init__(self, field_name: str):
        super().__init__(Topic, field_name, _("Topic"), _("All topics"))


def topic_filter() -> TopicFilter:
    """A filter of a listing by topic, offering the topics in use."""
    return TopicFilter("topics")


def language_filter(field_name: str) -> django_filters.ChoiceFilter:
    """Pages in one of the languages resources are published in."""
    return django_filters.ChoiceFilter(
        label=_("Language"),
        field_name=field_name,
        choices=RESOURCE_LANGUAGES,
        empty_label=_("All languages"),
    )


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    topic = topic_filter()
    language = language_filter("resource_language")
    file_type = django_filters.ChoiceFilter(
        label=_("File type"),
        choices=FILE_TYPES,
        method="filter_file_type",
        empty_label=_("All file types"),
    )

    class Meta:
        model = ResourcePage
        fields = ["q", "topic", "language", "file_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only topics that something in this library is filed under.
        self.filters["topic"].queryset = topics_in_use(
            Topic.objects.filter(resources__in=self.queryset)
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(title__icontains=value) | Q(intro__icontains=value))

    def filter_file_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for extension in FILE_EXTENSIONS[value]:
            query |= Q(document__file__iendswith=f".{extension}")
        return queryset.filter(query)


@dataclass(frozen=True)
class AppliedFilter:
    label: str
    value: str


def applied_filters(filterset: django_filters.FilterSet) -> list[AppliedFilter]:
    """The filters a visitor has applied, each as its field's label and the
    value as the form offers it, so a page can say what it is showing while
    the form stays folded; none while the form has errors."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return []
    applied = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            shown = field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            shown = {str(key): text for key, text in field.choices}[str(value)]
        elif isinstance(value, datetime.date):
            shown = date_format(value)
        else:
            shown = value
        applied.append(AppliedFilter(str(field.label), str(shown)))
    return applied
