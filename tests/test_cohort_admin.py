import csv
import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Program
from lms.roles import PROGRAM_LEADS
from notifications.models import Notification
from organisations.models import Organisation
from scheduling.models import RSVP, Session, SessionSeries
from scheduling.rsvp import respond
from scheduling.sessions import sync_series
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return Program.objects.create(name="Learning Community", slug="lc")


@pytest.fixture
def lead_client(client, program):
    """A lead of the program the circle belongs to."""
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    program.leads.add(lead)
    client.force_login(lead)
    return client


@pytest.fixture
def circle(home_page, program):
    return CohortPageFactory(
        parent=home_page, program=program, time_zone="America/Los_Angeles"
    )


def series_form(circle, **changes):
    data = {
        "cohort": circle.pk,
        "title": "Weekly circle",
        "first_start": "2026-12-03 18:00:00",
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;COUNT=6",
        "excluded_dates": "[]",
        "location_name": "Library",
        "address": "1 Main St",
        "online_url": "",
        "capacity": "",
    }
    return {**data, **changes}


def test_lead_creates_a_series_and_its_sessions_appear(lead_client, circle):
    response = lead_client.post("/admin/cohorts/series/new/", series_form(circle))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Session.objects.filter(series__cohort=circle).count() == 6


def test_a_bad_repeat_rule_is_a_form_error(lead_client, circle):
    response = lead_client.post(
        "/admin/cohorts/series/new/", series_form(circle, rrule="EVERY TUESDAY")
    )
    assert response.status_code == 200
    assert "The repeat rule is not valid" in response.content.decode()
    assert not SessionSeries.objects.exists()


def local(session, moment) -> str:
    """How a lead types a time: in the cohort's time zone."""
    zone = ZoneInfo(session.cohort.time_zone)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def session_form(session, **changes):
    data = {
        "cohort": session.cohort_id,
        "title": "",
        "starts_at": local(session, session.starts_at),
        "ends_at": local(session, session.ends_at),
        "location_name": session.location_name,
        "address": session.address,
        "online_url": "",
        "capacity": session.capacity or "",
        "status": session.status,
    }
    return {**data, **changes}


def test_moving_a_session_bumps_its_revision(lead_client, circle, settings):
    settings.TIME_ZONE = "UTC"
    session = SessionFactory(cohort=circle)
    coming = MembershipFactory(cohort=circle).user
    respond(session, coming, RSVP.Status.GOING)
    later = session.starts_at + timedelta(hours=1)
    url = f"/admin/cohorts/sessions/edit/{session.pk}/"
    response = lead_client.post(
        url,
        session_form(
            session,
            starts_at=local(session, later),
            ends_at=local(session, later + timedelta(hours=2)),
        ),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1 and session.starts_at == later
    # Those coming are told in their inboxes, as when moved on the site.
    (told,) = Notification.objects.all()
    assert (told.recipient, told.kind) == (coming, "session_moved")


def test_ending_before_starting_is_a_form_error_not_a_500(lead_client, circle):
    session = SessionFactory(cohort=circle)
    response = lead_client.post(
        f"/admin/cohorts/sessions/edit/{session.pk}/",
        session_form(session, ends_at=local(session, session.starts_at)),
    )
    assert response.status_code == 200
    assert "A session must end after it starts." in response.content.decode()


def test_more_seats_go_to_the_waiting_list(lead_client, circle):
    session = SessionFactory(cohort=circle, capacity=1)
    people = [MembershipFactory(cohort=circle).user for _ in range(3)]
    for person in people:
        respond(session, person, RSVP.Status.GOING)
    lead_client.post(
        f"/admin/cohorts/sessions/edit/{session.pk}/", session_form(session, capacity=2)
    )
    assert session.rsvps.filter(status=RSVP.Status.GOING).count() == 2
    assert session.rsvps.filter(status=RSVP.Status.WAITLISTED).count() == 1


def test_participants_cannot_reach_the_cohort_admin(client, circle):
    client.force_login(UserFactory())
    response = client.get("/admin/cohorts/sessions/")
    assert response.status_code in (302, 403)


def test_times_are_entered_in_the_cohorts_time_zone(lead_client, circle, settings):
    settings.TIME_ZONE = "UTC"
    lead_client.post("/admin/cohorts/series/new/", series_form(circle))
    first = Session.objects.order_by("starts_at").first()
    assert first.starts_at.astimezone(ZoneInfo("America/Los_Angeles")).hour == 18
    listing = lead_client.get("/admin/cohorts/sessions/").content.decode()
    assert "18:00 PST" in listing
    response = lead_client.post(
        "/admin/cohorts/series/new/", series_form(circle, cohort="not-a-number")
    )
    assert response.status_code == 200


def test_time_fields_say_which_time_zone_they_use(lead_client, circle):
    session = SessionFactory(cohort=circle)
    edit = lead_client.get(f"/admin/cohorts/sessions/edit/{session.pk}/")
    assert (
        "In the cohort&#x27;s time zone: America/Los_Angeles." in edit.content.decode()
    )
    add = lead_client.get("/admin/cohorts/series/new/")
    assert "In the time zone of the cohort you choose." in add.content.decode()


def test_cancelling_in_the_admin_tells_calendars_and_members(
    lead_client, circle, django_capture_on_commit_callbacks
):
    from django.core import mail

    member = MembershipFactory(cohort=circle).user
    session = SessionFactory(cohort=circle)
    url = f"/admin/cohorts/sessions/edit/{session.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url, session_form(session, status="cancelled"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject.startswith("Cancelled:")


def test_the_membership_export_quotes_goals_that_start_like_a_formula(
    lead_client, circle
):
    MembershipFactory(cohort=circle, goal="\r=HYPERLINK()")
    export = lead_client.get("/admin/cohorts/memberships/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export).decode(), newline="")))
    assert rows[0]["Goal"] == "'\r=HYPERLINK()"


def test_a_lead_sets_the_groups_course_and_module_dates_on_its_page(
    lead_client, circle
):
    """The course panel comes from the learning app, before the plugins."""
    page = lead_client.get(reverse("wagtailadmin_pages:edit", args=[circle.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for field in (
        'name="course"',
        'name="release"',
        'name="module_releases-TOTAL_FORMS"',
    ):
        assert field in html
    assert html.index('name="release"') < html.index('name="plugins"')


def shown_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("kind", ["session", "series"])
def test_times_are_shown_in_the_groups_zone_and_saving_unchanged_moves_nothing(
    lead_client, circle, kind
):
    if kind == "session":
        record = SessionFactory(cohort=circle)
        url, fields = (
            f"/admin/cohorts/sessions/edit/{record.pk}/",
            ["starts_at", "ends_at"],
        )
        form = session_form(record)
        moment = record.starts_at
    else:
        lead_client.post("/admin/cohorts/series/new/", series_form(circle))
        record = SessionSeries.objects.get()
        url, fields = f"/admin/cohorts/series/edit/{record.pk}/", ["first_start"]
        form = series_form(circle)
        moment = record.first_start
    html = lead_client.get(url).content.decode()
    shown = {name: shown_value(html, name) for name in fields}
    # Los Angeles, not UTC: 18:00 there is 02:00 the next day in UTC.
    assert shown[fields[0]].startswith(local(Session(cohort=circle), moment)[:16])
    sessions_before = list(Session.objects.values_list("pk", "starts_at", "status"))
    response = lead_client.post(url, {**form, **shown})
    assert response.status_code == 302
    assert list(Session.objects.values_list("pk", "starts_at", "status")) == (
        sessions_before
    )
    assert not Notification.objects.exists()


def test_a_changed_rule_changes_the_future_only(circle):
    start = timezone.now() - timedelta(weeks=3) + timedelta(hours=1)
    series = SessionSeries.objects.create(
        cohort=circle,
        title="Weekly circle",
        first_start=start,
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=6",
    )
    sync_series(series)
    past = series.sessions.filter(starts_at__lt=timezone.now())
    assert past.count() == 3
    series.rrule = "FREQ=WEEKLY;COUNT=2"
    series.save()
    sync_series(series)
    statuses = dict(series.sessions.values_list("starts_at", "status"))
    assert sorted(statuses.values()).count(Session.Status.CANCELLED) == 3  # the future
    assert all(
        status == Session.Status.SCHEDULED
        for moment, status in statuses.items()
        if moment < timezone.now()
    )
    # Nothing new in the past either: a rule starting earlier adds future ones only.
    series.first_start = start - timedelta(weeks=2)
    series.rrule = "FREQ=WEEKLY;COUNT=8"
    series.save()
    created = sync_series(series)
    assert all(session.starts_at > timezone.now() for session in created)


def test_co_hosts_are_typed_matched_to_organisations_and_shown_as_typed(
    lead_client, circle
):
    """A list of every organisation would show a facilitator the names of
    those kept off the public directory: co-hosts are typed, matched to the
    organisation of that name (made when there is none) and shown as typed."""
    unlisted = Organisation.objects.create(name="Eastside Parents United")
    session = SessionFactory(cohort=circle)
    edit = f"/admin/cohorts/sessions/edit/{session.pk}/"
    form = lead_client.get(edit).content.decode()
    assert "Co-hosted with" in form and "Eastside Parents United" not in form
    typed = "  eastside   parents united \nMesa Food Bank\nmesa food bank\n\n"
    response = lead_client.post(edit, session_form(session, co_hosted_with=typed))
    assert response.status_code == 302
    hosts = list(session.co_hosts.select_related("organisation"))
    assert [(h.named_as, h.organisation.name) for h in hosts] == [
        ("eastside parents united", "Eastside Parents United"),
        ("Mesa Food Bank", "Mesa Food Bank"),
    ]
    assert hosts[0].organisation == unlisted
    session.refresh_from_db()
    assert session.sequence == 0  # naming co-hosts moves nothing in calendars
    page = lead_client.get(circle.url).content.decode()
    assert "Co-hosted with eastside parents united, Mesa Food Bank" in page
    assert "Eastside Parents United" not in page
    assert "eastside parents united" in lead_client.get(edit).content.decode()
    lead_client.post(edit, session_form(session, co_hosted_with="Mesa Food Bank"))
    assert [h.named_as for h in session.co_hosts.all()] == ["Mesa Food Bank"]
    too_many = "\n".join(f"Group {number}" for number in range(11))
    refused = lead_client.post(edit, session_form(session, co_hosted_with=too_many))
    assert refused.status_code == 200
    assert "Name at most 10 organisations." in refused.content.decode()
    too_long = lead_client.post(edit, session_form(session, co_hosted_with="x" * 201))
    assert "Keep each name under 200 characters." in too_long.content.decode()
    assert [h.named_as for h in session.co_hosts.all()] == ["Mesa Food Bank"]
    added = lead_client.post(
        "/admin/cohorts/sessions/new/",
        session_form(session, co_hosted_with="Valley Grange"),
    )
    assert added.status_code == 302
    new = Session.objects.exclude(pk=session.pk).get()
    assert [h.named_as for h in new.co_hosts.all()] == ["Valley Grange"]
