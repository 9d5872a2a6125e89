from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Sessions and attendance")

    def ready(self) -> None:
        from cohorts import filters, group_pages, personal_data, signals
        from cohorts import panels as cohort_panels
        from cohorts.catalogue import listings as catalogue_listings
        from cohorts.urls import add_patterns
        from scheduling import catalogue, panels, receivers, urls
        from scheduling import group_pages as scheduling_group_pages
        from scheduling.models import Session
        from scheduling.personal_data import attendance, give_up_seats, rsvps
        from scheduling.signals import session_cancelled

        # Whoever leaves a group gives up their seats at its coming sessions
        # (the waiting lists move up).
        signals.membership_left.connect(
            receivers.membership_left, dispatch_uid="scheduling-seats-left"
        )
        signals.membership_lapsed.connect(
            receivers.membership_lapsed, dispatch_uid="scheduling-seats-lapsed"
        )
        signals.term_copied.connect(
            receivers.term_copied, dispatch_uid="scheduling-sessions-term"
        )
        filters.meeting_filters["day"] = catalogue.meeting_on_weekday
        filters.meeting_filters["starts_after"] = catalogue.meeting_from
        filters.next_meeting["next_start"] = catalogue.next_start
        # The catalogue's kept listings order groups by their next meeting.
        catalogue_listings.invalidate_on(Session)
        session_cancelled.connect(
            catalogue_listings.invalidate,
            weak=False,
            dispatch_uid="catalogue-listings-cancelled",
        )
        cohort_panels.groups_panel_contexts["sessions"] = panels.next_sessions
        group_pages.space_contexts["sessions"] = scheduling_group_pages.session_rows
        group_pages.meetings_end["sessions"] = scheduling_group_pages.last_meeting_end
        personal_data.export_sections["rsvps"] = rsvps
        personal_data.export_sections["attendance"] = attendance
        personal_data.erase_steps["seats"] = give_up_seats
        # The RSVP and attendance pages keep their addresses and names under
        # /cohorts/.
        add_patterns(urls.urlpatterns)
