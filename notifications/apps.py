from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Announcements and e-mails")

    def ready(self) -> None:
        from cohorts import personal_data, signals
        from cohorts.urls import add_patterns
        from notifications import (
            checks,  # noqa: F401 (registers the checks)
            inbox,
            inbox_emails,
            receivers,
            urls,
        )
        from notifications.personal_data import (
            announcements_written,
            notification_choices,
            notifications_received,
        )
        from scheduling import signals as scheduling_signals
        from scheduling.models import Session

        post_save.connect(
            receivers.session_saved,
            sender=Session,
            dispatch_uid="notifications-reminders",
        )
        scheduling_signals.session_cancelled.connect(
            receivers.session_cancelled, dispatch_uid="notifications-cancelled"
        )
        scheduling_signals.seats_given.connect(
            receivers.seats_given, dispatch_uid="notifications-seats-given"
        )
        signals.membership_promoted.connect(
            receivers.membership_promoted, dispatch_uid="notifications-place-opened"
        )
        inbox.notified.connect(
            inbox_emails.notified, dispatch_uid="notifications-email-at-once"
        )
        personal_data.export_sections["announcements_written"] = announcements_written
        personal_data.export_sections["notifications"] = notifications_received
        personal_data.export_sections["notification_choices"] = notification_choices
        # A group's announcements and the e-mail pages are served under
        # /cohorts/, with the names of a group's pages.
        add_patterns(urls.urlpatterns)
