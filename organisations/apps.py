from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lms.plugins import plugin_manager
        from organisations import hooks

        if not plugin_manager.is_registered(hooks):
            plugin_manager.register(hooks, name="organisations")
