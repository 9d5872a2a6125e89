from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Dashboards and reports")

    def ready(self) -> None:
        from cohorts import signals
        from cohorts.models import Membership
        from cohorts.urls import add_patterns
        from insights import receivers, urls
        from insights.dashboard import lesson_counts, member_tables, standings
        from insights.models import IndicatorResult
        from learning.models import LessonProgress
        from scheduling import signals as scheduling_signals
        from scheduling.models import Session

        # A group's standing counts its members and held sessions. Attendance
        # saved in bulk and a leave done by a conditional update send no model
        # signals, so the register and leaving announce themselves.
        def its_group(instance) -> str:
            return str(instance.cohort_id)

        standings.invalidate_on(Membership, Session, scope=its_group)
        # The member table shows lesson work at once: a save drops the group's.
        member_tables.invalidate_on(
            Membership, Session, LessonProgress, scope=its_group
        )
        lesson_counts.invalidate_on_page_changes()
        signals.membership_left.connect(
            receivers.membership_left, dispatch_uid="insights-standing-left"
        )
        scheduling_signals.attendance_recorded.connect(
            receivers.attendance_recorded, dispatch_uid="insights-standing-attendance"
        )
        post_delete.connect(
            receivers.result_deleted,
            sender=IndicatorResult,
            dispatch_uid="insights-result-evidence",
        )
        # The pages keep their addresses and names under /cohorts/.
        add_patterns(urls.urlpatterns)
