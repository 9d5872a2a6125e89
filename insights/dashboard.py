"""The facilitator's dashboard: who comes, who progresses, who needs a word.

Every number is worked out by the database, one query per question, so a
cohort of 10,000 takes as many queries as a cohort of 10: the member table is
paginated and the early-warning lists are capped. What needs every member's
rows (the order of names, the warnings, the median) is the group's Standing,
kept for a few minutes, so a visit costs about the same at any size.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import chain

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.html import avoid_wrapping, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import gettext as _

from cohorts.models import CohortPage, Membership
from content.models import CoursePage, LessonPage
from learning.models import LessonProgress
from lms.plugins import collect
from lms.versioned_cache import VersionedCache
from scheduling.models import Attendance, Session
from scheduling.register import PRESENT

MEMBERS_PER_PAGE = 25
NOTHING_RECORDED = mark_safe('<span class="meta">&ndash;</span>')
SESSIONS_SHOWN = 6
WARNINGS_SHOWN = 10
QUIET_DAYS = 14
STANDING_MINUTES = 5
NAME_ORDER = ("user__first_name", "user__last_name", "pk")


@dataclass
class Row:
    membership: Membership
    attendance: list[str]  # "Present", "Late", "Absent" or "" per session shown
    lessons_done: int
    last_activity: datetime | None
    # As shown: the name, and how long ago the last activity was, in words
    # and as an ISO date for <time>; the whole row as HTML (`RowWriter`).
    name: str = ""
    active_ago: str = ""
    active_at: str = ""
    html: str = ""


@dataclass
class FlaggedMembers:
    """`Flagged` as shown: the first few memberships themselves, and how many."""

    members: list[Membership]
    total: int


@dataclass
class Dashboard:
    sessions: list[Session]
    rows: list[Row]
    page: Page
    lesson_count: int
    median_done: int
    missed_two: FlaggedMembers
    quiet: FlaggedMembers
    behind: FlaggedMembers
    worked_out_at: datetime
    quiet_days: int = QUIET_DAYS
    refreshed_every: int = STANDING_MINUTES


def participants(cohort: CohortPage):
    return Membership.objects.filter(
        cohort=cohort,
        role=Membership.Role.PARTICIPANT,
        status=Membership.Status.ACTIVE,
    )


@dataclass(frozen=True)
class Flagged:
    """Memberships in one kind of trouble: the first few ids (in name order),
    and how many in all. Ids, not memberships, so the standing can be cached."""

    first: list[int]
    total: int


@dataclass(frozen=True)
class Standing:
    """The whole group at once: who is in it, in name order, and who needs a word.

    Working this out reads every member's rows, so its cost grows with the
    group while the rest of the page's does not: it is kept for a few minutes. A change
    to the group's members, sessions or attendance works it out again at once
    (`standing_changed`); lesson work and plugin activity reach the warnings
    within STANDING_MINUTES (the member table shows them at once).
    """

    # An array, not a list: kept and read on every visit, 10,000 ids unpickle
    # ten times faster as one block of numbers than as 10,000 Python ints.
    member_ids: array
    median_done: int
    missed_two: Flagged
    quiet: Flagged
    behind: Flagged
    worked_out_at: datetime


STANDING_AGE = timedelta(minutes=STANDING_MINUTES)
standings = VersionedCache("cohorts:standing", ttl_seconds=STANDING_MINUTES * 60)


@dataclass(frozen=True)
class Cells:
    """What the member table shows of one page of members, by user id:
    attendance at each session shown, lessons done, latest activity. Kept
    like the standing, and dropped by anything that changes it, lesson work
    included (insights.apps): only plugin activity waits for its minutes."""

    attendance: dict[int, tuple[str, ...]]  # a status or "" per session shown
    done: dict[int, int]
    latest: dict[int, datetime]
    worked_out_at: datetime


member_tables = VersionedCache(
    "insights:member-table", ttl_seconds=STANDING_MINUTES * 60
)


def standing_changed(cohort_id: int) -> None:
    """Work the group's standing and its member table out afresh on the
    next visit."""
    standings.invalidate_scope(str(cohort_id))
    member_tables.invalidate_scope(str(cohort_id))


def _flagged(memberships) -> Flagged:
    first = memberships.order_by(*NAME_ORDER).values_list("pk", flat=True)
    return Flagged(list(first[:WARNINGS_SHOWN]), memberships.count())


def _done_counts():
    """Per membership: lessons completed in its cohort (a subquery)."""
    return Coalesce(
        Subquery(
            LessonProgress.objects.filter(
                cohort=OuterRef("cohort"),
                user=OuterRef("user"),
                status=LessonProgress.Status.COMPLETED,
            )
            .values("user")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def median_done(cohort: CohortPage, members: int) -> int:
    """The median number of lessons completed, found by the database.

    People who completed nothing are not in LessonProgress: the median is 0
    when they are at least half the cohort; otherwise it is read at the right
    offset from the counts of everyone else.
    """
    completed = LessonProgress.objects.filter(
        cohort=cohort,
        status=LessonProgress.Status.COMPLETED,
        user__in=participants(cohort).values("user"),
    )
    position = (members - 1) // 2
    zeros = members - completed.values("user").distinct().count()
    # Asked even when not needed, so the dashboard's query count is the same
    # whatever the data (it is pinned in a test).
    at_offset = (
        completed.values("user")
        .annotate(n=Count("pk"))
        .order_by("n")
        .values_list("n", flat=True)[max(position - zeros, 0) :][:1]
    )
    found = list(at_offset)
    return found[0] if position >= zeros and found else 0


def work_out_standing(
    cohort: CohortPage,
    last_two_held: list[int],
    lesson_count: int,
    plugin_latest: dict[int, datetime],
    now: datetime,
) -> Standing:
    everyone = participants(cohort)
    member_ids = array("q", everyone.order_by(*NAME_ORDER).values_list("pk", flat=True))

    missed_two = everyone.none()
    if len(last_two_held) == 2:
        # One EXISTS per session, never an IN over a GROUP BY: PostgreSQL
        # plans semi-joins well even before it has statistics on freshly
        # loaded rows (bench/test_facilitator_dashboard.py, "large afresh").
        missed_two = everyone.filter(
            *(
                Exists(
                    Attendance.objects.filter(
                        session=session,
                        user=OuterRef("user"),
                        status=Attendance.Status.ABSENT,
                    )
                )
                for session in last_two_held
            )
        )

    since = now - timedelta(days=QUIET_DAYS)
    active_lately = [user for user, at in plugin_latest.items() if at >= since]
    quiet = everyone.filter(joined_at__lte=since).exclude(
        Exists(
            LessonProgress.objects.filter(
                cohort=cohort, user=OuterRef("user"), updated_at__gte=since
            )
        )
        | Exists(
            Attendance.objects.filter(
                session__cohort=cohort,
                user=OuterRef("user"),
                status__in=PRESENT,
                session__starts_at__gte=since,
            )
        )
        | Q(user__in=active_lately)
    )

    median = median_done(cohort, len(member_ids)) if lesson_count else 0
    behind = everyone.annotate(done=_done_counts()).filter(done__lt=median)
    return Standing(
        member_ids=member_ids,
        median_done=median,
        missed_two=_flagged(missed_two),
        quiet=_flagged(quiet),
        behind=_flagged(behind),
        worked_out_at=now,
    )


def _held_sessions(cohort: CohortPage, now: datetime, count: int) -> list[int]:
    """The ids of the group's last `count` sessions held, latest first."""
    return list(
        cohort.sessions.filter(starts_at__lte=now, status=Session.Status.SCHEDULED)
        .order_by("-starts_at")
        .values_list("pk", flat=True)[:count]
    )


# The number of live lessons of each course, dropped when any page changes
# (a lesson published, unpublished, moved or deleted).
lesson_counts = VersionedCache("insights:lesson-counts", ttl_seconds=3600)


def course_lesson_count(cohort: CohortPage) -> int:
    """The live lessons of the group's course (0: no course), kept."""
    if not cohort.course_id:
        return 0
    return lesson_counts.get(str(cohort.course_id), lambda: _count_lessons(cohort))


def _count_lessons(cohort: CohortPage) -> int:
    """The live lessons of the group's course (`course.lessons()`), counted
    in one query without reading the course page first.

    The course's descendants are the pages whose tree path begins with its
    own and goes on (with digits and capitals, all below "~"): asked as a
    range, which the path's index answers, rather than with LIKE on a path
    not known when the query is planned, which reads every page."""
    course_path = Subquery(
        CoursePage.objects.filter(pk=cohort.course_id).order_by().values("path")[:1]
    )
    return (
        LessonPage.objects.live()
        .filter(path__gt=course_path, path__lt=Concat(course_path, Value("~")))
        .count()
    )


def _standing(
    cohort: CohortPage,
    last_two: list[int],
    lesson_count: int,
    plugin_latest: Callable[[], dict[int, datetime]],
    now: datetime,
) -> Standing:
    """`plugin_latest` is asked only if the standing is worked out."""
    return standings.get(
        f"{'-'.join(map(str, last_two))}:{lesson_count}",
        lambda: work_out_standing(cohort, last_two, lesson_count, plugin_latest(), now),
        scope=str(cohort.pk),
        keep=lambda kept: now - kept.worked_out_at < STANDING_AGE,
    )


def group_standing(cohort: CohortPage, now: datetime | None = None) -> Standing:
    """Who in the group needs a word, as its facilitator dashboard shows it
    (the same kept Standing), for pages that show many groups at once."""
    now = now or timezone.now()
    return _standing(
        cohort,
        _held_sessions(cohort, now, 2),
        course_lesson_count(cohort),
        lambda: _plugin_activity(cohort, now - timedelta(days=365)),
        now,
    )


def facilitator_dashboard(
    cohort: CohortPage, page_number: str | None, now: datetime | None = None
) -> Dashboard:
    now = now or timezone.now()
    held = list(
        cohort.sessions.filter(
            starts_at__lte=now, status=Session.Status.SCHEDULED
        ).order_by("-starts_at")[:SESSIONS_SHOWN]
    )
    sessions = held[::-1]  # the table shows them oldest first
    last_two = [session.pk for session in held[:2]]
    lesson_count = course_lesson_count(cohort)
    # Asked of the plugins only when the standing or a table is worked out.
    plugin_latest = cache(lambda: _plugin_activity(cohort, now - timedelta(days=365)))
    standing = _standing(cohort, last_two, lesson_count, plugin_latest, now)
    flagged = (standing.missed_two, standing.quiet, standing.behind)

    page = Paginator(standing.member_ids, MEMBERS_PER_PAGE).get_page(page_number)
    # One query for everyone named on the page; a membership gone since the
    # standing was worked out is left out rather than failing.
    shown = Membership.objects.select_related("user").in_bulk(
        chain(page.object_list, *(warning.first for warning in flagged))
    )
    members = [shown[pk] for pk in page.object_list if pk in shown]
    on_page = [membership.user_id for membership in members]
    cells = member_tables.get(
        f"{'-'.join(str(s.pk) for s in sessions)}:{lesson_count}:"
        f"{'-'.join(map(str, on_page))}",
        lambda: _cells(cohort, sessions, on_page, plugin_latest(), now),
        scope=str(cohort.pk),
        keep=lambda kept: now - kept.worked_out_at < STANDING_AGE,
    )
    writer = RowWriter(lesson_count, now)
    nothing = ("",) * len(sessions)
    rows = [
        writer.row(
            membership,
            cells.attendance.get(membership.user_id, nothing),
            cells.done.get(membership.user_id, 0),
            cells.latest.get(membership.user_id),
        )
        for membership in members
    ]
    send = _("Send a check-in")
    for membership in shown.values():
        name = staff_name(membership)
        # An item of the warning lists, written here as the table's rows are.
        membership.warning_item = format_html(
            '<li>{} <button type="submit" name="user" value="{}" '
            'class="button button-secondary">{}<span class="visually-hidden"> '
            "{}</span></button></li>",
            name,
            membership.user_id,
            send,
            _("to %(name)s") % {"name": name},
        )
    missed_two, quiet, behind = _flagged_members(flagged, shown)
    return Dashboard(
        sessions=sessions,
        rows=rows,
        page=page,
        lesson_count=lesson_count,
        median_done=standing.median_done,
        missed_two=missed_two,
        quiet=quiet,
        behind=behind,
        worked_out_at=standing.worked_out_at,
    )


def _flagged_members(
    flagged: Iterable[Flagged], shown: dict[int, Membership]
) -> list[FlaggedMembers]:
    """Each warning list with its memberships from `shown` (by id); a
    membership gone since the standing was worked out is left out."""
    return [
        FlaggedMembers([shown[pk] for pk in ids.first if pk in shown], ids.total)
        for ids in flagged
    ]


def warnings(standing: Standing) -> list[FlaggedMembers]:
    """The standing's warning lists (missed the last two sessions, quiet,
    behind), each with its first memberships and their people, read in one
    query."""
    flagged = (standing.missed_two, standing.quiet, standing.behind)
    shown = Membership.objects.select_related("user").in_bulk(
        chain.from_iterable(ids.first for ids in flagged)
    )
    return _flagged_members(flagged, shown)


def _cells(
    cohort: CohortPage,
    sessions: list[Session],
    on_page: list[int],
    plugin_latest: dict[int, datetime],
    now: datetime,
) -> Cells:
    recorded = {
        (session_id, user_id): status
        for session_id, user_id, status in Attendance.objects.filter(
            session__in=sessions, user__in=on_page
        ).values_list("session_id", "user_id", "status")
    }
    # Lessons completed and the latest lesson work, in one query.
    lesson_work = list(
        LessonProgress.objects.filter(cohort=cohort, user__in=on_page)
        .values("user")
        .annotate(
            done=Count("pk", filter=Q(status=LessonProgress.Status.COMPLETED)),
            at=Max("updated_at"),
        )
        .values_list("user", "done", "at")
    )
    latest = last_activity(
        cohort,
        on_page,
        plugin_latest,
        lessons=[(user_id, at) for user_id, _n, at in lesson_work],
    )
    return Cells(
        attendance={
            user_id: tuple(recorded.get((s.pk, user_id), "") for s in sessions)
            for user_id in on_page
        },
        done={user_id: n for user_id, n, _at in lesson_work},
        latest=latest,
        worked_out_at=now,
    )


def staff_name(membership: Membership) -> str:
    """The name the dashboard shows a facilitator: the full name, or the
    e-mail address of someone who gave none."""
    return membership.user.get_full_name() or membership.user.email


# How long ago, in the largest whole unit ("3 days ago").
AGO_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("week", 7 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


class RowWriter:
    """The member table's rows, written as HTML here rather than by a loop in
    the template: cell by cell, that loop cost more than the rest of the
    page. What rows share (the words of each cell, how long ago in words)
    is translated once per page."""

    def __init__(self, lesson_count: int, now: datetime) -> None:
        self.lesson_count = lesson_count
        self.now = now
        self.labels = {
            status: str(label) for status, label in Attendance.Status.choices
        }
        self.cells = {
            status: format_html("<td>{}</td>", label)
            for status, label in self.labels.items()
        }
        self.nothing = format_html("<td>{}</td>", NOTHING_RECORDED)
        self.none_yet = format_html(
            '<td><span class="meta">{}</span></td>', _("None yet")
        )
        self.ago = _("%(ago)s ago")
        self.said: dict[tuple[str, int], str] = {}

    def row(
        self,
        membership: Membership,
        statuses: Iterable[str],
        lessons_done: int,
        last_activity: datetime | None,
    ) -> Row:
        statuses = list(statuses)
        row = Row(
            membership,
            [self.labels.get(status, "") for status in statuses],
            lessons_done,
            last_activity,
            staff_name(membership),
        )
        activity = self.none_yet
        if last_activity is not None:
            row.active_ago = self.in_words(last_activity)
            row.active_at = timezone.localtime(last_activity).isoformat()
            activity = format_html(
                '<td><time datetime="{}">{}</time></td>', row.active_at, row.active_ago
            )
        cells = "".join(self.cells.get(status, self.nothing) for status in statuses)
        lessons = (
            f"<td>{lessons_done:d} / {self.lesson_count:d}</td>"
            if self.lesson_count
            else ""
        )
        name = escape(row.name)
        row.html = mark_safe(  # noqa: S308 (the name escaped, the rest written here)
            f'<tr><th scope="row">{name}</th>{cells}{lessons}{activity}</tr>'
        )
        return row

    def in_words(self, at: datetime) -> str:
        seconds = max((self.now - at).total_seconds(), 0)
        unit, count = next(
            (
                (unit, int(seconds // size))
                for unit, size in AGO_UNITS
                if seconds >= size
            ),
            ("minute", 0),
        )
        if (unit, count) not in self.said:
            amount = avoid_wrapping(TIME_STRINGS[unit] % {"num": count})
            self.said[unit, count] = self.ago % {"ago": amount}
        return self.said[unit, count]


def _latest(pairs: Iterable[tuple[int, datetime | None]]) -> dict[int, datetime]:
    """The latest time per person from (user id, time) pairs."""
    latest: dict[int, datetime] = {}
    for user_id, at in pairs:
        if at is not None and (user_id not in latest or at > latest[user_id]):
            latest[user_id] = at
    return latest


def _plugin_activity(cohort: CohortPage, since: datetime) -> dict[int, datetime]:
    activities = collect(
        "lms_activity", plugins=cohort.plugins, cohort=cohort, since=since
    )
    return _latest((activity.user_id, activity.at) for activity in activities)


def last_activity(
    cohort: CohortPage,
    user_ids: list[int],
    plugin_latest: dict[int, datetime],
    lessons: Iterable[tuple[int, datetime | None]] | None = None,
) -> dict[int, datetime]:
    """Each person's latest lesson work, attendance or plugin activity.
    `lessons`: their latest lesson work as (user id, time), when the caller
    has read it already."""
    if lessons is None:
        lessons = (
            LessonProgress.objects.filter(cohort=cohort, user__in=user_ids)
            .values("user")
            .annotate(at=Max("updated_at"))
            .values_list("user", "at")
        )
    attended = (
        Attendance.objects.filter(
            session__cohort=cohort, user__in=user_ids, status__in=PRESENT
        )
        .values("user")
        .annotate(at=Max("session__starts_at"))
        .values_list("user", "at")
    )
    plugins = ((user_id, plugin_latest.get(user_id)) for user_id in user_ids)
    return _latest(chain(lessons, attended, plugins))
