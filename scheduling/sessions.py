"""Turning repeating series into sessions, and cancelling or moving one."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lms.events import SessionCancelled, SessionScheduled, emit
from scheduling.models import Session, SessionSeries
from scheduling.recurrence import occurrence_starts
from scheduling.signals import session_cancelled


@transaction.atomic
def sync_series(series: SessionSeries) -> list[Session]:
    """Create the series' missing sessions; cancel those the rule no longer has.

    Sessions already moved or edited by hand keep their changes, and a
    changed rule changes the future only: a session already begun stays as
    it was (its answers and attendance with it), and no new one is made in
    the past of a series that has sessions.
    """
    starts = occurrence_starts(series)
    duration = timedelta(minutes=series.duration_minutes)
    existing = {s.original_start: s for s in series.sessions.all()}
    now = timezone.now()
    created = []
    for start in starts:
        if start in existing or (existing and start <= now):
            continue
        session = Session.objects.create(
            cohort=series.cohort,
            series=series,
            original_start=start,
            title=series.title,
            starts_at=start,
            ends_at=start + duration,
            location_name=series.location_name,
            address=series.address,
            online_url=series.online_url,
            capacity=series.capacity,
        )
        created.append(session)
        emit(SessionScheduled(session_id=session.pk, cohort_id=series.cohort_id))
    dropped = [
        session
        for original_start, session in existing.items()
        if original_start not in starts
        and session.status == Session.Status.SCHEDULED
        and session.starts_at > now
    ]
    for session in dropped:
        cancel_session(session)
    return created


def cancel_session(session: Session) -> None:
    """Cancel one meeting; calendars and notices follow `session_cancelled`."""
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CANCELLED, sequence=F("sequence") + 1
    )
    emit(SessionCancelled(session_id=session.pk, cohort_id=session.cohort_id))
    session_cancelled.send(sender=Session, session=session)


def move_session(session: Session, starts_at: datetime, ends_at: datetime) -> None:
    """Move one meeting; calendars see a new SEQUENCE and update it."""
    session.starts_at, session.ends_at = starts_at, ends_at
    session.sequence = F("sequence") + 1
    session.save(update_fields=["starts_at", "ends_at", "sequence"])
    session.refresh_from_db(fields=["sequence"])
