"""The facilitator's dashboard: who comes, who progresses, who needs a word.

Every number is worked out by the database, one query per question, so a
cohort of 10,000 takes as many queries as a cohort of 10 and not much longer:
the member table is paginated and the early-warning lists are capped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts.models import Attendance, CohortPage, LessonProgress, Membership, Session
from cohorts.reports import PRESENT
from lms.plugins import collect

MEMBERS_PER_PAGE = 50
SESSIONS_SHOWN = 6
WARNINGS_SHOWN = 20
QUIET_DAYS = 14


@dataclass
class Row:
    membership: Membership
    attendance: list[str]
    lessons_done: int
    last_activity: datetime | None


@dataclass
class Warning:
    """People in one kind of trouble: the first few, and how many in all."""

    members: list[Membership]
    total: int


@dataclass
class Dashboard:
    sessions: list[Session]
    rows: list[Row]
    page: Page
    lesson_count: int
    median_done: int
    missed_two: Warning
    quiet: Warning
    behind: Warning
    quiet_days: int = QUIET_DAYS


def participants(cohort: CohortPage):
    return Membership.objects.filter(
        cohort=cohort,
        role=Membership.Role.PARTICIPANT,
        status=Membership.Status.ACTIVE,
    )


def _capped(memberships) -> Warning:
    members = list(
        memberships.select_related("user").order_by(
            "user__first_name", "user__last_name", "pk"
        )[:WARNINGS_SHOWN]
    )
    return Warning(members, memberships.count())


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


def facilitator_dashboard(
    cohort: CohortPage, page_number: str | None, now: datetime | None = None
) -> Dashboard:
    now = now or timezone.now()
    held = list(
        cohort.sessions.filter(starts_at__lte=now, status=Session.Status.SCHEDULED)
        .order_by("-starts_at")
        .values_list("pk", "starts_at")[:SESSIONS_SHOWN]
    )
    sessions = list(
        Session.objects.filter(pk__in=[pk for pk, _ in held]).order_by("starts_at")
    )
    everyone = participants(cohort)
    page = Paginator(
        everyone.select_related("user").order_by(
            "user__first_name", "user__last_name", "pk"
        ),
        MEMBERS_PER_PAGE,
    ).get_page(page_number)
    on_page = [membership.user_id for membership in page.object_list]
    recorded = {
        (session_id, user_id): status
        for session_id, user_id, status in Attendance.objects.filter(
            session__in=sessions, user__in=on_page
        ).values_list("session_id", "user_id", "status")
    }
    done = dict(
        LessonProgress.objects.filter(
            cohort=cohort, user__in=on_page, status=LessonProgress.Status.COMPLETED
        )
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    since = now - timedelta(days=QUIET_DAYS)
    plugin_latest = _plugin_activity(cohort, now - timedelta(days=365))
    latest = last_activity(cohort, on_page, plugin_latest)
    rows = [
        Row(
            membership=membership,
            attendance=[recorded.get((s.pk, membership.user_id), "") for s in sessions],
            lessons_done=done.get(membership.user_id, 0),
            last_activity=latest.get(membership.user_id),
        )
        for membership in page.object_list
    ]

    last_two = [pk for pk, _ in held[:2]]
    missed_two = everyone.none()
    if len(last_two) == 2:
        # One EXISTS per session: semi-joins PostgreSQL plans well even before
        # it has statistics on freshly loaded rows (an IN over a GROUP BY took
        # seconds at 10,000 members there).
        missed_two = everyone.filter(
            *(
                Exists(
                    Attendance.objects.filter(
                        session=session,
                        user=OuterRef("user"),
                        status=Attendance.Status.ABSENT,
                    )
                )
                for session in last_two
            )
        )

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

    lesson_count = cohort.course.lessons().count() if cohort.course_id else 0
    median = median_done(cohort, page.paginator.count) if lesson_count else 0
    behind = everyone.annotate(done=_done_counts()).filter(done__lt=median)
    return Dashboard(
        sessions=sessions,
        rows=rows,
        page=page,
        lesson_count=lesson_count,
        median_done=median,
        missed_two=_capped(missed_two),
        quiet=_capped(quiet),
        behind=_capped(behind),
    )


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
    cohort: CohortPage, user_ids: list[int], plugin_latest: dict[int, datetime]
) -> dict[int, datetime]:
    """Each person's latest lesson work, attendance or plugin activity."""
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
