import time
from dataclasses import FrozenInstanceError
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache.backends import locmem
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from lms_example_plugin.models import ReadingNote

from api.tokens import create_token
from bench.scale import crowd, held
from cohorts.membership import leave
from cohorts.models import Membership
from insights.dashboard import (
    MEMBERS_PER_PAGE,
    STANDING_MINUTES,
    WARNINGS_SHOWN,
    RowWriter,
    facilitator_dashboard,
    group_standing,
    median_done,
    standing_changed,
)
from learning.models import LessonProgress
from scheduling.models import Attendance
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
    page = response.content.decode()
    assert f'action="{nudge}"' in page
    # Their name, and a button that sends them a check-in, in each list.
    name = escape(missing.get_full_name() or missing.email)
    item = (
        f'<li>{name} <button type="submit" name="user" value="{missing.pk}" '
        'class="button button-secondary">Send a check-in<span class="visually-hidden"> '
        f"to {name}</span></button></li>"
    )
    assert page.count(item) == 2  # missed the last two, and quiet
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


@pytest.mark.long_running
def test_same_queries_for_10_and_10_000_participants(client, home_page):
    counts = []
    for size in (10, 10_000):
        cohort = CohortPageFactory(
            parent=home_page,
            course=course_with_lessons(home_page),
            plugins=["example"],
        )
        crowd(cohort, size)
        facilitator = MembershipFactory(cohort=cohort, role="facilitator").user
        client.force_login(facilitator)
        for standing in ("worked out", "kept"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url(cohort) + "?page=2")
            assert response.status_code == 200
            counts.append((standing, len(queries)))
    assert counts[:2] == counts[2:]
    # Pinned (issue #20): a visit with the standing and the member table
    # kept reads the session, the user, the group, the paths with privacy
    # settings (a few rows at most: the group's own are judged only below
    # one), the membership, the sessions shown and the members shown (the
    # number of lessons is kept until a page changes; the plugins are asked
    # for activity only when something is worked out). Worked out, the
    # site's menu, settings and languages are read too (kept until a page
    # or site changes).
    assert counts[:2] == [("worked out", 31), ("kept", 7)]
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
    by_person = {row.membership.user: row.attendance for row in board.rows}
    assert by_person == {slow: ["Absent", "Absent"], quick: ["Present", "Present"]}
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


def test_the_member_table_shows_the_last_six_sessions_held(circle):
    """Six columns of attendance, the latest held, oldest first; a session
    still to come has nothing to record. Missing the last two is a warning."""
    sessions = [held(circle, days_ago) for days_ago in range(7, 0, -1)]
    held(circle, -1)  # tomorrow
    member = MembershipFactory(cohort=circle).user
    for session in sessions[-2:]:
        Attendance.objects.create(session=session, user=member, status="absent")
    board = facilitator_dashboard(circle, None)
    assert board.sessions == sessions[1:]
    (row,) = board.rows
    assert row.attendance == [""] * 4 + ["Absent"] * 2
    assert [m.user for m in board.missed_two.members] == [member]


def test_plugin_activity_within_the_last_year_is_a_members_last_activity(circle):
    """Plugins are asked for a year of activity: a note written just inside
    the year is someone's last activity, one written just before it is not."""
    now = timezone.now()
    inside = joined_long_ago(circle, first_name="Inside")
    before = joined_long_ago(circle, first_name="Before")
    for person, days in ((inside, 364.5), (before, 365.5)):
        note = ReadingNote.objects.create(user=person, text="A note")
        ReadingNote.objects.filter(pk=note.pk).update(
            created_at=now - timedelta(days=days)
        )
    board = facilitator_dashboard(circle, None, now)
    latest = {row.membership.user: row.last_activity for row in board.rows}
    assert latest == {inside: now - timedelta(days=364.5), before: None}


def test_quiet_is_fourteen_days_without_lessons_attendance_or_plugin_activity(circle):
    """Activity of any kind exactly fourteen days ago still counts; someone
    whose latest of each kind is an hour older is flagged."""
    now = timezone.now()
    since = now - timedelta(days=14)
    by_lesson = joined_long_ago(circle, first_name="Lesson")
    by_attending = joined_long_ago(circle, first_name="Attending")
    by_note = joined_long_ago(circle, first_name="Note")
    lapsed = joined_long_ago(circle, first_name="Lapsed")
    lesson = circle.course.lessons().first()
    for person, at in ((by_lesson, since), (lapsed, since - timedelta(hours=1))):
        LessonProgress.objects.create(user=person, cohort=circle, lesson=lesson)
        LessonProgress.objects.filter(user=person).update(updated_at=at)
    for person, at in ((by_attending, since), (lapsed, since - timedelta(hours=1))):
        session = SessionFactory(
            cohort=circle, starts_at=at, ends_at=at + timedelta(hours=1)
        )
        Attendance.objects.create(session=session, user=person, status="present")
    for person, at in ((by_note, since), (lapsed, since - timedelta(hours=1))):
        ReadingNote.objects.create(user=person, text="A note")
        ReadingNote.objects.filter(user=person).update(created_at=at)
    board = facilitator_dashboard(circle, None, now)
    assert [m.user for m in board.quiet.members] == [lapsed]


def test_a_page_holds_25_members_and_a_warning_names_the_first_ten(circle):
    people = [joined_long_ago(circle, first_name=f"P{n:02}") for n in range(27)]
    board = facilitator_dashboard(circle, "2")
    assert [row.membership.user for row in board.rows] == people[25:]
    assert board.quiet.total == 27
    assert [m.user for m in board.quiet.members] == people[:10]


def test_the_standing_is_kept_five_minutes(circle, monkeypatch):
    """By the page's clock and by the cache's (the test settings' local-memory
    cache): a standing seconds short of five minutes old is the one kept."""
    MembershipFactory(cohort=circle)
    now = timezone.now()
    assert facilitator_dashboard(circle, None, now).worked_out_at == now
    almost = 5 * 60 - 3
    cache_clock = time.time() + almost
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: cache_clock))
    board = facilitator_dashboard(circle, None, now + timedelta(seconds=almost))
    assert board.worked_out_at == now
    five_on = now + timedelta(minutes=5)
    board = facilitator_dashboard(circle, None, five_on)
    assert board.worked_out_at == five_on and board.refreshed_every == 5


def test_a_groups_standing_for_other_pages_is_worked_out_at_the_time_given(circle):
    """Pages showing many groups (a lead's admin home) read the dashboard's
    standing, at the time they give or else now."""
    by_lesson = joined_long_ago(circle, first_name="Lesson")
    by_note = joined_long_ago(circle, first_name="Note")
    absent = joined_long_ago(circle, first_name="Absent")
    lesson = circle.course.lessons().first()
    LessonProgress.objects.create(user=by_lesson, cohort=circle, lesson=lesson)
    ReadingNote.objects.create(user=by_note, text="A note")
    held(circle, 21)  # before the last two
    for session in (held(circle, 14), held(circle, 7)):
        Attendance.objects.create(session=session, user=absent, status="absent")
    absent_id = Membership.objects.get(cohort=circle, user=absent).pk

    in_fifteen_days = timezone.now() + timedelta(days=15)
    standing = group_standing(circle, in_fifteen_days)
    assert standing.worked_out_at == in_fifteen_days and standing.quiet.total == 3
    standing_changed(circle.pk)
    standing = group_standing(circle)
    assert standing.quiet.first == [absent_id]
    assert standing.missed_two.first == [absent_id]


def test_someone_who_completed_no_lesson_is_behind_a_group_that_did(circle):
    """No LessonProgress row counts as no lesson done, not as one."""
    idle = joined_long_ago(circle, first_name="Idle")
    lesson = circle.course.lessons().first()
    for name in ("Busy", "Keen"):
        LessonProgress.objects.create(
            user=joined_long_ago(circle, first_name=name),
            cohort=circle,
            lesson=lesson,
            status="completed",
        )
    board = facilitator_dashboard(circle, None)
    assert board.median_done == 1
    assert [m.user for m in board.behind.members] == [idle]


def test_a_group_without_a_course_has_no_lessons_column(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    MembershipFactory(cohort=circle)
    client.force_login(facilitator)
    response = client.get(url(circle))
    board = response.context["dashboard"]
    assert board.lesson_count == 0 and board.behind.total == 0
    assert "Lessons done" not in response.content.decode()


def test_the_last_activity_is_the_latest_of_lessons_attendance_and_plugins(circle):
    now = timezone.now()
    member = joined_long_ago(circle)
    lesson = circle.course.lessons().first()
    LessonProgress.objects.create(user=member, cohort=circle, lesson=lesson)
    LessonProgress.objects.update(updated_at=now - timedelta(days=1))
    start = now - timedelta(days=7)
    session = SessionFactory(
        cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    Attendance.objects.create(session=session, user=member, status="present")
    ReadingNote.objects.create(user=member, text="A note")
    ReadingNote.objects.update(created_at=now - timedelta(days=3))
    (row,) = facilitator_dashboard(circle, None, now).rows
    assert row.last_activity == now - timedelta(days=1)


def test_a_kept_standing_is_read_only_to_the_pages_reading_it(circle):
    """Every page showing the group reads the same standing for minutes: none
    may change it (or its lists of people) for the others."""
    MembershipFactory(cohort=circle)
    standing = group_standing(circle)
    with pytest.raises(FrozenInstanceError):
        standing.median_done = 3
    with pytest.raises(FrozenInstanceError):
        standing.quiet.total = 0


def test_the_lesson_count_is_the_live_lessons_of_the_groups_own_course(
    circle, home_page
):
    # The courses after it in the page tree (the path range's edge) and a
    # draft lesson are not counted.
    course_with_lessons(home_page, modules=1, lessons=3)
    lesson = circle.course.lessons().last().specific
    lesson.unpublish()
    assert facilitator_dashboard(circle, None).lesson_count == 3
    # Kept between visits, counted afresh once a lesson is published again.
    lesson.save_revision().publish()
    assert facilitator_dashboard(circle, None).lesson_count == 4


@pytest.mark.parametrize(
    ("ago", "said"),
    [
        (timedelta(seconds=20), "0\xa0minutes ago"),
        (timedelta(hours=5, minutes=10), "5\xa0hours ago"),
        (timedelta(days=3, hours=4), "3\xa0days ago"),
        (timedelta(days=15), "2\xa0weeks ago"),
        (timedelta(days=400), "1\xa0year ago"),
    ],
)
def test_a_member_s_row_is_written_with_its_name_escaped_and_its_last_activity_in_words(
    ago, said
):
    """The member table's rows are written in Python (`RowWriter`), not by
    the template: the name escaped, each session's cell, lessons done, and
    how long ago in the largest whole unit, with the date for <time>."""
    now = timezone.now()
    writer = RowWriter(lesson_count=4, now=now)
    person = SimpleNamespace(
        first_name="<b>Ana</b>", last_name="", email="a@example.org"
    )
    person.get_full_name = lambda: person.first_name
    member = SimpleNamespace(user=person, user_id=1)
    row = writer.row(member, ["present", "", "absent"], 2, now - ago)
    assert row.attendance == ["Present", "", "Absent"]
    assert row.active_ago == said
    assert row.html == (
        '<tr><th scope="row">&lt;b&gt;Ana&lt;/b&gt;</th><td>Present</td>'
        '<td><span class="meta">&ndash;</span></td><td>Absent</td><td>2 / 4</td>'
        f'<td><time datetime="{row.active_at}">{said}</time></td></tr>'
    )
    idle = RowWriter(lesson_count=0, now=now).row(member, [], 0, None)
    assert idle.html == (
        '<tr><th scope="row">&lt;b&gt;Ana&lt;/b&gt;</th>'
        '<td><span class="meta">None yet</span></td></tr>'
    )


def test_the_api_gives_the_dashboard_s_warnings_to_those_running_the_group(circle):
    facilitator = UserFactory(is_superuser=False)
    MembershipFactory(cohort=circle, user=facilitator, role="facilitator")
    missing = joined_long_ago(circle, first_name="Missing", last_name="Sosa")
    keen = joined_long_ago(circle, first_name="Keen")
    for session in (held(circle, 14), held(circle, 7)):
        Attendance.objects.create(session=session, user=missing, status="absent")
        Attendance.objects.create(session=session, user=keen, status="present")
    LessonProgress.objects.create(
        user=keen,
        cohort=circle,
        lesson=circle.course.lessons().first(),
        status="completed",
    )
    address = f"/api/v1/groups/{circle.pk}/standing"

    def asked(person, staff=True):
        _token, plaintext = create_token(person, "App", "read", 30, staff=staff)
        return Client().get(address, HTTP_AUTHORIZATION=f"Bearer {plaintext}")

    answer = asked(facilitator)
    assert answer.status_code == 200
    standing = answer.json()
    flagged = {"total": 1, "first": [{"person_id": missing.pk, "name": "Missing Sosa"}]}
    assert standing["missed_last_two"] == standing["quiet"] == flagged
    assert standing["behind"] == {"total": 0, "first": []}
    assert (standing["participants"], standing["lessons"], standing["median_done"]) == (
        2,
        circle.course.lessons().count(),
        0,
    )
    # The dashboard's own lists, the same people.
    board = facilitator_dashboard(circle, None)
    assert [m.user_id for m in board.missed_two.members] == [missing.pk]
    # A participant, a token without staff rights, a stranger, nobody.
    assert asked(keen).status_code == 403
    assert asked(facilitator, staff=False).status_code == 403
    assert asked(UserFactory()).status_code == 403
    assert Client().get(address).status_code == 401
