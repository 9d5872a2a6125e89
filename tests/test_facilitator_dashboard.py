from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.membership import leave
from cohorts.models import Membership
from insights.dashboard import (
    MEMBERS_PER_PAGE,
    STANDING_MINUTES,
    WARNINGS_SHOWN,
    facilitator_dashboard,
    median_done,
)
from learning.models import LessonProgress
from scheduling.models import Attendance, Session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(
        parent=home_page, course=course_with_lessons(home_page), plugins=["example"]
    )


def url(circle) -> str:
    return f"/cohorts/{circle.pk}/dashboard/"


def held(circle, days_ago: int) -> Session:
    start = timezone.now() - timedelta(days=days_ago)
    return SessionFactory(
        cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1)
    )


def joined_long_ago(circle, **user):
    membership = MembershipFactory(cohort=circle, user=UserFactory(**user))
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    return membership.user


def test_only_facilitators_see_it(client, circle):
    for person, status in (
        (UserFactory(), 403),
        (MembershipFactory(cohort=circle).user, 403),
        (MembershipFactory(cohort=circle, role="facilitator").user, 200),
    ):
        client.force_login(person)
        assert client.get(url(circle)).status_code == status
    client.logout()
    assert client.get(url(circle)).status_code == 302


def test_early_warnings_and_a_nudge(client, circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    missing = joined_long_ago(circle, first_name="Missing")
    keen = joined_long_ago(circle, first_name="Keen")
    first, second = held(circle, 14), held(circle, 7)
    for session in (first, second):
        Attendance.objects.create(session=session, user=missing, status="absent")
        Attendance.objects.create(session=session, user=keen, status="present")
    lesson = circle.course.lessons().first()
    LessonProgress.objects.create(
        user=keen, cohort=circle, lesson=lesson, status="completed"
    )
    client.force_login(facilitator)
    response = client.get(url(circle))
    board = response.context["dashboard"]
    assert [m.user for m in board.missed_two.members] == [missing]
    assert [m.user for m in board.quiet.members] == [missing]
    assert board.median_done == 0 and board.behind.total == 0
    rows = {row.membership.user: row for row in board.rows}
    assert rows[keen].lessons_done == 1 and rows[keen].last_activity is not None
    assert rows[missing].attendance == ["Absent", "Absent"]

    nudge = f"/cohorts/{circle.pk}/nudge/"
    assert f'action="{nudge}"' in response.content.decode()
    client.post(nudge, {"user": missing.pk})
    client.post(nudge, {"user": missing.pk})  # the same day: not sent again
    assert [m.to for m in mail.outbox] == [[missing.email]]
    assert mail.outbox[0].extra_headers["Reply-To"] == facilitator.email
    outsider = UserFactory()
    assert client.post(nudge, {"user": outsider.pk}).status_code == 404
    for nobody in ({}, {"user": "x"}):
        assert client.post(nudge, nobody).status_code == 400
    assert len(mail.outbox) == 1


def test_median_counts_people_who_did_nothing(circle):
    people = [joined_long_ago(circle) for _ in range(5)]
    lessons = list(circle.course.lessons())
    for person, done in zip(people, [0, 0, 1, 3, 4], strict=True):
        for lesson in lessons[:done]:
            LessonProgress.objects.create(
                user=person, cohort=circle, lesson=lesson, status="completed"
            )
    assert median_done(circle, 5) == 1
    LessonProgress.objects.filter(user=people[2]).delete()
    assert median_done(circle, 5) == 0


def _crowd(circle, count: int) -> None:
    users = get_user_model().objects.bulk_create(
        UserFactory.build(email=f"c{circle.pk}-{n}@example.org") for n in range(count)
    )
    Membership.objects.bulk_create(Membership(cohort=circle, user=u) for u in users)
    lesson = circle.course.lessons().first()
    LessonProgress.objects.bulk_create(
        LessonProgress(user=u, cohort=circle, lesson=lesson, status="completed")
        for u in users[::2]
    )
    sessions = [held(circle, 14), held(circle, 7)]
    Attendance.objects.bulk_create(
        Attendance(session=s, user=u, status="absent" if n % 3 else "present")
        for s in sessions
        for n, u in enumerate(users)
    )
    if connection.vendor == "postgresql":
        # Autovacuum would gather statistics on rows loaded like this; inside
        # a test's transaction it never sees them, and PostgreSQL's plans
        # without statistics take seconds a query at 10,000 members.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def test_same_queries_for_10_and_10_000_participants(client, home_page):
    counts = []
    for size in (10, 10_000):
        cohort = CohortPageFactory(
            parent=home_page,
            course=course_with_lessons(home_page),
            plugins=["example"],
        )
        _crowd(cohort, size)
        facilitator = MembershipFactory(cohort=cohort, role="facilitator").user
        client.force_login(facilitator)
        for standing in ("worked out", "kept"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(cohort) + "?page=2")
            assert response.status_code == 200
            counts.append((standing, len(queries)))
    assert counts[:2] == counts[2:]
    board = response.context["dashboard"]
    assert board.page.paginator.count == 10_000
    assert len(board.rows) == MEMBERS_PER_PAGE
    assert board.missed_two.total == 6_666
    assert len(board.missed_two.members) == WARNINGS_SHOWN


def test_the_standing_is_kept_for_minutes_and_redone_when_the_group_changes(
    client, circle
):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    slow = joined_long_ago(circle, first_name="Slow")
    quick = joined_long_ago(circle, first_name="Quick")
    first, second = held(circle, 14), held(circle, 7)
    lesson = circle.course.lessons().first()
    now = timezone.now()

    board = facilitator_dashboard(circle, None, now)
    assert board.quiet.total == 2 and board.worked_out_at == now

    # Lesson work shows in the member table at once, in the warnings minutes on.
    LessonProgress.objects.create(
        user=quick, cohort=circle, lesson=lesson, status="completed"
    )
    board = facilitator_dashboard(circle, None, now + timedelta(seconds=30))
    assert {row.membership.user: row.lessons_done for row in board.rows} == {
        quick: 1,
        slow: 0,
    }
    assert board.quiet.total == 2 and board.worked_out_at == now
    later = now + timedelta(minutes=STANDING_MINUTES)
    board = facilitator_dashboard(circle, None, later)
    assert [m.user for m in board.quiet.members] == [slow]
    assert board.worked_out_at == later

    # Taking attendance, leaving and new sessions show at once.
    client.force_login(facilitator)
    for session in (first, second):
        response = client.post(
            f"/cohorts/sessions/{session.pk}/attendance/",
            {f"member-{slow.pk}": "absent", f"member-{quick.pk}": "present"},
        )
        assert response.status_code == 302
    board = facilitator_dashboard(circle, None, later)
    assert [m.user for m in board.missed_two.members] == [slow]
    leave(Membership.objects.get(cohort=circle, user=quick))
    board = facilitator_dashboard(circle, None, later)
    assert [row.membership.user for row in board.rows] == [slow]
    Membership.objects.get(cohort=circle, user=slow).delete()
    assert list(facilitator_dashboard(circle, None, later).rows) == []
    held(circle, 1)
    board = facilitator_dashboard(circle, None, later)
    assert board.missed_two.total == 0 and len(board.sessions) == 3


def test_a_change_in_another_group_keeps_this_groups_standing(home_page, circle):
    MembershipFactory(cohort=circle)
    other = CohortPageFactory(parent=home_page)
    now = timezone.now()
    facilitator_dashboard(circle, None, now)
    MembershipFactory(cohort=other)
    held(other, 3)
    with CaptureQueriesContext(connection) as kept:
        facilitator_dashboard(circle, None, now)
    MembershipFactory(cohort=circle)
    with CaptureQueriesContext(connection) as redone:
        board = facilitator_dashboard(circle, None, now)
    assert len(kept) < len(redone) and len(board.rows) == 2
