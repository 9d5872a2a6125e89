"""Turning repeating series into sessions, in the cohort's local time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from icalendar import vRecur

from cohorts.models import Session, SessionSeries
from cohorts.signals import session_cancelled
from lms.events import SessionCancelled, SessionScheduled, emit

# An open-ended rule (no COUNT or UNTIL) is expanded this far ahead.
HORIZON = timedelta(days=366)
MAX_OCCURRENCES = 400


class RecurrenceError(ValueError):
    """The series' rule cannot be expanded; the message says why."""


def expand(series: SessionSeries) -> tuple[list[datetime], list[datetime]]:
    """The rule's start times, as (meetings, skipped for an excluded date).

    The rule runs on local wall-clock time, then each start gets the time
    zone's offset for that day: the meeting keeps its local time when
    daylight saving starts or ends.
    """
    zone = ZoneInfo(series.cohort.time_zone)
    local_first = series.first_start.astimezone(zone).replace(tzinfo=None)
    try:
        rule = rrulestr(_local_until(series.rrule, zone), dtstart=local_first)
        excluded = {date.fromisoformat(str(day)) for day in series.excluded_dates}
        local_starts = rule.between(
            local_first, local_first + HORIZON, inc=True, count=MAX_OCCURRENCES
        )
    except (ValueError, TypeError) as error:
        raise RecurrenceError(
            _("The repeat rule is not valid: %(error)s") % {"error": error}
        ) from error
    meetings, skipped = [], []
    for start in local_starts[:MAX_OCCURRENCES]:
        (skipped if start.date() in excluded else meetings).append(
            start.replace(tzinfo=zone)
        )
    return meetings, skipped


def _local_until(rule: str, zone: ZoneInfo) -> str:
    """The rule with an end (UNTIL) given in UTC, as iCalendar asks, turned
    into the local time the rule runs on."""
    recur = vRecur.from_ical(rule)
    if "UNTIL" in recur:
        recur["UNTIL"] = [
            until.astimezone(zone).replace(tzinfo=None)
            if isinstance(until, datetime) and until.tzinfo
            else until
            for until in recur["UNTIL"]
        ]
    return recur.to_ical().decode()


def occurrence_starts(series: SessionSeries) -> list[datetime]:
    """Start times of the series' meetings, skipping excluded dates."""
    return expand(series)[0]


@transaction.atomic
def sync_series(series: SessionSeries) -> list[Session]:
    """Create the series' missing sessions; cancel those the rule no longer has.

    Sessions already moved or edited by hand keep their changes.
    """
    starts = occurrence_starts(series)
    duration = timedelta(minutes=series.duration_minutes)
    existing = {s.original_start: s for s in series.sessions.all()}
    created = []
    for start in starts:
        if start in existing:
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
        if original_start not in starts and session.status == Session.Status.SCHEDULED
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
