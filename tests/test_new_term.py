from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from cohorts.models import CohortPage, Program, Speaker
from learning.models import ModuleRelease
from lms.roles import PROGRAM_LEADS
from scheduling.models import Session, SessionSeries
from scheduling.sessions import sync_series
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
)
from tests.test_calendar import feed_of, parse

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def spring(home_page):
    circle = CohortPageFactory(
        parent=home_page,
        title="Budget circle",
        slug="budget-circle",
        plugins=["example"],
        program=Program.objects.create(name="Budgets", slug="budgets"),
    )
    Speaker.objects.create(cohort=circle, name="Ana Ruiz")
    series = SessionSeries.objects.create(
        cohort=circle,
        first_start=datetime(2026, 2, 3, 18, 0, tzinfo=LA),  # a Tuesday
        rrule="FREQ=WEEKLY;UNTIL=20260317T235959Z",
        excluded_dates=["2026-02-17"],
    )
    sync_series(series)
    SessionFactory(
        cohort=circle,
        title="Wrap-up party",
        starts_at=datetime(2026, 3, 20, 17, 0, tzinfo=LA),
        ends_at=datetime(2026, 3, 20, 19, 0, tzinfo=LA),
    )
    MembershipFactory(cohort=circle, role="facilitator")
    MembershipFactory(cohort=circle, role="participant")
    module = course_with_lessons(circle.get_parent(), modules=1).modules()[0]
    ModuleRelease.objects.create(
        cohort=circle, module=module, opens_at=datetime(2026, 2, 10, 9, 0, tzinfo=LA)
    )
    return circle


@pytest.fixture
def lead(client, spring):
    """A lead of the circle's program."""
    person = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    spring.program.leads.add(person)
    client.force_login(person)
    return client


def test_a_lead_runs_a_circle_again_in_autumn(lead, spring):
    url = f"/admin/cohorts/new-term/{spring.pk}/"
    form = lead.get(url)
    assert form.status_code == 200 and "2026-02-03" in form.content.decode()
    response = lead.post(
        url,
        {
            "title": "Budget circle, autumn",
            "slug": "budget-circle-autumn",
            "first_meeting": "2026-09-01",  # also a Tuesday, after the DST change
        },
    )
    autumn = CohortPage.objects.get(slug="budget-circle-autumn")
    assert response.status_code == 302
    assert not autumn.live and autumn.plugins == ["example"]
    assert [s.name for s in autumn.speakers.all()] == ["Ana Ruiz"]

    starts = [
        s.starts_at.astimezone(LA)
        for s in autumn.sessions.order_by("starts_at").select_related("series")
    ]
    # All six Tuesdays of the rule (spring skipped one; skipped dates are not
    # copied), ending as many days later as the term moved, then the party.
    assert [s.date() for s in starts[:-1]] == [
        date(2026, 9, 1) + timedelta(weeks=n) for n in range(6)
    ]
    assert {s.hour for s in starts[:-1]} == {18}
    assert starts[-1] == datetime(2026, 10, 16, 17, 0, tzinfo=LA)  # 210 days on
    assert set(autumn.memberships.values_list("role", flat=True)) == {"facilitator"}
    (release,) = autumn.module_releases.all()
    assert release.opens_at.astimezone(LA) == datetime(2026, 9, 8, 9, 0, tzinfo=LA)
    assert Session.objects.filter(cohort=spring).count() == 6  # spring untouched


def test_bad_input_is_a_form_error_and_participants_are_refused(client, lead, spring):
    url = f"/admin/cohorts/new-term/{spring.pk}/"
    taken = lead.post(
        url, {"title": "Again", "slug": "budget-circle", "first_meeting": "nope"}
    )
    assert taken.status_code == 400
    errors = taken.context["form"].errors
    assert "slug" in errors and "first_meeting" in errors

    client.force_login(MembershipFactory(cohort=spring).user)
    assert client.get(url).status_code in (302, 403)
    assert not CohortPage.objects.filter(slug="budget-circle-new-term").exists()


def test_the_button_is_on_cohort_pages_in_the_admin(lead, spring, home_page):
    assert (
        f"/admin/cohorts/new-term/{spring.pk}/"
        in lead.get(f"/admin/pages/{spring.pk}/edit/").content.decode()
    )
    assert (
        "/admin/cohorts/new-term/"
        not in lead.get(f"/admin/pages/{home_page.pk}/edit/").content.decode()
    )


def test_the_new_terms_staff_see_it_in_their_calendar_at_once(lead, spring):
    facilitator = spring.memberships.get(role="facilitator").user
    feed = feed_of(facilitator)
    assert not parse(lead.get(feed)).walk("VEVENT")  # spring is long past
    lead.post(
        f"/admin/cohorts/new-term/{spring.pk}/",
        {
            "title": "Budget circle, autumn",
            "slug": "budget-circle-autumn",
            "first_meeting": "2026-09-01",
        },
    )
    groups = {
        str(event["DESCRIPTION"]).splitlines()[0]
        for event in parse(lead.get(feed)).walk("VEVENT")
    }
    assert "Budget circle, autumn" in groups
