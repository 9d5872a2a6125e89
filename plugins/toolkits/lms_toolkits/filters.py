import django_filters

from lms_toolkits.models import ToolkitPage
from sdk import Topic, language_filter, topic_filter, topics_in_use


class ToolkitFilter(django_filters.FilterSet):
    topic = topic_filter()
    language = language_filter("toolkit_language")

    class Meta:
        model = ToolkitPage
        fields = ["topic", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only topics some toolkit here is filed under.
        self.filters["topic"].queryset = topics_in_use(
            Topic.objects.filter(toolkits__in=self.queryset)
        )
