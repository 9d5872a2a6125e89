from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Learning Commons core")

    def ready(self) -> None:
        from wagtail.models import Page

        from lms import (
            checks,  # noqa: F401 (registers the checks)
            converters,
            lookups,
            navigation,
            page_cache,
            page_lookups,
            serving,
        )
        from lms.roles import ensure_role_groups

        # Every page type's `url` (plugins' too): see lms/serving.py.
        Page.url = property(serving.url_on_the_serving_site)
        converters.register()
        lookups.register()
        # post_migrate also fires after a test flush, so the groups survive it.
        post_migrate.connect(ensure_role_groups, sender=self)
        navigation.site_data.invalidate_on_page_changes()
        page_lookups.page_lookups.invalidate_on_page_changes()
        page_cache.invalidate_on_every_change()
