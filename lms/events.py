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
from django.utils import timezone

from lms.plugins import call_each


@dataclass(frozen=True, kw_only=True)
class Event:
    occurred_at: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True, kw_only=True)
class MemberJoined(Event):
    cohort_id: int
    user_id: int
    role: str


@dataclass(frozen=True, kw_only=True)
class MemberLeft(Event):
    cohort_id: int
    user_id: int


@dataclass(frozen=True, kw_only=True)
class SessionScheduled(Event):
    session_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class SessionCancelled(Event):
    session_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class RSVPChanged(Event):
    session_id: int
    user_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class AttendanceRecorded(Event):
    session_id: int
    user_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class LessonCompleted(Event):
    lesson_id: int
    user_id: int
    cohort_id: int | None


@dataclass(frozen=True, kw_only=True)
class CohortCompleted(Event):
    cohort_id: int
    user_id: int


def emit(event: Event, *, using: str | None = None) -> None:
    """Deliver `event` to every plugin once the current transaction commits."""
    transaction.on_commit(lambda: deliver(event), using=using)


def deliver(event: Event) -> None:
    call_each("lms_handle_event", event=event)
