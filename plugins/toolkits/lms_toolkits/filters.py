import django_filters
from django.utils.translation import gettext_lazy as _

from content.models import RESOURCE_LANGUAGES, Topic
from lms_toolkits.models import ToolkitPage


class ToolkitFilter(django_filters.FilterSet):
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.none(),
        empty_label=_("All topics"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="toolkit_language",
        choices=RESOURCE_LANGUAGES,
        empty_label=_("All languages"),
    )

    class Meta:
        model = ToolkitPage
        fields = ["topic", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only topics some toolkit here is filed under.
        self.filters["topic"].queryset = Topic.objects.filter(
            toolkits__in=self.queryset
        ).distinct()
