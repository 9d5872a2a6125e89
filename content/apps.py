from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Pages and resources")

    def ready(self) -> None:
        from wagtail.images import get_image_model

        from content.models import (
            BrandSettings,
            ProgramSettings,
            ProgramSettingsWording,
        )
        from lms.navigation import invalidate_on

        # The brand's logo is kept with its image, so a replaced file shows.
        invalidate_on(
            ProgramSettings, ProgramSettingsWording, BrandSettings, get_image_model()
        )
