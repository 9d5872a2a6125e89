from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ChaptersConfig(AppConfig):
    name = "chapters"
    verbose_name = _("Chapters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from chapters import receivers
        from chapters.access import (
            groups_of_led_chapters,
            leads_a_chapter,
            led_chapter_sites,
            newsletter_sites,
        )
        from chapters.setup import complete_leads_permissions
        from cohorts.programs import GroupManagers, group_managers
        from newsletter.models import subscriber_scopes

        page_published.connect(
            receivers.page_published, dispatch_uid="chapters-original-published"
        )
        # After lms's (listed first), which makes every app's permissions.
        post_migrate.connect(complete_leads_permissions, sender=self)

        # A chapter's leads manage the groups below its pages (their members,
        # sessions and announcements), filed under the network's programs or
        # their chapter's own, which they lead.
        managers = GroupManagers(
            groups=groups_of_led_chapters,
            includes=leads_a_chapter,
            sites=led_chapter_sites,
        )
        if managers not in group_managers:
            group_managers.append(managers)
        # A chapter's leads manage the newsletter list of its site.
        subscriber_scopes["chapters"] = newsletter_sites
