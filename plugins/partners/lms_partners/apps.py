from django.utils.translation import gettext_lazy as _

from sdk import PluginConfig


class PartnersConfig(PluginConfig):
    name = "lms_partners"
    label = "partners"
    verbose_name = _("Partners and resource map")
    default_auto_field = "django.db.models.BigAutoField"
    requires_lms = ">=0.1,<2"
