"""The API's routes for those who run a group (members, the attendance
register), staff rights carried by a token only when made with them, and
routes added by a plugin (lms_api_routes)."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lms_example_plugin.models import ReadingNote
from wagtail.models import PageViewRestriction

from api.models import TokenTerms
from api.tokens import create_token
from cohorts.models import Membership, Program
from insights.models import Indicator, IndicatorResult, LogicModel
from learning.models import Certificate
from lms.audit import AuditEntry
from scheduling.models import RSVP, Attendance, Session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_api import TOKENS, bearer, made_on_the_site
from tests.test_outcomes import lead

pytestmark = pytest.mark.django_db
READ, WRITE = TokenTerms.Scope.READ, TokenTerms.Scope.WRITE


def token_of(person, scope=READ, staff=False) -> dict[str, str]:
    return bearer(create_token(person, "App", scope, 30, staff=staff)[1])


def names_and_addresses(answer) -> list[tuple]:
    assert answer.status_code == 200, answer.content
    return [
        (member["name"], member["email"], member["person_id"])
        for member in answer.json()["items"]
    ]


def test_members_are_shown_as_the_members_page_shows_them(home_page):
    youth = CohortPageFactory(parent=home_page, is_youth=True)
    ana = UserFactory(
        first_name="Ana", last_name="Quintanilla", email="ana@example.org"
    )
    MembershipFactory(cohort=youth, user=ana)
    facilitator = UserFactory(first_name="Fe", last_name="Lopez")
    MembershipFactory(cohort=youth, user=facilitator, role="facilitator")
    url = f"/api/v1/groups/{youth.pk}/members"

    # A member sees first names only in a youth group, and no addresses or ids.
    as_member = names_and_addresses(Client().get(url, **token_of(ana)))
    assert ("Ana", None, None) in as_member
    assert "Quintanilla" not in str(as_member)
    # Running it, with a token made with staff rights: full names and addresses.
    running = names_and_addresses(
        Client().get(url, **token_of(facilitator, staff=True))
    )
    assert ("Ana Quintanilla", "ana@example.org", ana.pk) in running
    # The same facilitator's token without them sees what a member sees.
    plain = names_and_addresses(Client().get(url, **token_of(facilitator)))
    assert ("Ana", None, None) in plain and "ana@example.org" not in str(plain)
    # The site's own session acts with the person's rights.
    site = Client()
    site.force_login(facilitator)
    assert ("Ana Quintanilla", "ana@example.org", ana.pk) in names_and_addresses(
        site.get(url)
    )
    # Not a member: refused; a group private from them: not found.
    stranger = UserFactory()
    assert Client().get(url, **token_of(stranger)).status_code == 403
    assert Client().get(url).status_code == 401
    PageViewRestriction.objects.create(
        page=youth, restriction_type="password", password="board"
    )
    assert Client().get(url, **token_of(stranger)).status_code == 404


def test_a_superuser_s_token_is_no_superuser_without_staff_rights(home_page):
    group = CohortPageFactory(parent=home_page)
    MembershipFactory(cohort=group, user=UserFactory(email="ana@example.org"))
    admin = UserFactory(is_superuser=True, is_staff=True)
    url = f"/api/v1/groups/{group.pk}/members"
    assert Client().get(url, **token_of(admin)).status_code == 403
    answer = Client().get(url, **token_of(admin, staff=True))
    assert "ana@example.org" in str(names_and_addresses(answer))
    # A group private to some groups of people: found only with staff rights.
    PageViewRestriction.objects.create(page=group, restriction_type="groups")
    sessions = f"/api/v1/groups/{group.pk}/sessions"
    assert Client().get(sessions, **token_of(admin)).status_code == 404
    assert Client().get(sessions, **token_of(admin, staff=True)).status_code == 200
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff  # the account keeps its rights


def test_the_token_form_offers_staff_rights_to_those_who_have_them(home_page):
    group = CohortPageFactory(parent=home_page)
    participant = MembershipFactory(cohort=group).user
    facilitator = MembershipFactory(cohort=group, role="facilitator").user

    client = Client()
    client.force_login(participant)
    assert 'name="staff"' not in client.get(TOKENS).content.decode()
    made_on_the_site(client, staff="on")  # a field not offered is not taken
    assert TokenTerms.objects.get(token__user=participant).staff is False

    client.force_login(facilitator)
    assert 'name="staff"' in client.get(TOKENS).content.decode()
    made_on_the_site(client, staff="on")
    assert TokenTerms.objects.get(token__user=facilitator).staff is True
    assert "with your staff rights" in client.get(TOKENS).content.decode()
    answer = client.post(
        TOKENS, {"name": "x", "scope": "read", "days": "90", "staff": "maybe"}
    )
    assert answer.status_code == 200
    assert TokenTerms.objects.filter(token__user=facilitator).count() == 1


def test_a_facilitator_syncs_attendance_as_an_upsert(home_page):
    group = CohortPageFactory(parent=home_page)
    held = SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(hours=3))
    ana, ben, left = UserFactory(first_name="Ana"), UserFactory(), UserFactory()
    for person in (ana, ben):
        MembershipFactory(cohort=group, user=person)
    MembershipFactory(cohort=group, user=left, status="left")
    facilitator = MembershipFactory(cohort=group, role="facilitator").user
    writer = token_of(facilitator, WRITE, staff=True)
    url = f"/api/v1/sessions/{held.pk}/attendance"

    def put(records, token=writer, session=held):
        return Client().put(
            f"/api/v1/sessions/{session.pk}/attendance",
            {"records": records},
            content_type="application/json",
            **token,
        )

    register = Client().get(url, **writer).json()
    assert {row["person_id"] for row in register["items"]} == {ana.pk, ben.pk}
    assert {row["status"] for row in register["items"]} == {None}

    both = [
        {"person_id": ana.pk, "status": "present"},
        {"person_id": ben.pk, "status": "absent"},
    ]
    assert put(both).json() == {"session_id": held.pk, "saved": 2}
    assert put(both).status_code == 200  # sent again: nothing more
    assert put([{"person_id": ben.pk, "status": "late"}]).status_code == 200
    assert dict(held.attendance.values_list("user_id", "status")) == {
        ana.pk: "present",  # not sent the second time: kept
        ben.pk: "late",
    }
    assert set(held.attendance.values_list("recorded_by", flat=True)) == {
        facilitator.pk
    }
    statuses = {
        row["person_id"]: row["status"]
        for row in Client().get(url, **writer).json()["items"]
    }
    assert statuses == {ana.pk: "present", ben.pk: "late"}

    # One refused record saves nothing, and names which.
    refused = put(
        [
            {"person_id": ana.pk, "status": "absent"},
            {"person_id": left.pk, "status": "present"},
        ]
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == [
        "body",
        "given",
        "records",
        1,
        "person_id",
    ]
    wrong = put([{"person_id": ana.pk, "status": "asleep"}])
    assert wrong.status_code == 422 and "status" in wrong.json()["errors"][0]["loc"]
    assert held.attendance.get(user=ana).status == "present"
    # Not yet started, or cancelled: 409, nothing saved.
    upcoming = SessionFactory(cohort=group)
    assert put(both, session=upcoming).status_code == 409
    Session.objects.filter(pk=held.pk).update(status=Session.Status.CANCELLED)
    assert put(both).status_code == 409
    Session.objects.filter(pk=held.pk).update(status=Session.Status.SCHEDULED)
    # Who may not: a read-only token, one without staff rights, a participant,
    # another group's facilitator.
    assert put(both, token_of(facilitator, READ, staff=True)).status_code == 403
    assert put(both, token_of(facilitator, WRITE)).status_code == 403
    assert Client().get(url, **token_of(facilitator)).status_code == 403
    assert put(both, token_of(ana, WRITE, staff=True)).status_code == 403
    other = MembershipFactory(
        cohort=CohortPageFactory(parent=home_page), role="facilitator"
    ).user
    assert put(both, token_of(other, WRITE, staff=True)).status_code == 403
    assert Attendance.objects.filter(session=held).count() == 2


def test_the_register_costs_the_same_queries_for_ten_and_a_hundred(home_page):
    group = CohortPageFactory(parent=home_page)
    held = SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(hours=1))
    facilitator = MembershipFactory(cohort=group, role="facilitator").user
    writer = token_of(facilitator, WRITE, staff=True)
    url = f"/api/v1/sessions/{held.pk}/attendance"

    def costs(members: int) -> tuple[int, int]:
        while group.memberships.filter(role="participant").count() < members:
            MembershipFactory(cohort=group)
        ids = group.memberships.filter(role="participant").values_list(
            "user_id", flat=True
        )
        records = [{"person_id": i, "status": "present"} for i in ids]
        # Once unmeasured: the site's and the token's kept rows are read again
        # after the rows made above (and a token's use noted once a minute).
        Client().get(url, **writer)
        with CaptureQueriesContext(connection) as read:
            assert Client().get(url, **writer).status_code == 200
        with CaptureQueriesContext(connection) as written:
            answer = Client().put(
                url, {"records": records}, content_type="application/json", **writer
            )
            assert answer.json()["saved"] == members
        return len(read), len(written)

    assert costs(10) == costs(100)


def test_a_plugin_s_routes_are_in_the_api_and_its_document(home_page):
    person = UserFactory()
    url = "/api/v1/p/example/notes"
    assert Client().get(url).status_code == 401
    written = Client().post(
        url,
        {"text": "Chapter 2"},
        content_type="application/json",
        **token_of(person, WRITE),
    )
    assert written.status_code == 200 and written.json()["text"] == "Chapter 2"
    refused = Client().post(
        url, {"text": "x"}, content_type="application/json", **token_of(person)
    )
    assert refused.status_code == 403
    assert ReadingNote.objects.filter(user=person).count() == 1
    listed = Client().get(url, **token_of(person)).json()
    assert [note["text"] for note in listed["items"]] == ["Chapter 2"]
    # Someone else's notes are not theirs to read.
    assert Client().get(url, **token_of(UserFactory())).json()["count"] == 0
    document = Client().get("/api/v1/openapi.json").json()
    operations = document["paths"][url]
    assert operations["get"]["operationId"] == "lms_example_plugin_notes"
    assert "429" in operations["post"]["responses"]


def test_a_person_s_sessions_with_their_answers_a_page_at_a_time(home_page):
    group = CohortPageFactory(parent=home_page, time_zone="Europe/Madrid")
    other = CohortPageFactory(parent=home_page)
    person = UserFactory()
    MembershipFactory(cohort=group, user=person)
    now = timezone.now()
    over = SessionFactory(
        cohort=group, starts_at=now - timedelta(days=2), address="1 Old Road"
    )
    soon = SessionFactory(
        cohort=group, starts_at=now + timedelta(days=1), address="2 New Road"
    )
    later = [
        SessionFactory(cohort=group, starts_at=now + timedelta(days=2 + day))
        for day in range(25)
    ]
    SessionFactory(cohort=other)  # not their group
    RSVP.objects.create(session=soon, user=person, status=RSVP.Status.GOING)
    RSVP.objects.create(session=later[0], user=person, status=RSVP.Status.DECLINED)
    token = token_of(person)

    first = Client().get("/api/v1/me/sessions", **token).json()
    assert first["count"] == 26 and len(first["items"]) == 20
    assert [item["id"] for item in first["items"][:2]] == [soon.pk, later[0].pk]
    assert first["items"][0]["answer"] == "going"
    assert first["items"][0]["address"] == "2 New Road"  # going: shown
    assert first["items"][1]["answer"] == "declined"
    assert first["items"][1]["address"] is None
    assert first["items"][2]["answer"] is None
    assert first["items"][0]["time_zone"] == "Europe/Madrid"
    assert first["items"][0]["group_id"] == group.pk
    rest = Client().get("/api/v1/me/sessions?offset=20", **token).json()
    assert [item["id"] for item in rest["items"]] == [s.pk for s in later[19:]]
    past = Client().get("/api/v1/me/sessions?past=true", **token).json()
    assert [item["id"] for item in past["items"]] == [over.pk]
    assert past["items"][0]["address"] is None
    assert Client().get("/api/v1/me/sessions?past=perhaps", **token).status_code == 422
    # A group whose page becomes private from them is left out.
    PageViewRestriction.objects.create(
        page=group, restriction_type="password", password="board"
    )
    assert Client().get("/api/v1/me/sessions", **token).json()["count"] == 0
    # The cost of a page does not grow with the sessions on it.
    PageViewRestriction.objects.all().delete()
    with CaptureQueriesContext(connection) as few:
        Client().get("/api/v1/me/sessions?limit=2", **token)
    with CaptureQueriesContext(connection) as many:
        Client().get("/api/v1/me/sessions?limit=20", **token)
    assert len(few) == len(many)


def test_a_lead_reads_a_program_s_indicators(home_page):
    program = Program.objects.create(name="Civic Power 2026", slug="civic-power")
    today = timezone.localdate()
    model = LogicModel.objects.create(
        program=program,
        period="This year",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=60),
    )
    older = LogicModel.objects.create(
        program=program,
        period="Last year",
        starts_on=today - timedelta(days=430),
        ends_on=today - timedelta(days=70),
    )
    group = CohortPageFactory(parent=home_page, program=program)
    SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(days=3))
    trainings = Indicator.objects.create(
        logic_model=model, name="Trainings held", measure="core.sessions", target=5
    )
    officials = Indicator.objects.create(
        logic_model=model, name="Officials at the hearing", target=8, maximum=12
    )
    IndicatorResult.objects.create(indicator=officials, value=10)
    leader = lead(program)
    url = "/api/v1/programs/civic-power/indicators"

    answer = Client().get(url, **token_of(leader, staff=True))
    assert answer.status_code == 200, answer.content
    found = answer.json()
    assert (found["id"], found["program"], found["period"]) == (
        model.pk,
        "civic-power",
        "This year",
    )
    by_name = {item["name"]: item for item in found["indicators"]}
    assert by_name["Trainings held"]["id"] == trainings.pk
    assert by_name["Trainings held"]["value"] == 1  # counted now
    assert by_name["Trainings held"]["standing"] == "below"
    assert by_name["Officials at the hearing"]["value"] == 10
    assert by_name["Officials at the hearing"]["standing"] == "within"
    assert by_name["Officials at the hearing"]["entered_at"] is not None
    another = Client().get(
        f"{url}?logic_model={older.pk}", **token_of(leader, staff=True)
    )
    assert another.json()["period"] == "Last year"
    # Not theirs, none such, no staff rights, not a lead: refused alike.
    assert (
        Client()
        .get(f"{url}?logic_model=999999", **token_of(leader, staff=True))
        .status_code
        == 404
    )
    elsewhere = Program.objects.create(name="Other", slug="other")
    other_url = "/api/v1/programs/other/indicators"
    assert Client().get(other_url, **token_of(leader, staff=True)).status_code == 404
    assert Client().get(url, **token_of(leader)).status_code == 403
    assert Client().get(url, **token_of(UserFactory(), staff=True)).status_code == 403
    assert (
        Client().get(other_url, **token_of(lead(elsewhere), staff=True)).status_code
        == 404
    )


def test_the_lists_cost_the_same_queries_for_ten_and_a_thousand_rows(home_page):
    """A person's sessions and certificates, a group's members and its
    register: read a page at a time, whatever the rows behind the page."""
    group = CohortPageFactory(parent=home_page)
    facilitator = MembershipFactory(cohort=group, role="facilitator").user
    held = SessionFactory(cohort=group, starts_at=timezone.now() - timedelta(hours=1))
    token = token_of(facilitator, staff=True)
    urls = [
        "/api/v1/me/sessions",
        "/api/v1/me/certificates",
        f"/api/v1/groups/{group.pk}/members",
        f"/api/v1/sessions/{held.pk}/attendance",
    ]

    def counted() -> list[int]:
        counts = []
        for url in urls:
            Client().get(url, **token)  # the site's and the token's rows kept
            with CaptureQueriesContext(connection) as queries:
                assert Client().get(url, **token).status_code == 200
            counts.append(len(queries))
        return counts

    def add(number: int, start: int) -> None:
        people = get_user_model().objects.bulk_create(
            get_user_model()(email=f"p{n}@example.org")
            for n in range(start, start + number)
        )
        Membership.objects.bulk_create(
            Membership(cohort=group, user=person, role="participant", status="active")
            for person in people
        )
        soon = timezone.now() + timedelta(days=1)
        Session.objects.bulk_create(
            Session(cohort=group, starts_at=soon, ends_at=soon + timedelta(hours=1))
            for _ in range(number)
        )
        Certificate.objects.bulk_create(
            Certificate(
                user=facilitator,
                cohort=group,
                code=f"code{n}",
                name="Fe",
                course_title="Course",
                cohort_title="Group",
            )
            for n in range(start, start + number)
        )

    add(10, 0)
    with_ten = counted()
    add(990, 10)
    assert counted() == with_ten


def test_a_token_without_staff_rights_is_shown_places_as_a_member_is(home_page):
    """The address of a session is for those going and those running the
    group: running it counts only with staff rights."""
    group = CohortPageFactory(parent=home_page)
    SessionFactory(cohort=group, address="12 Secret Road")
    facilitator = MembershipFactory(cohort=group, role="facilitator").user
    for url in (f"/api/v1/groups/{group.pk}/sessions", "/api/v1/me/sessions"):
        plain = Client().get(url, **token_of(facilitator)).json()["items"]
        assert plain[0]["address"] is None, url
        running = Client().get(url, **token_of(facilitator, staff=True)).json()
        assert running["items"][0]["address"] == "12 Secret Road", url


def test_text_with_control_characters_is_refused_not_a_server_error(home_page):
    program = Program.objects.create(name="Civic Power", slug="civic-power")
    leader = lead(program)
    answer = Client().get(
        "/api/v1/programs/civic%00power/indicators", **token_of(leader, staff=True)
    )
    assert answer.status_code == 422
    note = Client().post(
        "/api/v1/p/example/notes",
        {"text": "a\x00b"},
        content_type="application/json",
        **token_of(UserFactory(), WRITE),
    )
    assert note.status_code == 422
    assert note.json()["errors"][0]["loc"][-1] == "text"
    assert not ReadingNote.objects.exists()


def test_a_person_downloads_their_data_as_your_data_gives_it(home_page):
    person = UserFactory(email="ana@example.org")
    MembershipFactory(cohort=CohortPageFactory(parent=home_page), user=person)
    answer = Client().get("/api/v1/me/export", **token_of(person))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert answer["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content))) as archive:
        data = json.loads(archive.read("data.json"))
    assert "ana@example.org" in json.dumps(data)
    assert AuditEntry.objects.filter(
        action="data.export", subject_id=person.pk
    ).exists()
    assert Client().get("/api/v1/me/export").status_code == 401
