"""A thread for each meeting of a group that uses discussions, opened when
the meeting is scheduled (core's SessionScheduled, through hooks.py, for a
series' meetings; a session added on its own is a save), and for the
meetings already planned when a group switches discussions on (its page
published)."""

from django.db.models.signals import post_save
from wagtail.signals import page_published

from lms_discussions.access import LABEL
from lms_discussions.records import open_session_threads
from sdk import CohortPage, Session


def open_for_group(cohort_id: int | None) -> None:
    cohort = CohortPage.objects.filter(pk=cohort_id).first() if cohort_id else None
    if cohort is not None and cohort.uses_plugin(LABEL):
        open_session_threads(cohort)


def _session_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        open_for_group(instance.cohort_id)


def _group_published(sender, instance, **kwargs) -> None:
    if instance.uses_plugin(LABEL):
        open_session_threads(instance)


def connect_signals() -> None:
    post_save.connect(
        _session_saved, sender=Session, dispatch_uid="discussions-session"
    )
    page_published.connect(
        _group_published, sender=CohortPage, dispatch_uid="discussions-group"
    )
