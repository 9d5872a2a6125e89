"""Domain events: what happened, told to plugins after the transaction commits.

Events are frozen dataclasses carrying ids, not model instances, so a plugin
reads fresh data and an event can be logged or queued as it is. `emit` hands
an event to `lms_handle_event` on commit: a rolled-back transaction emits
nothing. Each plugin's handler is isolated like any other hook call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from lms.plugins import call_each


@dataclass(frozen=True, kw_only=True)
class Event:
    """What every event carries: when it happened."""

    occurred_at: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True, kw_only=True)
class MemberJoined(Event):
    """Someone became a current member of a group (joining, or a place opening)."""

    cohort_id: int
    user_id: int
    role: str


@dataclass(frozen=True, kw_only=True)
class MemberLeft(Event):
    """A member left a group."""

    cohort_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class SessionScheduled(Event):
    """A session was added to a group's schedule (a series' meetings too)."""

    session_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class SessionCancelled(Event):
    """A session was cancelled."""

    session_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class RSVPChanged(Event):
    """Someone answered for a session: `status` going, maybe, declined, waitlisted."""

    session_id: int
    user_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class AttendanceRecorded(Event):
    """A facilitator took someone's attendance: `status` present, late or absent."""

    session_id: int
    user_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class LessonCompleted(Event):
    """Someone completed a lesson (`cohort_id` is None outside a group)."""

    lesson_id: int
    user_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class CohortCompleted(Event):
    """A member completed a group: they answered the wrap-up after its last
    session, or staff set their membership to completed. Once per completion."""

    cohort_id: int
    user_id: int


def emit(event: Event, *, using: str | None = None) -> None:
    """Deliver `event` to every plugin once the current transaction commits."""
    transaction.on_commit(lambda: deliver(event), using=using)


# Sent with each event as it is delivered, for core's own reactions that
# concern every domain alike (the page cache). Arguments: event.
delivered = Signal()


def deliver(event: Event) -> None:
    # Robust: a reaction that fails (the cache down) is logged, and plugins
    # still hear of the event.
    delivered.send_robust(sender=type(event), event=event)
    call_each("lms_handle_event", event=event)
