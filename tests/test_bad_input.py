"""Regression tests for the four families of server errors adversarial input
found (issue #28): ids past the database's integer range, digits that are not
digits, dates at the edge of the calendar, control characters that break a
download; and refusals logged as one line, formset management fields."""

import io
import logging
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from lms_coaching.forms import MAX_NEXT_STEPS, NextStepFormSet
from lms_coaching.models import CoachingSession, Goal, NextStep
from lms_grantwriting.models import Assignment
from openpyxl import load_workbook

from cohorts.models import CohortPage, Membership, Program
from learning.models import LessonProgress
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from scheduling.models import Session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db

PAST_SQLITE = str(2**63)  # one past the largest signed 64-bit integer
HUGE = "9999999999999999999999999"


@pytest.fixture
def group(home_page):
    program = Program.objects.create(name="Learning Community", slug="lc")
    return CohortPageFactory(
        parent=home_page,
        program=program,
        plugins=["coaching", "grantwriting"],
        time_zone="America/Los_Angeles",
    )


@pytest.fixture
def people(group):
    ensure_role_groups()
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    group.program.leads.add(lead)
    return {
        "facilitator": MembershipFactory(cohort=group, role="facilitator").user,
        "participant": MembershipFactory(cohort=group).user,
        "lead": lead,
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.fixture
def coaching_session(group, people):
    return CoachingSession.objects.create(
        cohort=group,
        coach=people["facilitator"],
        coachee=people["participant"],
        held_at=timezone.now() - timedelta(days=1),
        minutes=60,
    )


# 1. Ids out of the database's integer range


@pytest.mark.parametrize("number", [PAST_SQLITE, HUGE])
@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("post", "/cohorts/{id}/join/"),
        ("get", "/cohorts/{id}/join-by-email/"),
        ("post", "/cohorts/{id}/wrap-up/"),
        ("post", "/cohorts/{id}/nudge/"),
        ("get", "/cohorts/{id}/course/"),
        ("get", "/cohorts/{group}/course/{id}/"),
        ("post", "/p/toolkits/{id}/tick/"),
        ("get", "/p/coaching/groups/{id}/log/"),
        ("get", "/p/grantwriting/workshops/{id}/assignments/new/"),
        ("get", "/p/coaching/sessions/{id}/"),
        ("get", "/badges/courses/{id}.json"),
    ],
)
def test_an_id_past_the_databases_range_is_not_found(
    client, group, people, method, address, number
):
    client.force_login(people["superuser"])
    response = getattr(client, method)(address.format(id=number, group=group.pk))
    assert response.status_code == 404


def test_the_largest_id_the_database_holds_still_resolves(client, group):
    largest = 2**63 - 1
    assert reverse("cohorts:join", args=[largest]) == f"/cohorts/{largest}/join/"


@pytest.mark.parametrize(
    "user", ["²", "\u0661", PAST_SQLITE, HUGE, "-1", "1.5", "nan", ""]
)
def test_nudge_takes_the_person_as_a_whole_number_id(client, group, people, user):
    client.force_login(people["facilitator"])
    response = client.post(reverse("cohorts:nudge", args=[group.pk]), {"user": user})
    assert response.status_code == 400


@pytest.mark.parametrize("back", ["²", PAST_SQLITE, "-3", "x"])
def test_a_goal_review_from_a_bad_page_number_goes_back_to_the_goals_session(
    client, coaching_session, people, back
):
    goal = Goal.objects.create(session=coaching_session, text="Send the letter")
    client.force_login(people["facilitator"])
    response = client.post(
        reverse("coaching:goal_review", args=[goal.pk]),
        {"status": Goal.Status.MET, "from": back},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.url == reverse("coaching:session", args=[coaching_session.pk])


# 3. Dates at the edge of the calendar


def session_data(people, **fields):
    return {
        "coachee": people["participant"].pk,
        "held_at": "2026-11-20T10:00",
        "minutes": "45",
        "format": "video",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-text": "Ask two sponsors",
        "steps-0-due_on": (date.today() + timedelta(days=10)).isoformat(),
        **fields,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"held_at": "9999-12-31T23:59"},
        {"held_at": "0001-01-01T00:00"},
        {"held_at": "1899-12-31T23:59"},
        {"steps-0-due_on": "9999-12-31"},
        {"steps-0-due_on": "0001-01-01"},
    ],
)
def test_a_coaching_date_outside_1900_to_2200_is_a_form_error(
    client, group, people, coaching_session, fields
):
    client.force_login(people["facilitator"])
    before = (CoachingSession.objects.count(), NextStep.objects.count())
    for address in (
        reverse("coaching:log", args=[group.pk]),
        reverse("coaching:edit", args=[coaching_session.pk]),
    ):
        response = client.post(address, session_data(people, **fields))
        assert response.status_code == 400
        assert "between the years 1900 and 2200" in response.content.decode()
    assert (CoachingSession.objects.count(), NextStep.objects.count()) == before


def test_the_edge_years_themselves_are_accepted(client, group, people):
    client.force_login(people["facilitator"])
    response = client.post(
        reverse("coaching:log", args=[group.pk]),
        session_data(
            people, held_at="2200-12-31T23:59", **{"steps-0-due_on": "1900-01-01"}
        ),
    )
    assert response.status_code == 302


@pytest.mark.parametrize("due_at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_grantwriting_due_date_outside_1900_to_2200_is_a_form_error(
    client, group, people, due_at
):
    client.force_login(people["facilitator"])
    data = {"title": "Logic model", "kind": "logic_model", "due_at": due_at}
    response = client.post(
        reverse("grantwriting:new_assignment", args=[group.pk]), data
    )
    assert response.status_code == 400
    assert "between the years 1900 and 2200" in response.content.decode()
    assert not Assignment.objects.exists()


# 4. Control characters


@pytest.mark.parametrize("goal", ["Ring \x07 the bell", "Vertical\x0btab", "Nul\x00"])
def test_a_join_goal_with_control_characters_is_refused_with_a_message(
    client, group, goal
):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("cohorts:join", args=[group.pk]), {"goal": goal}, follow=True
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=person).exists()
    assert "control characters" in response.content.decode() or "Null" in (
        response.content.decode()
    )


def test_join_by_email_refuses_control_characters_in_the_name(client, group):
    response = client.post(
        reverse("cohorts:join_by_email", args=[group.pk]),
        {"name": "Ana\x0bBell\x07", "email": "ana@example.org", "goal": "Learn"},
    )
    assert response.status_code == 400
    assert "control characters" in response.content.decode()


def test_the_xlsx_report_downloads_whatever_text_was_stored(client, group, people):
    # PostgreSQL cannot store NUL at all; SQLite can, so it is tried there.
    nul = "" if connection.vendor == "postgresql" else " nul\x00"
    Membership.objects.filter(user=people["participant"]).update(
        goal=f"Bell\x07 vertical\x0btab{nul} end"
    )
    for who in ("facilitator", "lead"):
        client.force_login(people[who])
        response = client.get(
            reverse("cohorts:reports", args=[group.pk]), {"download": "xlsx"}
        )
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        cells = [
            str(cell.value) for sheet in book for row in sheet.rows for cell in row
        ]
        assert f"Bell verticaltab{nul.replace(chr(0), '')} end" in cells


# Refusals in the log, formsets


def test_a_refusal_is_logged_as_one_line_without_a_traceback(
    client, group, people, caplog
):
    client.force_login(people["participant"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("cohorts:dashboard", args=[group.pk]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"steps-TOTAL_FORMS": "-1"}, "The form arrived damaged"),
        ({"steps-INITIAL_FORMS": "-1"}, "The form arrived damaged"),
        ({"steps-0-DELETE": "maybe"}, "Tick the box or leave it empty"),
    ],
)
def test_bad_formset_management_fields_are_a_form_error(
    client, group, people, coaching_session, fields, message
):
    step = NextStep.objects.create(
        session=coaching_session, text="Call the county", due_on=date.today()
    )
    client.force_login(people["facilitator"])
    data = session_data(
        people,
        **{"steps-INITIAL_FORMS": "1", "steps-0-id": step.pk, "steps-0-text": "x"},
    )
    response = client.post(
        reverse("coaching:edit", args=[coaching_session.pk]), {**data, **fields}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert NextStep.objects.filter(pk=step.pk, text="Call the county").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"steps-TOTAL_FORMS": HUGE},
        {"steps-TOTAL_FORMS": "²"},
        {"steps-INITIAL_FORMS": "5"},
        {"steps-0-id": PAST_SQLITE},
    ],
)
def test_other_broken_management_fields_are_no_server_error(
    client, group, people, coaching_session, fields
):
    client.force_login(people["facilitator"])
    for address in (
        reverse("coaching:log", args=[group.pk]),
        reverse("coaching:edit", args=[coaching_session.pk]),
    ):
        response = client.post(address, session_data(people, **fields))
        assert response.status_code in (302, 400)


def test_a_claimed_form_count_builds_no_more_forms_than_a_session_has_steps():
    """Django builds as many forms as a post claims, up to 2,000 (seconds of
    work a request): the next steps' formset stops at its own cap."""
    claimed = {"steps-TOTAL_FORMS": HUGE, "steps-INITIAL_FORMS": "0"}
    formset = NextStepFormSet(data=claimed, prefix="steps")
    assert len(formset.forms) == MAX_NEXT_STEPS
    assert not formset.is_valid()


@pytest.mark.parametrize("cohort", ["²", "\u0661", PAST_SQLITE, HUGE, "-1", "x"])
def test_a_session_form_with_a_bad_group_is_a_form_error(client, group, people, cohort):
    """The admin's session form reads the group first, for its time zone:
    a value that is no id leaves the times in the default zone and the form
    says the choice is not valid."""
    client.force_login(people["lead"])
    response = client.post(
        "/admin/cohorts/sessions/new/",
        {"cohort": cohort, "title": "Circle", "starts_at": "2026-12-03 18:00:00"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_lookup_through_a_relation_past_the_range_finds_nothing(group):
    """A group's id is its link to Wagtail's page; SQLite raised OverflowError
    on a number past 2**63 - 1 there, where a plain integer finds nothing."""
    huge = int(HUGE)
    assert not CohortPage.objects.filter(pk=huge).exists()
    assert not Session.objects.filter(cohort=huge).exists()
    assert list(CohortPage.objects.filter(pk__in=[huge, group.pk])) == [group]
    assert not CohortPage.objects.filter(pk__in=[huge]).exists()
    assert list(Program.objects.filter(pk__in=[huge, group.program.pk])) == [
        group.program
    ]


def test_a_coaching_log_with_a_topic_past_the_range_is_a_form_error(
    client, group, people
):
    """Found by the form fuzzer: the topics are a ModelMultipleChoiceField,
    which looks its values up with `in`."""
    client.force_login(people["facilitator"])
    response = client.post(
        reverse("coaching:log", args=[group.pk]), session_data(people, topics=HUGE)
    )
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not CoachingSession.objects.exists()


@pytest.fixture
def lesson_answering(client, home_page):
    """A member of a group with a course, signed in, on its first lesson."""
    course = course_with_lessons(home_page)
    circle = CohortPageFactory(parent=home_page, course=course)
    client.force_login(MembershipFactory(cohort=circle).user)
    lesson = course.lessons().first()
    blocks = {block.block_type: block.id for block in lesson.body}
    return f"/cohorts/{circle.pk}/course/{lesson.pk}/", blocks


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Youth\x00 jobs", "Null characters are not allowed"),
        ("Youth\x07 jobs", "invisible control characters"),
        # Past the answer box's own limit: refused, never cut short and "saved".
        ("x" * 5001, "at most 5000 characters"),
    ],
)
def test_a_reflection_with_control_characters_is_refused_not_stored(
    client, lesson_answering, text, message
):
    """Found by the form fuzzer on PostgreSQL: answers are JSON there, which
    cannot hold a NUL, so saving one was a server error."""
    url, blocks = lesson_answering
    response = client.post(
        url, {"block": blocks["reflection"], "text": text}, follow=True
    )
    assert message in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_a_quiz_choice_in_other_digits_is_refused(client, lesson_answering):
    """int() reads an Arabic-Indic one as 1; a position is an ASCII number."""
    url, blocks = lesson_answering
    client.post(url, {"block": blocks["quiz"], "choice": "\u0661"})
    client.post(url, {"block": blocks["checklist"], "done": ["²"]})
    assert not LessonProgress.objects.exists()


def test_an_answer_to_a_block_that_is_not_there_goes_back_to_the_lesson(
    client, lesson_answering
):
    url, _blocks = lesson_answering
    response = client.post(url, {"block": "x\r\nSet-Cookie: a=b", "text": "Hi"})
    assert response.status_code == 302
    assert response["Location"] == url
