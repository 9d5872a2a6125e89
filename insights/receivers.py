"""How insights reacts to changes announced by the layers below it
(connected in InsightsConfig.ready)."""

from insights.dashboard import standing_changed
from lms.files import delete_on_commit


def membership_left(sender, membership, **kwargs) -> None:
    standing_changed(membership.cohort_id)


def attendance_recorded(sender, session, **kwargs) -> None:
    standing_changed(session.cohort_id)


def result_deleted(sender, instance, **kwargs) -> None:
    """A result's evidence file goes with it, whatever deleted it (its
    indicator, logic model or program removed in the admin)."""
    delete_on_commit(instance.file)
