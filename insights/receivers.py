"""How insights reacts to changes announced by the layers below it
(connected in InsightsConfig.ready)."""

from insights.dashboard import standing_changed


def membership_left(sender, membership, **kwargs) -> None:
    standing_changed(membership.cohort_id)


def attendance_recorded(sender, session, **kwargs) -> None:
    standing_changed(session.cohort_id)
