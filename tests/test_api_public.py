"""The API's public routes besides the catalogue's: the course library, a
group with its speakers (tests/test_api.py has the list of groups)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from cohorts.models import CohortPage, Speaker
from content.models import LessonPage
from content.site import ensure_locales
from tests.factories import CohortPageFactory, UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db
API = "/api/v1"


def published_in_spanish(page, title):
    translation = page.copy_for_translation(ensure_locales()["es"], copy_parents=True)
    translation.title = title
    translation.save_revision().publish()
    return translation


def test_the_course_library_lists_the_public_courses_in_the_caller_s_language(
    home_page,
):
    first = course_with_lessons(home_page, modules=2, lessons=2)
    first.title, first.hours = "Budgets 101", 4.5
    first.save()
    second = course_with_lessons(home_page, modules=1, lessons=1)
    second.title = "Budgets 201"
    second.prerequisites.add(first)
    second.save()
    private = course_with_lessons(home_page, modules=1, lessons=1)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    second.prerequisites.add(private)  # not named: private
    second.save()
    hidden_lesson = LessonPage.objects.descendant_of(first).order_by("path").last()
    PageViewRestriction.objects.create(page=hidden_lesson, restriction_type="login")

    listed = Client().get(f"{API}/courses").json()
    assert [(c["title"], c["hours"], c["prerequisites"]) for c in listed["items"]] == [
        ("Budgets 101", 4.5, []),
        ("Budgets 201", None, [first.pk]),
    ]
    assert listed["items"][0]["url"] == "http://localhost" + first.url
    # One course: its modules and lessons, a lesson in a private section left out.
    outline = Client().get(f"{API}/courses/{first.pk}").json()
    assert [
        (module["title"], [lesson["title"] for lesson in module["lessons"]])
        for module in outline["modules"]
    ] == [("Module 1", ["Lesson 1.1", "Lesson 1.2"]), ("Module 2", ["Lesson 2.1"])]
    assert outline["modules"][0]["lessons"][0]["url"].endswith("/m0/l0/")
    # A private course is not found, however asked for.
    assert Client().get(f"{API}/courses/{private.pk}").status_code == 404
    member = Client()
    member.force_login(UserFactory())
    assert member.get(f"{API}/courses/{private.pk}").status_code == 404
    # In Spanish, the Spanish library's courses (those translated).
    spanish = published_in_spanish(first, "Presupuestos 101")
    in_spanish = Client().get(f"{API}/courses", HTTP_ACCEPT_LANGUAGE="es").json()
    assert [(c["id"], c["title"]) for c in in_spanish["items"]] == [
        (spanish.pk, "Presupuestos 101")
    ]
    assert "/es/" in in_spanish["items"][0]["url"]


def speaker_event(home_page, speakers: int, photo=None):
    event = CohortPageFactory(parent=home_page, kind=CohortPage.Kind.SPEAKER_EVENT)
    for number in range(speakers):
        Speaker.objects.create(
            cohort=event,
            name=f"Speaker {number}",
            organisation="Budget Lab",
            photo=photo,
            photo_alt_text="A smiling speaker" if photo else "",
        )
    return event


def test_a_group_with_its_speakers_to_those_its_page_admits(home_page):
    photo = Image.objects.create(title="Ana", file=get_test_image_file())
    event = speaker_event(home_page, 2, photo)
    found = Client().get(f"{API}/groups/{event.pk}")
    assert found.status_code == 200
    shown = found.json()
    assert shown["title"] == event.title and shown["kind"] == "event"
    assert [speaker["name"] for speaker in shown["speakers"]] == [
        "Speaker 0",
        "Speaker 1",
    ]
    first = shown["speakers"][0]
    assert first["photo_url"].startswith("http://")
    assert ".fill-160x160" in first["photo_url"]
    assert first["photo_alt_text"] == "A smiling speaker"
    # A learning circle lists none; a group whose page refuses the caller is
    # not found (the catalogue lists neither it nor its speakers).
    circle = CohortPageFactory(parent=home_page)
    assert Client().get(f"{API}/groups/{circle.pk}").json()["speakers"] == []
    PageViewRestriction.objects.create(
        page=event, restriction_type="password", password="board"
    )
    assert Client().get(f"{API}/groups/{event.pk}").status_code == 404
    assert Client().get(f"{API}/groups/999999").status_code == 404


def test_speakers_cost_the_same_queries_for_one_event_and_five(home_page):
    photo = Image.objects.create(title="Ana", file=get_test_image_file())

    def queries() -> int:
        Client().get(f"{API}/groups")  # the photos' renditions are made
        with CaptureQueriesContext(connection) as asked:
            listed = Client().get(f"{API}/groups")
        assert listed.status_code == 200
        return len(asked)

    speaker_event(home_page, 1, photo)
    one = queries()
    for _number in range(4):
        speaker_event(home_page, 3, photo)
    assert queries() == one


def test_a_speaker_s_lost_photo_is_no_address_and_no_server_error(home_page):
    photo = Image.objects.create(title="Ana", file=get_test_image_file())
    event = speaker_event(home_page, 1, photo)
    photo.file.storage.delete(photo.file.name)
    found = Client().get(f"{API}/groups/{event.pk}")
    assert found.status_code == 200
    assert found.json()["speakers"][0]["photo_url"] is None


def test_the_course_library_costs_the_same_queries_for_two_courses_and_twelve(
    home_page,
):
    def queries() -> int:
        Client().get(f"{API}/courses")  # the site's lookups kept
        with CaptureQueriesContext(connection) as asked:
            listed = Client().get(f"{API}/courses", {"limit": 20})
        assert listed.status_code == 200
        return len(asked)

    def add(number: int) -> None:
        for _number in range(number):
            course = course_with_lessons(home_page, modules=0)
            course.prerequisites.add(first)
            course.save()

    first = course_with_lessons(home_page, modules=0)
    add(1)
    two = queries()
    add(10)
    assert queries() == two
