"""When a moment opens: at once, or at its point in the group's sessions.

A survey at the middle opens half-way between the start of the group's first
session and the end of its last; one at the end (or the "after" of a pre/post
pair) when the last session starts, so people can answer it in the room.
Cancelled sessions do not count; a group with no session opens it at once,
and so does a moment attached after its point. The opening is worked out
from the sessions each time it is needed, never stored: a session moved in
the admin moves it without anyone having to say so.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from lms_surveys.models import Moment
from sdk import Session

TIMED = frozenset({Moment.Kind.MIDDLE, Moment.Kind.END, Moment.Kind.POST})


@dataclass(frozen=True)
class Span:
    first_start: datetime
    last_start: datetime
    last_end: datetime


def _sessions_of_the_group():
    return Session.objects.filter(cohort=OuterRef("cohort")).exclude(
        status=Session.Status.CANCELLED
    )


def with_spans(moments: QuerySet[Moment]) -> QuerySet[Moment]:
    """`moments` with their groups' sessions from first to last, in the same
    query (what `open_now` and `with_openings` read)."""
    held = _sessions_of_the_group()
    return moments.annotate(
        first_start=Subquery(held.order_by("starts_at").values("starts_at")[:1]),
        last_start=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
        last_end=Subquery(held.order_by("-ends_at").values("ends_at")[:1]),
    )


def span_of(moment: Moment) -> Span | None:
    """The span `with_spans` read, or None for a group with no session."""
    if moment.first_start is None:
        return None
    return Span(moment.first_start, moment.last_start, moment.last_end)


def opening(moment: Moment, span: Span | None) -> datetime:
    """When `moment` opens, given its group's sessions."""
    if moment.kind not in TIMED or span is None:
        return moment.attached_at
    if moment.kind == Moment.Kind.MIDDLE:
        point = span.first_start + (span.last_end - span.first_start) / 2
    else:
        point = span.last_start
    return max(moment.attached_at, point)


def opening_of(moment: Moment) -> datetime:
    """When `moment` opens, asked of the database (one query)."""
    if moment.kind not in TIMED:
        return moment.attached_at
    return opening(
        moment, span_of(with_spans(Moment.objects.filter(pk=moment.pk)).get())
    )


def with_openings(moments: list[Moment]) -> list[Moment]:
    """`moments` (read `with_spans`), each given its `opens_at`."""
    for moment in moments:
        moment.opens_at = opening(moment, span_of(moment))
    return moments


def open_now(moments: list[Moment], now: datetime) -> list[Moment]:
    """Those of `moments` (read `with_spans`) open at `now`, each with its
    `opens_at`."""
    return [moment for moment in with_openings(moments) if moment.opens_at <= now]
