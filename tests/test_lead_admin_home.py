"""A program lead's admin home shows their programs' groups with the next
session, the groups needing attention (numbers from the facilitator
dashboard's standing, never names), progress against the program's targets
and quick links; nothing of another program; queries capped."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.models import Program
from insights.admin_home import GROUPS_SHOWN
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from scheduling.models import Attendance
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    indicator_of,
)

pytestmark = pytest.mark.django_db


def lead_of(program):
    ensure_role_groups()
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    program.leads.add(lead)
    return lead


@pytest.fixture
def programs(home_page):
    ours = Program.objects.create(name="Budget Trainings", slug="ours")
    theirs = Program.objects.create(name="Organizing School", slug="theirs")
    indicator_of(ours, measure="core.participants", target=4)
    indicator_of(ours, measure="example.notes", target=10)
    now = timezone.now()
    # A group that met twice; one of its people missed both.
    met = CohortPageFactory(parent=home_page, program=ours, title="Met twice")
    absent = MembershipFactory(cohort=met, user__last_name="Absentname").user
    MembershipFactory(cohort=met)
    for days in (14, 7):
        session = SessionFactory(cohort=met, starts_at=now - timedelta(days=days))
        Attendance.objects.create(session=session, user=absent, status="absent")
    SessionFactory(cohort=met, starts_at=now + timedelta(days=3))
    CohortPageFactory(parent=home_page, program=ours, title="Nothing scheduled")
    CohortPageFactory(parent=home_page, program=theirs, title="Their circle")
    return ours, theirs


def admin_home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_lead_sees_their_programs_groups_attention_targets_and_links(
    client, programs
):
    ours, _ = programs
    page = admin_home(client, lead_of(ours))
    assert "Your programs' groups" in page
    assert "Met twice" in page and "Nothing scheduled" in page
    assert "Their circle" not in page and "Organizing School" not in page
    assert "Groups needing attention" in page
    assert "no session scheduled" in page
    assert "1 person missed the last two sessions" in page
    assert "Absentname" not in page  # numbers, not names
    assert "Progress against your targets" in page
    assert "People taking part" in page and "50 %" in page  # 2 of 4
    assert "<td>0 notes</td>" in page  # a plugin's measure, with its unit
    assert "New group" in page and "/admin/pages/add/cohorts/cohortpage/" in page
    assert "/cohorts/programs/ours/" in page


def test_people_who_lead_nothing_get_wagtail_s_home_only(client, programs):
    ensure_role_groups()
    lead_of_nothing = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    page = admin_home(client, lead_of_nothing)
    assert "Your programs' groups" not in page and "Met twice" not in page


def test_superusers_see_every_program(client, programs):
    page = admin_home(client, UserFactory(is_superuser=True, is_staff=True))
    assert "Met twice" in page and "Their circle" in page


def test_queries_are_capped_whatever_the_number_of_groups(client, programs, home_page):
    ours, _ = programs
    lead = lead_of(ours)
    client.force_login(lead)
    client.get("/admin/")  # Wagtail's own first-visit work and kept standings

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/admin/").status_code == 200
        return len(captured)

    def add_groups(count: int) -> None:
        for _ in range(count):
            group = CohortPageFactory(parent=home_page, program=ours)
            SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(days=1))
            MembershipFactory(cohort=group)
        client.get("/admin/")

    few = queries()  # 2 groups: 55 when written (a logic model with two indicators)
    add_groups(GROUPS_SHOWN + 4)
    many = queries()  # 14 groups, 8 looked at closely: 68 when written
    assert "The first 8 of 14 groups." in client.get("/admin/").content.decode()
    assert many <= 70, (few, many)
    add_groups(16)  # past the groups looked at, nothing grows
    assert queries() == many
