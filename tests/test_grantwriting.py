"""The grantwriting plugin (plugins/grantwriting): assignments per session,
versioned drafts, feedback, statuses, deadline reminders and the lead view."""

import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from lms_grantwriting.models import Assignment, Draft, Feedback, Version
from lms_grantwriting.reminders import remind_deadline, still_to_submit
from lms_grantwriting.work import give_feedback, save_assignment, submit_version

from api.models import TokenTerms
from api.tokens import create_token
from cohorts.models import Program
from lms.panels import render_panels
from lms.plugins import call_each, collect
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from notifications import inbox
from notifications.models import Notification
from sdk.testing import check_plugin, status_problem
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.helpers import body_of, panel_of, restrict_to
from tests.test_calendar import feed_of, parse
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

UNSHARED = "UNSHARED-our-board-has-not-approved-this-yet"
SHARED = "SHARED-need-statement-first-go"


@pytest.fixture
def workshop(home_page):
    program = Program.objects.create(name="Learning Community", slug="lc")
    return CohortPageFactory(
        parent=home_page, program=program, plugins=["grantwriting"], time_zone="UTC"
    )


@pytest.fixture
def assignment(workshop):
    return Assignment.objects.create(
        cohort=workshop,
        session=SessionFactory(cohort=workshop),
        title="Need statement",
        kind=Assignment.Kind.NEED_STATEMENT,
        due_at=timezone.now().replace(microsecond=0) + timedelta(days=5),
    )


@pytest.fixture
def people(workshop, home_page):
    ensure_role_groups()

    def member(role="participant", cohort=workshop):
        return MembershipFactory(cohort=cohort, role=role).user

    found = {
        "author": member(),
        "sharer": member(),
        "peer": member(),
        "facilitator": member("facilitator"),
        "outsider": member(cohort=CohortPageFactory(parent=home_page)),
        "program_lead": UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)]),
    }
    workshop.program.leads.add(found["program_lead"])
    return found


@pytest.fixture
def drafts(assignment, people):
    """The author keeps a draft to themselves; the sharer asks for feedback."""
    kept = submit_version(
        assignment, people["author"], text=UNSHARED, status=Draft.Status.DRAFT
    ).draft
    shared = submit_version(
        assignment,
        people["sharer"],
        text=SHARED,
        status=Draft.Status.FEEDBACK_REQUESTED,
        file=SimpleUploadedFile("need.txt", b"SHARED file"),
    ).draft
    return {"kept": kept, "shared": shared}


def test_the_plugin_passes_its_conformance_check():
    assert check_plugin("grantwriting") == []


def test_a_draft_from_submission_through_feedback_to_final(
    client, assignment, people, django_capture_on_commit_callbacks
):
    client.force_login(people["author"])
    url = reverse("grantwriting:assignment", args=[assignment.pk])
    response = client.post(
        url, {"text": "Families wait 6 weeks.", "status": "feedback_requested"}
    )
    draft = Draft.objects.get(author=people["author"])
    assert response.url == reverse("grantwriting:draft", args=[draft.pk])
    assert draft.status == Draft.Status.FEEDBACK_REQUESTED

    client.force_login(people["peer"])
    page = client.get(reverse("grantwriting:draft", args=[draft.pk]))
    assert "Families wait 6 weeks." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("grantwriting:draft", args=[draft.pk]),
            {"text": "Say where the 6 weeks comes from."},
        )
    (feedback,) = Feedback.objects.all()
    assert feedback.version.number == 1
    (notice,) = mail.outbox
    assert notice.to == [people["author"].email]
    assert "Say where the 6 weeks comes from." in notice.body
    # And in the author's inbox, with a link to the draft.
    (told,) = Notification.objects.filter(recipient=people["author"])
    assert told.kind == "grantwriting.feedback"
    (entry,) = inbox.entries(people["author"], [told])
    assert entry.text.endswith(f"gave feedback on your draft for “{assignment.title}”")
    assert entry.url == reverse("grantwriting:draft", args=[draft.pk])

    client.force_login(people["author"])
    client.post(
        url,
        {
            "text": "Families wait 6 weeks (county data, 2025).",
            "note": "Added the source",
            "status": "feedback_requested",
        },
    )
    draft.refresh_from_db()
    assert draft.status == Draft.Status.REVISED  # asked again after feedback
    assert [v.number for v in draft.versions.all()] == [2, 1]
    assert draft.versions.get(number=1).text == "Families wait 6 weeks."
    first = client.get(reverse("grantwriting:draft", args=[draft.pk]), {"v": 1})
    assert "Families wait 6 weeks.</p>" in first.content.decode()
    assert (
        client.get(reverse("grantwriting:draft", args=[draft.pk]), {"v": 9}).status_code
        == 404
    )

    client.post(url, {"text": "Final text", "status": "final"})
    draft.refresh_from_db()
    assert draft.status == Draft.Status.FINAL
    measures = {
        m.key: m.value for m in collect("lms_measures", program=None, period=None)
    }
    assert measures["grantwriting.final_drafts"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "final"}, "Write your draft or upload a file."),
        ({"text": "x", "status": "published"}, "Select a valid choice"),
    ],
)
def test_bad_submissions_are_form_errors(client, assignment, people, data, message):
    client.force_login(people["author"])
    response = client.post(
        reverse("grantwriting:assignment", args=[assignment.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Version.objects.exists()


def test_file_type_is_checked(client, assignment, people):
    client.force_login(people["author"])
    response = client.post(
        reverse("grantwriting:assignment", args=[assignment.pk]),
        {"status": "draft", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "File extension" in response.content.decode()


# Who may see what, for every URL the plugin adds.
ROLES = ["anonymous", "author", "sharer", "peer", "facilitator", "outsider", "lead"]
MATRIX = {
    #               anon   author sharer peer fac outsider program_lead
    "workshop": ["login", 200, 200, 200, 200, 404, 404],
    "new_assignment": ["login", 403, 403, 403, 200, 404, 404],
    "edit_assignment": ["login", 403, 403, 403, 200, 404, 404],
    "assignment": ["login", 200, 200, 200, 200, 404, 404],
    "overview": ["login", 403, 403, 403, 200, 403, 200],
    "kept_draft": ["login", 200, 404, 404, 200, 404, 404],
    "shared_draft": ["login", 200, 200, 200, 200, 404, 404],
    "shared_file": ["login", 200, 200, 200, 200, 404, 404],
}
# The unshared draft's text shows on its own page, to its author and the
# facilitators only (lists elsewhere name drafts, never show their text).
SEES_UNSHARED = {("author", "kept_draft"), ("facilitator", "kept_draft")}


def url_of(what, workshop, assignment, drafts):
    return {
        "workshop": reverse("grantwriting:workshop", args=[workshop.pk]),
        "new_assignment": reverse("grantwriting:new_assignment", args=[workshop.pk]),
        "edit_assignment": reverse(
            "grantwriting:edit_assignment", args=[assignment.pk]
        ),
        "assignment": reverse("grantwriting:assignment", args=[assignment.pk]),
        "overview": reverse("grantwriting:overview", args=[workshop.pk]),
        "kept_draft": reverse("grantwriting:draft", args=[drafts["kept"].pk]),
        "shared_draft": reverse("grantwriting:draft", args=[drafts["shared"].pk]),
        "shared_file": reverse(
            "grantwriting:version_file", args=[drafts["shared"].pk, 1]
        ),
    }[what]


def test_privacy_matrix(client, workshop, assignment, people, drafts):
    problems = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people["program_lead" if role == "lead" else role])
        for what, row in MATRIX.items():
            response = client.get(url_of(what, workshop, assignment, drafts))
            problem = status_problem(response, row[ROLES.index(role)])
            body = "" if problem else body_of(response)
            if (UNSHARED in body) != ((role, what) in SEES_UNSHARED) and not problem:
                problem = "unshared draft shown" if UNSHARED in body else "hidden"
            if problem:
                problems.append(f"{role} asking for {what}: {problem}")
    assert problems == []


def test_a_draft_that_does_not_exist_is_not_found_for_a_member(client, people, drafts):
    missing = Draft.objects.order_by("-pk").first().pk + 1
    client.force_login(people["author"])
    for address in (
        reverse("grantwriting:draft", args=[missing]),
        reverse("grantwriting:version_file", args=[missing, 1]),
    ):
        assert client.get(address).status_code == 404


def test_feedback_can_only_be_posted_where_the_draft_can_be_seen(
    client, people, drafts
):
    kept = reverse("grantwriting:draft", args=[drafts["kept"].pk])
    for role in ("peer", "outsider"):
        client.force_login(people[role])
        assert client.post(kept, {"text": "Nosy"}).status_code == 404
    assert not Feedback.objects.exists()
    client.force_login(people["peer"])
    response = client.post(
        reverse("grantwriting:draft", args=[drafts["shared"].pk]), {"text": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_only_participants_submit_and_only_facilitators_set_assignments(
    client, workshop, assignment, people
):
    client.force_login(people["facilitator"])
    url = reverse("grantwriting:assignment", args=[assignment.pk])
    assert client.post(url, {"text": "x", "status": "draft"}).status_code == 403
    response = client.post(
        reverse("grantwriting:new_assignment", args=[workshop.pk]),
        {
            "title": "Logic model",
            "kind": "logic_model",
            "due_at": "2027-01-15T17:00",
            "instructions": "Inputs, activities, outputs, outcomes.",
        },
    )
    created = Assignment.objects.get(title="Logic model")
    assert response.url == reverse("grantwriting:assignment", args=[created.pk])
    assert created.due_at == datetime(2027, 1, 15, 17, tzinfo=ZoneInfo("UTC"))
    response = client.post(
        reverse("grantwriting:new_assignment", args=[workshop.pk]),
        {"title": "", "kind": "other", "due_at": "soon"},
    )
    assert response.status_code == 400


def test_the_lead_view_shows_who_submitted_what(client, people, drafts, assignment):
    client.force_login(people["program_lead"])
    page = client.get(reverse("grantwriting:overview", args=[assignment.cohort_id]))
    text = page.content.decode()
    for role in ("author", "sharer", "peer"):
        assert people[role].last_name in text
    assert "Feedback requested" in text and "Nothing yet" in text
    assert UNSHARED not in text and SHARED not in text

    (report,) = call_each(
        "lms_reports", plugins=["grantwriting"], cohort=assignment.cohort
    )
    (table,) = report.value
    assert sorted(row[2] for row in table.rows) == ["Draft", "Feedback requested"]


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_versions_submitted_at_once_get_consecutive_numbers(home_page):
    workshop = CohortPageFactory(parent=home_page, plugins=["grantwriting"])
    assignment = Assignment.objects.create(
        cohort=workshop, title="Budget narrative", due_at=timezone.now()
    )
    author = MembershipFactory(cohort=workshop).user
    barrier = threading.Barrier(6)
    errors = []

    def submit(number):
        try:
            barrier.wait()
            submit_version(
                assignment, author, text=f"take {number}", status=Draft.Status.DRAFT
            )
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    draft = Draft.objects.get()
    assert sorted(draft.versions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert draft.versions_made == 6


def test_deadline_reminders_go_to_those_with_nothing_submitted_once(
    db_tasks,  # noqa: F811
    workshop,
    people,
):
    assignment = save_assignment(
        Assignment(
            cohort=workshop,
            title="Budget narrative",
            due_at=timezone.now().replace(microsecond=0) + timedelta(days=5),
        )
    )
    (task,) = DBTaskResult.objects.filter(
        task_path="lms_grantwriting.reminders.remind_deadline"
    )
    assert task.run_after == assignment.due_at - timedelta(hours=48)
    submit_version(assignment, people["author"], text="x", status="draft")
    run_worker()
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["sharer"].email, people["peer"].email]
    )
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers

    # A moved deadline: the old reminder sends nothing.
    old = assignment.due_at.isoformat()
    assignment.due_at += timedelta(days=2)
    save_assignment(assignment)
    assert remind_deadline.call(assignment.pk, old) == 0


def test_export_and_erasure(people, drafts, django_capture_on_commit_callbacks):
    give_feedback(drafts["kept"], people["facilitator"], "Strong opening")
    give_feedback(drafts["shared"], people["author"], "Nice")
    file_path = Path(drafts["shared"].versions.get().file.path)

    (export,) = call_each(
        "lms_export_user_data", plugins=["grantwriting"], user=people["author"]
    )
    (mine,) = export.value["grantwriting_drafts"]
    assert mine["versions"][0]["text"] == UNSHARED
    assert export.value["grantwriting_feedback_given"][0]["text"] == "Nice"

    call_each("lms_erase_user_data", plugins=["grantwriting"], user=people["author"])
    assert not Draft.objects.filter(author=people["author"]).exists()
    assert Feedback.objects.get(text="Nice").author is None  # kept, unsigned

    with django_capture_on_commit_callbacks(execute=True):
        call_each(
            "lms_erase_user_data", plugins=["grantwriting"], user=people["sharer"]
        )
    assert not file_path.exists()


def test_deadlines_reach_members_calendars_and_panels(client, rf, people, assignment):
    client.force_login(people["peer"])
    events = parse(client.get(feed_of(people["peer"]))).walk("VEVENT")
    (due,) = [e for e in events if "grantwriting" in str(e["UID"])]
    assert str(due["SUMMARY"]) == "Due: Need statement"
    assert due["DTEND"].dt == assignment.due_at
    outsider_feed = client.get(feed_of(people["outsider"])).content.decode()
    assert "Need statement" not in outsider_feed

    request = rf.get("/")
    request.user = people["peer"]
    with CaptureQueriesContext(connection) as queries:
        (panel,) = render_panels(request, None, plugins=["grantwriting"])
    assert len(queries) == 1
    assert "Need statement" in str(panel.html)


def test_the_panel_is_kept_until_the_person_submits_or_leaves(
    client,
    workshop,
    assignment,
    people,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    peer = people["peer"]
    html, queries = panel_of(peer, "grantwriting")
    assert ("Need statement" in html, "submitted" in html, queries) == (True, False, 1)
    submit_version(assignment, people["author"], text="x", status=Draft.Status.DRAFT)
    assert panel_of(peer, "grantwriting") == (html, 0)  # someone else's draft

    submit_version(assignment, peer, text="Mine", status=Draft.Status.DRAFT)
    assert "submitted" in panel_of(peer, "grantwriting")[0]
    save_assignment(
        Assignment(
            cohort=workshop,
            session=assignment.session,
            title="Logic model",
            kind=Assignment.Kind.LOGIC_MODEL,
            due_at=assignment.due_at + timedelta(days=1),
        )
    )
    assert "Logic model" in panel_of(peer, "grantwriting")[0]

    # A deadline that passed leaves the panel within the hour.
    later = assignment.due_at + timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    html = panel_of(peer, "grantwriting")[0]
    assert ("Need statement" in html, "Logic model" in html) == (False, True)
    monkeypatch.undo()

    client.force_login(peer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohorts:leave", args=[workshop.pk]))
    assert panel_of(peer, "grantwriting")[0] == ""  # nothing due: no panel


def test_feed_deadlines_have_full_addresses_and_start_when_the_person_joined(
    client, people, assignment, workshop
):
    from cohorts.models import Membership

    passed = Assignment.objects.create(
        cohort=workshop,
        session=assignment.session,
        title="Logic model",
        kind=Assignment.Kind.LOGIC_MODEL,
        due_at=timezone.now().replace(microsecond=0) - timedelta(days=10),
    )
    Membership.objects.filter(user=people["author"]).update(
        joined_at=timezone.now() - timedelta(days=30)
    )

    def deadlines(person):
        client.force_login(person)
        events = parse(client.get(feed_of(person))).walk("VEVENT")
        return {
            str(event["SUMMARY"]): str(event["URL"])
            for event in events
            if "grantwriting" in str(event["UID"])
        }

    address = "http://testserver" + reverse("grantwriting:assignment", args=[passed.pk])
    assert deadlines(people["author"]) == {
        "Due: Need statement": "http://testserver"
        + reverse("grantwriting:assignment", args=[assignment.pk]),
        "Due: Logic model": address,
    }
    assert list(deadlines(people["peer"])) == ["Due: Need statement"]


def test_a_group_that_switched_grantwriting_off_adds_no_deadline_anywhere(
    home_page, people, assignment, django_assert_num_queries
):
    """Neither the calendar nor My learning's panel lists a deadline of a
    group where grantwriting is off, though the person is still a member;
    the calendar hook asks in one query."""
    peer = people["peer"]
    elsewhere = CohortPageFactory(parent=home_page, plugins=[], time_zone="UTC")
    MembershipFactory(cohort=elsewhere, user=peer)
    Assignment.objects.create(
        cohort=elsewhere,
        title="Budget narrative",
        kind=Assignment.Kind.LOGIC_MODEL,
        due_at=assignment.due_at,
    )

    def calendar_titles() -> set[str]:
        with django_assert_num_queries(1):
            (result,) = call_each(
                "lms_calendar_events", plugins=["grantwriting"], user=peer
            )
        return {item.title for item in result.value}

    assert calendar_titles() == {"Due: Need statement"}
    html = panel_of(peer, "grantwriting")[0]
    assert ("Need statement" in html, "Budget narrative" in html) == (True, False)
    workshop = assignment.cohort
    workshop.plugins = []
    workshop.save_revision().publish()
    assert calendar_titles() == set()
    assert panel_of(peer, "grantwriting")[0] == ""


def test_a_workshop_made_private_leaves_its_members_feeds(
    client, workshop, people, assignment
):
    """Core leaves the deadline out, as the group's sessions, once the
    workshop's page refuses the person (the item names its group)."""
    peer = people["peer"]
    url = feed_of(peer)
    assert "Due: Need statement" in client.get(url).content.decode()
    restrict_to(workshop)
    assert "Due: Need statement" not in client.get(url).content.decode()


def test_deadline_reminders_reach_only_those_the_workshop_page_admits(
    workshop, people, assignment
):
    """Judged away from the person's browser, as the core's reminders are:
    a groups restriction admits its groups' members; an unpublished
    workshop reminds nobody."""
    restrict_to(workshop, people["peer"])
    assert remind_deadline.call(assignment.pk, assignment.due_at.isoformat()) == 1
    assert [message.to[0] for message in mail.outbox] == [people["peer"].email]
    workshop.unpublish()
    assignment.refresh_from_db()
    assert list(still_to_submit(assignment)) == []


def test_the_api_shows_drafts_as_the_workshop_s_pages_do(workshop, people, drafts):
    """`/api/v1/p/grantwriting/`: a participant lists their own drafts and
    those shared for feedback, the facilitator every one, nobody outside the
    workshop any; one draft with its versions and feedback."""
    give_feedback(drafts["shared"], people["facilitator"], "Lead with the numbers")

    def read(role, address, staff=False):
        token = create_token(
            people[role], "App", TokenTerms.Scope.READ, 30, staff=staff
        )[1]
        return Client().get(address, HTTP_AUTHORIZATION=f"Bearer {token}")

    listing = f"/api/v1/p/grantwriting/groups/{workshop.pk}/drafts"

    def listed(role, staff=False) -> set[int]:
        answer = read(role, listing, staff)
        assert answer.status_code == 200, (role, answer.content)
        return {item["id"] for item in answer.json()["items"]}

    kept, shared = drafts["kept"].pk, drafts["shared"].pk
    assert listed("author") == {kept, shared}
    assert listed("peer") == {shared}
    assert listed("facilitator", staff=True) == {kept, shared}
    # Without staff rights the facilitator's token sees as a participant.
    assert listed("facilitator") == {shared}
    for role in ("outsider", "program_lead"):
        assert read(role, listing).status_code == 404
    one = f"/api/v1/p/grantwriting/drafts/{shared}"
    found = read("peer", one).json()
    assert found["versions_given"][0]["text"] == SHARED
    assert found["versions_given"][0]["has_file"] is True
    assert found["feedback"][0]["text"] == "Lead with the numbers"
    assert found["feedback"][0]["on_version"] == 1
    unshared = f"/api/v1/p/grantwriting/drafts/{kept}"
    assert read("peer", unshared).status_code == 404
    assert UNSHARED in read("facilitator", unshared, staff=True).content.decode()
    assert read("facilitator", unshared).status_code == 404
    assert read("outsider", one).status_code == 404
    assert Client().get(one).status_code == 401
