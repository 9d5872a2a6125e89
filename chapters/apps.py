from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChaptersConfig(AppConfig):
    name = "chapters"
    verbose_name = _("Chapters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from chapters import receivers
        from chapters.access import groups_of_led_chapters, leads_a_chapter
        from cohorts.programs import GroupManagers, group_managers

        page_published.connect(
            receivers.page_published, dispatch_uid="chapters-original-published"
        )

        # A chapter's leads manage the groups below its pages (their members,
        # sessions and announcements), filed under any of the network's programs.
        managers = GroupManagers(
            groups=groups_of_led_chapters, includes=leads_a_chapter
        )
        if managers not in group_managers:
            group_managers.append(managers)
