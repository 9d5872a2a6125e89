"""The directory's filters: sector, what is offered, area, language, words."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lms_partners.models import Area, Partner, Sector, Service
from sdk import RESOURCE_LANGUAGES, in_active_language, translated_filter


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    sector = translated_filter(Sector, "sectors", _("Sector"), _("All sectors"))
    service = django_filters.ChoiceFilter(
        label=_("Offers"),
        field_name="services__kind",
        choices=Service.Kind.choices,
        empty_label=_("Anything"),
        distinct=True,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area served"),
        field_name="areas",
        queryset=Area.objects.none(),
        empty_label=_("All areas"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=RESOURCE_LANGUAGES,
        empty_label=_("All languages"),
        method="filter_language",
    )

    class Meta:
        model = Partner
        fields = ["q", "sector", "service", "area", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what some listed partner has.
        self.filters["sector"].queryset = in_active_language(
            Sector.objects.filter(partners__in=self.queryset)
        )
        self.filters["area"].queryset = Area.objects.filter(
            partners__in=self.queryset
        ).distinct()

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(organisation__name__icontains=word)
                | Q(description__icontains=word)
                | Q(services__name__icontains=word)
            )
        return queryset.distinct() if words else queryset

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The codes are kept as a JSON list: its text holds "es" in quotes.
        return queryset.filter(languages__icontains=f'"{value}"') if value else queryset
