from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts and sessions")

    def ready(self) -> None:
        from wagtail.models import PageViewRestriction, Site

        from cohorts import panels, personal_data
        from cohorts.catalogue import cards, filter_fields, listings
        from content.models import Topic
        from lms.plugins import plugin_manager

        # The catalogue's filter form offers the topics; its cards show a
        # group's page and its topic, its listings find groups by both.
        for kept in (filter_fields, cards, listings):
            kept.invalidate_on(Topic)
        for kept in (cards, listings):
            kept.invalidate_on_page_changes()
        # A private group is not listed: its page made private drops it.
        listings.invalidate_on(PageViewRestriction)
        # The network's filter form names the chapters (sites).
        filter_fields.invalidate_on(Site)

        # Core's answers to the hooks plugins answer too.
        for name, answers in (
            ("cohorts", personal_data),  # "cohorts" in a person's download
            ("cohorts.panels", panels),
        ):
            if not plugin_manager.is_registered(answers):
                plugin_manager.register(answers, name=name)
