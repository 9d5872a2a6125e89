from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError

from scheduling.models import Session, SessionSeries
from scheduling.recurrence import RecurrenceError, occurrence_starts
from scheduling.sessions import move_session, sync_series
from tests.factories import CohortPageFactory

pytestmark = pytest.mark.django_db
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(parent=home_page, time_zone="America/Los_Angeles")


def weekly_series(circle, **extra) -> SessionSeries:
    # 18:00 local on Thursday 22 October 2026; clocks go back on 1 November.
    return SessionSeries.objects.create(
        cohort=circle,
        first_start=datetime(2026, 10, 22, 18, 0, tzinfo=LOS_ANGELES),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;COUNT=4",
        location_name="Eastside Library",
        **extra,
    )


def test_weekly_series_keeps_its_local_time_across_the_dst_change(circle):
    starts = occurrence_starts(weekly_series(circle))
    assert [s.astimezone(LOS_ANGELES).hour for s in starts] == [18, 18, 18, 18]
    utc_hours = [s.astimezone(ZoneInfo("UTC")).hour for s in starts]
    assert utc_hours == [1, 1, 2, 2]  # PDT (UTC-7) then PST (UTC-8)


def test_a_first_start_with_microseconds_is_the_first_meeting(circle):
    """A series made in code (timezone.now() + 3 days) has microseconds."""
    first = datetime(2026, 10, 22, 18, 0, 0, 250_000, tzinfo=LOS_ANGELES)
    series = weekly_series(circle)
    series.first_start, series.rrule = first, "FREQ=WEEKLY;COUNT=1"
    assert occurrence_starts(series) == [first.replace(microsecond=0)]
    series.rrule = "FREQ=WEEKLY;COUNT=2"
    assert occurrence_starts(series)[0] == first.replace(microsecond=0)


def test_excluded_dates_are_skipped(circle):
    series = weekly_series(circle, excluded_dates=["2026-10-29"])
    days = [s.astimezone(LOS_ANGELES).day for s in occurrence_starts(series)]
    assert days == [22, 5, 12]


def test_sync_creates_each_meeting_once_and_cancels_dropped_ones(circle, monkeypatch):
    # Before the series starts: a changed rule changes only the future.
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 10, 1, tzinfo=LOS_ANGELES)
    )
    series = weekly_series(circle)
    assert len(sync_series(series)) == 4
    assert sync_series(series) == []
    assert Session.objects.filter(series=series).count() == 4

    series.excluded_dates = ["2026-11-05"]
    series.save()
    sync_series(series)
    cancelled = Session.objects.get(status=Session.Status.CANCELLED)
    assert cancelled.starts_at.astimezone(LOS_ANGELES).day == 5
    assert cancelled.sequence == 1


def test_a_moved_meeting_keeps_its_move_and_gets_a_new_sequence(circle):
    series = weekly_series(circle)
    sync_series(series)
    session = Session.objects.order_by("starts_at").first()
    new_start = datetime(2026, 10, 23, 17, 0, tzinfo=LOS_ANGELES)
    move_session(session, new_start, new_start.replace(hour=19))
    sync_series(series)
    session.refresh_from_db()
    assert session.starts_at == new_start
    assert session.sequence == 1
    assert Session.objects.filter(series=series).count() == 4


def test_open_ended_rules_stop_at_the_horizon(circle):
    series = weekly_series(circle)
    series.rrule = "FREQ=WEEKLY"
    assert 50 <= len(occurrence_starts(series)) <= 53


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "not a rule", ""])
def test_invalid_rules_raise_a_clear_error(circle, rule):
    series = weekly_series(circle)
    series.rrule = rule
    with pytest.raises(RecurrenceError, match="repeat rule is not valid"):
        occurrence_starts(series)


@pytest.mark.django_db
def test_an_end_date_in_utc_as_calendars_write_it_is_understood(home_page):
    circle = CohortPageFactory(parent=home_page, time_zone="America/Los_Angeles")
    series = SessionSeries(
        cohort=circle,
        first_start=datetime(2026, 2, 3, 18, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
        rrule="FREQ=WEEKLY;UNTIL=20260218T020000Z",  # 17 Feb, 18:00 in Los Angeles
    )
    assert [start.day for start in occurrence_starts(series)] == [3, 10, 17]


def test_an_open_ended_rule_runs_a_year_and_a_day_ahead(home_page):
    """Without COUNT or UNTIL, a daily rule gives the meetings of the next 366
    days, the first and the last included."""
    circle = CohortPageFactory(parent=home_page, time_zone="UTC")
    first = datetime(2026, 3, 2, 18, 0, tzinfo=ZoneInfo("UTC"))
    series = SessionSeries(cohort=circle, first_start=first, rrule="FREQ=DAILY")
    starts = occurrence_starts(series)
    assert len(starts) == 367
    assert starts[0] == first
    assert starts[-1] == datetime(2027, 3, 3, 18, 0, tzinfo=ZoneInfo("UTC"))


def test_a_runaway_rule_stops_at_four_hundred_meetings(home_page):
    """An hourly rule would make thousands of sessions in a year: the first
    400 are made, no more."""
    circle = CohortPageFactory(parent=home_page, time_zone="UTC")
    first = datetime(2026, 3, 2, 18, 0, tzinfo=ZoneInfo("UTC"))
    series = SessionSeries(cohort=circle, first_start=first, rrule="FREQ=HOURLY")
    starts = occurrence_starts(series)
    assert len(starts) == 400
    assert starts[-1] == first + timedelta(hours=399)


def test_an_end_given_as_a_date_is_honoured_not_an_error(circle):
    """UNTIL may be a date (no time, no zone): it is taken as it is, with no
    time zone to convert. (Whether the meeting on that very day counts is
    dateutil's reading, midnight, and not what this test is about.)"""
    series = weekly_series(circle)
    series.rrule = "FREQ=WEEKLY;UNTIL=20261105"
    days = [s.astimezone(LOS_ANGELES).day for s in occurrence_starts(series)]
    assert days[:2] == [22, 29]
    assert 12 not in days


def test_a_sync_that_fails_half_way_creates_no_sessions(circle, monkeypatch):
    """Creating a series' sessions is all or nothing: a failure after the
    first leaves none behind (no half series that a retry would not repair
    the same way)."""
    series = weekly_series(circle)
    create = Session.objects.create
    made = []

    def create_then_fail(**fields):
        if made:
            raise DatabaseError("the database went away")
        made.append(create(**fields))
        return made[-1]

    monkeypatch.setattr(Session.objects, "create", create_then_fail)
    with pytest.raises(DatabaseError):
        sync_series(series)
    assert len(made) == 1
    assert not Session.objects.filter(series=series).exists()
