"""A repeating series' rule (an iCalendar RRULE) expanded into start times,
in the group's local time. Reads only the series' fields, so the models
validate a rule with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _
from icalendar import vRecur

if TYPE_CHECKING:
    from scheduling.models import SessionSeries

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
    # The rule's occurrences have whole seconds (dateutil drops microseconds
    # from its start): a first start kept with them would not count as the
    # first occurrence, and a one-meeting series would have none.
    local_first = series.first_start.astimezone(zone).replace(
        tzinfo=None, microsecond=0
    )
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
