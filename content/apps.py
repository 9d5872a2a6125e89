from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Pages and resources")

    def ready(self) -> None:
        from content.models import ProgramSettings
        from lms.navigation import invalidate_on

        invalidate_on(ProgramSettings)
