import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.models import TokenTerms
from api.tokens import create_token
from cohorts.models import CohortPage
from learning.models import LessonProgress, ModuleRelease
from learning.progress import complete, record_answer
from lms import events
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(home_page):
    return course_with_lessons(home_page)


@pytest.fixture
def circle(home_page, course):
    return CohortPageFactory(parent=home_page, course=course)


def lesson_url(circle, lesson) -> str:
    return f"/cohorts/{circle.pk}/course/{lesson.pk}/"


def block_id(lesson, kind: str) -> str:
    return next(block.id for block in lesson.body if block.block_type == kind)


def test_courses_are_public_pages_with_read_only_lessons(client, course):
    html = client.get(course.url).content.decode()
    assert "Module 1" in html and "Lesson 2.2" in html
    lesson = course.lessons().first()
    html = client.get(lesson.url).content.decode()
    assert "The need statement" in html and 'type="radio"' not in html
    assert client.get(course.get_parent().url).status_code == 200


def test_members_work_through_the_course_others_are_kept_out(client, circle, course):
    lesson = course.lessons().first()
    client.force_login(UserFactory())
    assert client.get(f"/cohorts/{circle.pk}/course/").status_code == 403
    assert client.get(lesson_url(circle, lesson)).status_code == 403
    client.logout()
    assert client.get(f"/cohorts/{circle.pk}/course/").status_code == 302

    client.force_login(MembershipFactory(cohort=circle).user)
    page = client.get(f"/cohorts/{circle.pk}/course/").content.decode()
    assert "You have completed 0 of 4 lessons." in page
    html = client.get(lesson_url(circle, lesson)).content.decode()
    assert 'type="radio"' in html and "Mark this lesson as done" in html
    other = CohortPageFactory(parent=circle.get_parent(), course=course)
    MembershipFactory(cohort=other, user=UserFactory())
    assert client.get(f"/cohorts/{other.pk}/course/").status_code == 403
    assert client.get(f"/cohorts/{circle.pk}/course/999999/").status_code == 404


def test_answers_are_graded_saved_and_private(client, circle, course):
    lesson = course.lessons().first()
    url = lesson_url(circle, lesson)
    me, them = (
        MembershipFactory(cohort=circle).user,
        MembershipFactory(cohort=circle).user,
    )
    client.force_login(me)
    client.post(url, {"block": block_id(lesson, "quiz"), "choice": "0"})
    html = client.get(url).content.decode()
    assert "Not quite" in html and "The budget says how." in html
    client.post(url, {"block": block_id(lesson, "quiz"), "choice": "1"})
    client.post(url, {"block": block_id(lesson, "reflection"), "text": "Youth jobs"})
    client.post(url, {"block": block_id(lesson, "checklist"), "done": ["1"]})
    mine = LessonProgress.objects.get(user=me)
    assert mine.quiz_score == 100
    assert mine.answers[block_id(lesson, "checklist")] == {"done": [1]}
    assert "Youth jobs" in client.get(url).content.decode()

    bad = client.post(url, {"block": block_id(lesson, "quiz"), "choice": "7"})
    assert bad.status_code == 302
    assert LessonProgress.objects.get(user=me).quiz_score == 100

    client.force_login(them)
    assert "Youth jobs" not in client.get(url).content.decode()


def test_opening_a_lesson_records_nothing_answering_does(client, circle, course):
    lesson = course.lessons().first()
    me = MembershipFactory(cohort=circle).user
    client.force_login(me)
    url = lesson_url(circle, lesson)
    assert client.get(url).status_code == 200
    assert not LessonProgress.objects.filter(user=me).exists()
    client.post(url, {"block": block_id(lesson, "reflection"), "text": "Youth jobs"})
    assert LessonProgress.objects.get(user=me).status == "started"


def test_completing_twice_counts_once(
    client, circle, course, captured_events, django_capture_on_commit_callbacks
):
    lesson = course.lessons().first()
    client.force_login(MembershipFactory(cohort=circle).user)
    url = lesson_url(circle, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"complete": "1"})
        client.post(url, {"complete": "1"})
    assert LessonProgress.objects.get().status == "completed"
    assert [type(event) for event in captured_events] == [events.LessonCompleted]
    page = client.get(f"/cohorts/{circle.pk}/course/").content.decode()
    assert "You have completed 1 of 4 lessons." in page


def test_one_module_per_session_and_set_dates(client, circle, course):
    circle.release = CohortPage.Release.BY_SESSION
    circle.save()
    SessionFactory(cohort=circle, starts_at=timezone.now() - timedelta(days=1))
    SessionFactory(cohort=circle)  # next week
    client.force_login(MembershipFactory(cohort=circle).user)
    first, *_, last = list(course.lessons())
    assert client.get(lesson_url(circle, first)).status_code == 200
    assert client.get(lesson_url(circle, last)).status_code == 404
    assert "Opens" in client.get(f"/cohorts/{circle.pk}/course/").content.decode()

    circle.release = CohortPage.Release.BY_DATE
    circle.save()
    second = course.modules()[1]
    ModuleRelease.objects.create(
        cohort=circle, module=second, opens_at=timezone.now() - timedelta(hours=1)
    )
    ModuleRelease.objects.create(
        cohort=circle,
        module=course.modules()[0],
        opens_at=timezone.now() + timedelta(days=3),
    )
    assert client.get(lesson_url(circle, last)).status_code == 200
    assert client.get(lesson_url(circle, first)).status_code == 404


def test_lesson_page_takes_at_most_twelve_queries(
    client, circle, course, django_assert_max_num_queries
):
    lesson = course.lessons().first()
    client.force_login(MembershipFactory(cohort=circle).user)
    client.get(lesson_url(circle, lesson))
    with django_assert_max_num_queries(12):
        assert client.get(lesson_url(circle, lesson)).status_code == 200


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_answers_and_completion_at_once_lose_nothing(home_page):
    course = course_with_lessons(home_page, modules=1, lessons=1)
    circle = CohortPageFactory(parent=home_page, course=course)
    person = MembershipFactory(cohort=circle).user
    lesson = course.lessons().first()
    blocks = lesson.interactive_blocks()
    answers = {
        "quiz": {"chosen": [1], "correct": True},
        "reflection": {"text": "Mine"},
        "checklist": {"done": [0, 1]},
    }
    barrier = threading.Barrier(len(blocks) * 3 + 3)
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    actions = [
        lambda block=block: record_answer(
            person, circle, lesson, block, answers[block.block_type]
        )
        for block in blocks
        for _ in range(3)
    ] + [lambda: complete(person, circle, lesson)] * 3
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    progress = LessonProgress.objects.get()
    assert progress.status == "completed" and progress.quiz_score == 100
    assert progress.answers == {block.id: answers[block.block_type] for block in blocks}


def test_the_api_shows_a_member_s_course_and_marks_lessons_done(circle, course):
    """`GET /groups/{id}/course`, `PUT …/lessons/{id}/done` and
    `GET /me/certificates`: what the course's pages show and do."""
    circle.release = CohortPage.Release.BY_SESSION
    circle.save()
    SessionFactory(cohort=circle, starts_at=timezone.now() - timedelta(days=1))
    SessionFactory(cohort=circle)  # next week: the second module opens then
    member = MembershipFactory(cohort=circle).user
    writer = create_token(member, "App", TokenTerms.Scope.WRITE, 30)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {writer}"}
    first, second, third, last = list(course.lessons())

    def done(lesson):
        return Client().put(
            f"/api/v1/groups/{circle.pk}/lessons/{lesson.pk}/done", **auth
        )

    shown = Client().get(f"/api/v1/groups/{circle.pk}/course", **auth).json()
    assert (shown["lessons"], shown["completed"]) == (4, 0)
    assert [module["open"] for module in shown["modules"]] == [True, False]
    assert shown["modules"][1]["opens_at"] is not None
    answer = done(first)
    assert answer.status_code == 200 and answer.json()["first_time"] is True
    assert done(first).json()["first_time"] is False  # again: nothing changes
    assert done(last).status_code == 404  # its module is not open yet
    lesson_of_another_course = course_with_lessons(circle.get_parent()).lessons()[0]
    assert done(lesson_of_another_course).status_code == 404
    shown = Client().get(f"/api/v1/groups/{circle.pk}/course", **auth).json()
    assert shown["completed"] == 1
    assert shown["modules"][0]["lessons"][0]["completed_at"] is not None
    # The page shows what the API marked.
    assert LessonProgress.objects.get(user=member, lesson=first).completed_at

    # Every lesson done: the certificate, with its addresses.
    circle.release = CohortPage.Release.AT_ONCE
    circle.save()
    for lesson in (second, third, last):
        assert done(lesson).status_code == 200
    certificates = Client().get("/api/v1/me/certificates", **auth).json()
    assert certificates["count"] == 1
    found = certificates["items"][0]
    assert Client().get(found["verify_url"]).status_code == 200
    assert found["badge_url"].endswith(".json")

    # Not a member: 403; a read-only token may not mark; a private group: 404.
    stranger = create_token(UserFactory(), "App", TokenTerms.Scope.WRITE, 30)[1]
    url = f"/api/v1/groups/{circle.pk}/course"
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {stranger}").status_code == 403
    reader = create_token(member, "App", TokenTerms.Scope.READ, 30)[1]
    assert (
        Client()
        .put(
            f"/api/v1/groups/{circle.pk}/lessons/{first.pk}/done",
            HTTP_AUTHORIZATION=f"Bearer {reader}",
        )
        .status_code
        == 403
    )
    PageViewRestriction.objects.create(
        page=circle, restriction_type="password", password="board"
    )
    assert Client().get(url, **auth).status_code == 404
    without = CohortPageFactory(parent=circle.get_parent())
    MembershipFactory(cohort=without, user=member)
    assert (
        Client().get(f"/api/v1/groups/{without.pk}/course", **auth).status_code == 404
    )
