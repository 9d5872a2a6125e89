from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete
        from wagtail.models import Site

        from lms.plugins import plugin_manager
        from newsletter import hooks
        from newsletter.models import join_the_network_s_list

        if not plugin_manager.is_registered(hooks):
            plugin_manager.register(hooks, name="newsletter")
        pre_delete.connect(
            join_the_network_s_list, sender=Site, dispatch_uid="newsletter-site-gone"
        )
