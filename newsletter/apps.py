from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from lms.plugins import plugin_manager
        from newsletter import hooks

        if not plugin_manager.is_registered(hooks):
            plugin_manager.register(hooks, name="newsletter")
