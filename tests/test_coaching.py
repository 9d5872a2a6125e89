"""The coaching plugin (plugins/coaching): logging, the coachee's view, reminders,
roll-ups, and above all who may see what."""

import importlib
import itertools
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from lms_coaching.models import Attachment, CoachingSession, Goal, NextStep
from wagtail.admin.menu import admin_menu, reports_menu
from wagtail.models import PageViewRestriction

from api.models import TokenTerms
from api.tokens import create_token
from cohorts.models import Membership, Program
from lms.plugins import call_each, collect
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from notifications import inbox
from notifications.models import Notification
from organisations.models import Organisation
from sdk.testing import check_plugin, status_problem
from tests.factories import CohortPageFactory, MembershipFactory, UserFactory
from tests.helpers import body_of, panel_of, restrict_to
from tests.test_calendar import feed_of, parse
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PRIVATE = "PRIVATE-Maria-is-struggling-with-the-board"
SHARED = "SHARED-draft-the-partner-letter"
PRIVATE_FILE = "PRIVATE-FILE-board-minutes"
SHARED_FILE = "SHARED-FILE-letter-template"


def member(cohort, role="participant", **user):
    return MembershipFactory(cohort=cohort, role=role, user__first_name="Ana", **user)


@pytest.fixture
def group(home_page):
    program = Program.objects.create(name="Learning Community", slug="lc")
    return CohortPageFactory(
        parent=home_page, program=program, plugins=["coaching"], time_zone="UTC"
    )


@pytest.fixture
def people(group, home_page):
    """Everyone who might ask, and one logged session with everything in it."""
    other_group = CohortPageFactory(parent=home_page, plugins=["coaching"])
    ensure_role_groups()
    found = {
        "coach": member(group, "facilitator").user,
        "coachee": member(group).user,
        "other_coach": member(group, "facilitator").user,
        "other_participant": member(group).user,
        "group_lead": member(group, "lead").user,
        "outsider": member(other_group).user,
        "program_lead": UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)]),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    group.program.leads.add(found["program_lead"])
    session = CoachingSession.objects.create(
        cohort=group,
        coach=found["coach"],
        coachee=found["coachee"],
        held_at=timezone.now() - timedelta(days=1),
        minutes=60,
        shared_notes=SHARED,
        private_notes=PRIVATE,
    )
    Goal.objects.create(session=session, text="Send the letter to two partners")
    NextStep.objects.create(
        session=session, text="Call the county", due_on=date.today() + timedelta(3)
    )
    for title, shared in ((PRIVATE_FILE, False), (SHARED_FILE, True)):
        Attachment.objects.create(
            session=session,
            title=title,
            shared=shared,
            file=ContentFile(title.encode(), name=f"{title}.txt"),
        )
    found["session"] = session
    return found


def post_session(client, group, **fields):
    data = {
        "held_at": "2026-11-20T10:00",
        "minutes": "45",
        "format": "video",
        "shared_notes": SHARED,
        "private_notes": PRIVATE,
        "new_goals": "Find a fiscal sponsor\n\nDraft the budget",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-text": "Ask two sponsors",
        "steps-0-due_on": (date.today() + timedelta(days=10)).isoformat(),
        **fields,
    }
    return client.post(reverse("coaching:log", args=[group.pk]), data)


def test_the_plugin_passes_its_conformance_check():
    assert check_plugin("coaching") == []


def test_a_coach_logs_a_session_with_goals_and_next_steps(client, group, people):
    client.force_login(people["coach"])
    response = post_session(client, group, coachee=people["coachee"].pk)
    logged = CoachingSession.objects.latest("pk")
    assert response.status_code == 302
    assert response.url == reverse("coaching:session", args=[logged.pk])
    # Entered in the group's time zone (UTC here) and kept as such.
    assert logged.held_at == datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("UTC"))
    assert (logged.coach, logged.coachee) == (people["coach"], people["coachee"])
    assert [g.text for g in logged.goals.all()] == [
        "Find a fiscal sponsor",
        "Draft the budget",
    ]
    assert [s.text for s in logged.next_steps.all()] == ["Ask two sponsors"]

    page = client.get(response.url).content.decode()
    assert PRIVATE in page and SHARED in page and "Ask two sponsors" in page
    # The person coached is told, with a link to the session; no notes.
    (told,) = Notification.objects.filter(recipient=people["coachee"])
    (entry,) = inbox.entries(people["coachee"], [told])
    assert entry.text.endswith("wrote down next steps from your coaching session")
    assert entry.url == response.url
    assert PRIVATE not in str(told.params)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose the coachee, or name the partner organisation"),
        ({"organisation_name": "Eastside Tenants"}, "not both"),
        ({"minutes": "0"}, "greater than or equal to 5"),
        ({"held_at": "next Tuesday"}, "Enter a valid date/time"),
        ({"steps-1-text": "No date"}, "This field is required"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(
    client, group, people, fields, message
):
    client.force_login(people["coach"])
    if fields != {}:
        fields.setdefault("coachee", people["coachee"].pk)
    before = CoachingSession.objects.count()
    response = post_session(client, group, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CoachingSession.objects.count() == before


def test_only_current_participants_of_the_group_can_be_coached(client, group, people):
    client.force_login(people["coach"])
    response = post_session(client, group, coachee=people["outsider"].pk)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_session_with_someone_who_left_can_still_be_edited(client, people):
    Membership.objects.filter(user=people["coachee"]).update(status="left")
    client.force_login(people["coach"])
    form = client.get(reverse("coaching:edit", args=[people["session"].pk]))
    assert people["coachee"].get_full_name() in form.content.decode()
    client.force_login(people["other_coach"])
    new = client.get(reverse("coaching:log", args=[people["session"].cohort_id]))
    assert people["coachee"].last_name not in new.content.decode()


def test_a_partner_organisation_can_be_coached_instead_of_a_person(
    client, group, people
):
    """The session is linked to the site's organisation of that name, for
    the coalition's leads, and the coach is shown the name as typed, never
    the spelling of an organisation kept off the directory. A name matching
    none makes no organisation (only the coach sees it): the session is
    linked once a lead adds the organisation."""
    unlisted = Organisation.objects.create(name="Eastside Tenants Union")
    client.force_login(people["coach"])
    post_session(client, group, organisation_name="  eastside  tenants union ")
    logged = CoachingSession.objects.latest("pk")
    assert logged.coachee is None and logged.organisation == unlisted
    assert logged.organisation_name == "eastside  tenants union"
    page = client.get(reverse("coaching:session", args=[logged.pk])).content.decode()
    assert "With eastside  tenants union" in page
    assert "Eastside Tenants Union" not in page
    post_session(client, group, organisation_name="Westside  Youth")
    new = CoachingSession.objects.latest("pk")
    assert new.organisation is None
    assert Organisation.objects.count() == 1
    added = Organisation.objects.create(name="WESTSIDE YOUTH")
    new.refresh_from_db()
    assert new.organisation == added  # the same name, its spaces aside
    new.organisation_name = "Eastside Tenants Union"  # edited: linked again
    new.save()
    assert new.organisation == unlisted
    unlisted.delete()  # the sessions keep the name, and stay unlinked
    new.refresh_from_db()
    assert new.organisation is None and new.organisation_name
    new.save()
    assert new.organisation is None
    assert not Organisation.objects.filter(name__iexact="eastside tenants union")


def test_sessions_logged_before_are_linked_to_organisations_without_loss(group, people):
    migration = importlib.import_module(
        "lms_coaching.migrations.0002_organisation_of_a_coaching_session"
    )
    school = Organisation.objects.create(name="Lincoln School")
    for name in ("lincoln school", "Lincoln School", "Mesa Food Bank"):
        CoachingSession.objects.create(
            cohort=group,
            coach=people["coach"],
            organisation_name=name,
            held_at=timezone.now(),
            minutes=30,
        )
    CoachingSession.objects.update(organisation=None)  # as before the migration
    migration.link_organisations(django_apps, None)
    linked = CoachingSession.objects.exclude(organisation_name="")
    assert {s.organisation_name: s.organisation for s in linked} == {
        "lincoln school": school,
        "Lincoln School": school,
        "Mesa Food Bank": None,  # kept as typed; no organisation made
    }
    assert Organisation.objects.count() == 1


def test_the_tab_shows_only_where_coaching_is_switched_on(client, group, people):
    client.force_login(people["coachee"])
    tab = reverse("coaching:group", args=[group.pk])
    assert tab in client.get(group.url).content.decode()
    group.plugins = []
    group.save_revision().publish()
    assert tab not in client.get(group.url).content.decode()
    assert client.get(tab).status_code == 404


# Who may see what: every URL the plugin adds, for everyone who might ask.
# Statuses: 200 shown, 302 done (POST), 403 refused, 404 not even shown to exist,
# "login" sent to log in.
ROLES = [
    "anonymous",
    "coach",
    "coachee",
    "other_coach",
    "other_participant",
    "group_lead",
    "outsider",
    "program_lead",
    "superuser",
]
MATRIX = {
    #              anon     coach coachee other_c other_p lead outsider prog super
    "mine": ["login", 200, 200, 200, 200, 200, 200, 200, 200],
    "rollup": ["login", 403, 403, 403, 403, 403, 403, 200, 200],
    "group": ["login", 200, 200, 200, 200, 200, 404, 404, 404],
    "log": ["login", 200, 403, 200, 403, 200, 404, 404, 404],
    "session": ["login", 200, 200, 404, 404, 404, 404, 404, 404],
    "edit": ["login", 200, 403, 404, 404, 404, 404, 404, 404],
    "delete": ["login", 200, 403, 404, 404, 404, 404, 404, 404],
    "private_file": ["login", 200, 403, 404, 404, 404, 404, 404, 404],
    "shared_file": ["login", 200, 200, 404, 404, 404, 404, 404, 404],
    "add_attachment": ["login", 400, 403, 404, 404, 404, 404, 404, 404],
    "goal_review": ["login", 302, 403, 404, 404, 404, 404, 404, 404],
    "step_done": ["login", 302, 302, 404, 404, 404, 404, 404, 404],
}
# Where the private notes and the private file's title may appear at all.
# (add_attachment without a file shows the coach the session page again.)
SEES_PRIVATE = {("coach", "session"), ("coach", "edit"), ("coach", "add_attachment")}
SEES_PRIVATE_FILE = {
    ("coach", "session"),
    ("coach", "private_file"),
    ("coach", "add_attachment"),
}


def request_for(client, people, group, what):
    session = people["session"]
    attachments = {a.title: a for a in session.attachments.all()}
    get = {
        "mine": reverse("coaching:mine"),
        "rollup": reverse("coaching:rollup"),
        "group": reverse("coaching:group", args=[group.pk]),
        "log": reverse("coaching:log", args=[group.pk]),
        "session": reverse("coaching:session", args=[session.pk]),
        "edit": reverse("coaching:edit", args=[session.pk]),
        "delete": reverse("coaching:delete", args=[session.pk]),
        "private_file": reverse(
            "coaching:attachment", args=[attachments[PRIVATE_FILE].pk]
        ),
        "shared_file": reverse(
            "coaching:attachment", args=[attachments[SHARED_FILE].pk]
        ),
    }
    if what in get:
        return client.get(get[what])
    post = {
        "add_attachment": (
            reverse("coaching:add_attachment", args=[session.pk]),
            {"title": "No file"},
        ),
        "goal_review": (
            reverse("coaching:goal_review", args=[session.goals.get().pk]),
            {"status": "met"},
        ),
        "step_done": (
            reverse("coaching:step_done", args=[session.next_steps.get().pk]),
            {"done": "1"},
        ),
    }
    url, data = post[what]
    return client.post(url, data)


def test_privacy_matrix(client, group, people):
    problems = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        for what, row in MATRIX.items():
            response = request_for(client, people, group, what)
            problem = status_problem(response, row[ROLES.index(role)])
            body = "" if problem else body_of(response)
            if (PRIVATE in body) != ((role, what) in SEES_PRIVATE) and not problem:
                problem = "private notes shown" if PRIVATE in body else "notes hidden"
            if (PRIVATE_FILE in body) != ((role, what) in SEES_PRIVATE_FILE):
                problem = problem or "private file title shown or hidden wrongly"
            if role not in {"coach", "coachee"} and (
                SHARED in body or SHARED_FILE in body
            ):
                problem = "shared notes or file shown to someone else"
            if problem:
                problems.append(f"{role} asking for {what}: {problem}")
    assert problems == []


def test_a_private_file_is_never_under_media_and_has_no_public_url(settings, people):
    stored = people["session"].attachments.get(shared=False).file
    assert Path(stored.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not Path(stored.path).is_relative_to(settings.MEDIA_ROOT)
    with pytest.raises(ValueError, match="no URL"):
        stored.url  # noqa: B018


def test_private_notes_stay_out_of_every_other_channel(
    client, admin_client, group, people
):
    """Pages with the plugin's panels, calendar feeds, reports, exports,
    measures, admin listing and search: no private text anywhere."""
    everything = []
    for role in ("coach", "coachee", "other_coach", "group_lead"):
        client.force_login(people[role])
        everything.append(client.get(group.url).content.decode())
        everything.append(client.get(reverse("dashboard")).content.decode())
        everything.append(client.get(feed_of(people[role])).content.decode())
    for answer in call_each("lms_reports", plugins=["coaching"], cohort=group):
        everything.append(repr(answer.value))
    for role in ("coach", "coachee"):
        (export,) = call_each(
            "lms_export_user_data", plugins=["coaching"], user=people[role]
        )
        everything.append(repr(export.value))
    everything.append(repr(collect("lms_measures", program=group.program, period=None)))
    listing = admin_client.get(reverse("coaching_sessions:index"))
    assert listing.status_code == 200
    everything.append(listing.content.decode())
    edit = admin_client.get(
        reverse("coaching_sessions:edit", args=[people["session"].pk])
    )
    everything.append(edit.content.decode())
    everything.append(
        admin_client.get(
            reverse("wagtailadmin_pages:search"), {"q": "struggling"}
        ).content.decode()
    )
    for text in everything:
        assert PRIVATE not in text
        assert PRIVATE_FILE not in text


def test_the_admin_listing_is_for_superusers_only(client, people):
    for role in ("program_lead", "group_lead", "coach"):
        client.force_login(people[role])
        response = client.get(reverse("coaching_sessions:index"))
        assert response.status_code in {302, 403}
        assert PRIVATE not in response.content.decode()


def test_the_coachee_sees_shared_notes_goals_steps_and_shared_files(client, people):
    client.force_login(people["coachee"])
    page = client.get(reverse("coaching:session", args=[people["session"].pk]))
    text = page.content.decode()
    assert SHARED in text and SHARED_FILE in text
    assert "Send the letter to two partners" in text and "Call the county" in text
    assert "Only you see these" not in text

    (export,) = call_each(
        "lms_export_user_data", plugins=["coaching"], user=people["coachee"]
    )
    (received,) = export.value["coaching_received"]
    assert received["notes"] == SHARED
    assert [each["title"] for each in received["attachments"]] == [SHARED_FILE]
    assert received["goals"] == [
        {"goal": "Send the letter to two partners", "status": "open"}
    ]


def test_coach_and_coachee_tick_steps_off_and_the_coach_reviews_goals(client, people):
    step = people["session"].next_steps.get()
    goal = people["session"].goals.get()
    client.force_login(people["coachee"])
    done = reverse("coaching:step_done", args=[step.pk])
    client.post(done, {"done": "1"})
    first = NextStep.objects.get(pk=step.pk).done_at
    client.post(done, {"done": "1"})  # a double click changes nothing
    assert NextStep.objects.get(pk=step.pk).done_at == first is not None

    client.force_login(people["coach"])
    review = reverse("coaching:goal_review", args=[goal.pk])
    assert client.post(review, {"status": "maybe"}).status_code == 400
    client.post(review, {"status": "met"})
    goal.refresh_from_db()
    assert goal.status == "met" and goal.reviewed_at is not None


def test_leads_see_numbers_without_names_or_notes(client, group, people):
    CoachingSession.objects.create(
        cohort=group,
        coach=people["coach"],
        organisation_name="Eastside Tenants Union",
        held_at=timezone.now(),
        minutes=30,
        format="phone",
    )
    Goal.objects.filter(session=people["session"]).update(status="met")
    client.force_login(people["group_lead"])
    page = client.get(reverse("coaching:group", args=[group.pk])).content.decode()
    assert "1.5" in page  # hours
    assert "1 of 1" in page  # goals met
    client.force_login(people["program_lead"])
    numbers = client.get(reverse("coaching:rollup")).content.decode()
    main = numbers[numbers.index("<main") : numbers.index("</main>")]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert group.title in numbers and "1.5" in numbers
    for text in (page, numbers):
        assert people["coachee"].last_name not in text
        assert "Eastside Tenants Union" not in text
        assert SHARED not in text and PRIVATE not in text

    measures = {
        m.key: m.value
        for m in collect("lms_measures", program=group.program, period=None)
    }
    assert measures["coaching.hours"] == 1.5
    assert measures["coaching.goals_met"] == 1


def test_coaching_sessions_join_both_calendars_and_move_with_edits(
    client, group, people
):
    session = people["session"]
    client.force_login(people["coachee"])
    (event,) = [
        e
        for e in parse(client.get(feed_of(people["coachee"]))).walk("VEVENT")
        if "coaching" in str(e["UID"])
    ]
    assert str(event["SUMMARY"]) == f"Coaching: {people['coach'].get_full_name()}"
    assert PRIVATE not in event.to_ical().decode()

    client.force_login(people["coach"])
    response = client.post(
        reverse("coaching:edit", args=[session.pk]),
        {
            "coachee": people["coachee"].pk,
            # Moved: two hours later, always within the feed's history.
            "held_at": (timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": "60",
            "format": "phone",
            "private_notes": PRIVATE,
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": session.next_steps.get().pk,
            "steps-0-text": "Call the county",
            "steps-0-due_on": session.next_steps.get().due_on.isoformat(),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1
    assert session.private_notes == PRIVATE
    (event,) = [
        e
        for e in parse(client.get(feed_of(people["coach"]))).walk("VEVENT")
        if "coaching" in str(e["UID"])
    ]
    assert event["SEQUENCE"] == 1
    assert people["coachee"].get_full_name() in str(event["SUMMARY"])


def test_follow_up_reminders_go_to_coach_and_coachee_once(
    db_tasks,  # noqa: F811
    client,
    group,
    people,
):
    client.force_login(people["coach"])
    due = date.today() + timedelta(days=10)
    post_session(client, group, coachee=people["coachee"].pk)
    (task,) = DBTaskResult.objects.filter(
        task_path="lms_coaching.reminders.remind_next_step"
    )
    # Two days before, at 9:00 in the group's time zone.
    assert task.run_after == datetime.combine(
        due - timedelta(days=2), datetime.min.time().replace(hour=9), ZoneInfo("UTC")
    )
    run_worker()
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["coach"].email, people["coachee"].email]
    )
    message = mail.outbox[0]
    assert "Ask two sponsors" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert PRIVATE not in message.body and SHARED not in message.body


def test_a_done_or_moved_step_is_not_reminded_for_its_old_date(
    db_tasks,  # noqa: F811
    client,
    people,
):
    from lms_coaching.reminders import remind_next_step

    step = people["session"].next_steps.get()
    old = step.due_on.isoformat()
    step.due_on += timedelta(days=7)
    step.save()
    assert remind_next_step.call(step.pk, old) == 0
    NextStep.objects.filter(pk=step.pk).update(done_at=timezone.now())
    assert remind_next_step.call(step.pk, step.due_on.isoformat()) == 0
    assert mail.outbox == []


def test_attachments_are_checked_for_size_and_type(client, people, settings):
    client.force_login(people["coach"])
    url = reverse("coaching:add_attachment", args=[people["session"].pk])
    exe = SimpleUploadedFile("run.exe", b"MZ")
    response = client.post(url, {"title": "Tool", "file": exe})
    assert response.status_code == 400
    assert "File extension" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(url, {"title": "Big", "file": big})
    assert "the limit is 10.0\xa0MB" in response.content.decode()
    ok = SimpleUploadedFile("plan.pdf", b"%PDF-1.4")
    assert client.post(url, {"title": "Plan", "file": ok}).status_code == 302
    added = Attachment.objects.get(title="Plan")
    assert added.shared is False  # private unless the coach shares it
    download = client.get(reverse("coaching:attachment", args=[added.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "private, no-store"


def test_erasure_removes_what_is_about_the_person(
    people, django_capture_on_commit_callbacks
):
    session = people["session"]
    private_file = Path(session.attachments.get(shared=False).file.path)
    with django_capture_on_commit_callbacks(execute=True):
        call_each("lms_erase_user_data", plugins=["coaching"], user=people["coach"])
    session.refresh_from_db()
    assert session.coach is None and session.private_notes == ""
    assert not private_file.exists()
    assert [a.title for a in session.attachments.all()] == [SHARED_FILE]

    shared_file = Path(session.attachments.get().file.path)
    with django_capture_on_commit_callbacks(execute=True):
        call_each("lms_erase_user_data", plugins=["coaching"], user=people["coachee"])
    assert not CoachingSession.objects.filter(pk=session.pk).exists()
    assert not shared_file.exists()


def test_deleting_a_session_asks_first(client, people):
    client.force_login(people["coach"])
    url = reverse("coaching:delete", args=[people["session"].pk])
    assert "cannot be undone" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("page", ["mine", "group"])
def test_pages_cost_the_same_for_few_and_many_sessions(client, group, people, page):
    client.force_login(people["coach"])
    url = (
        reverse("coaching:mine")
        if page == "mine"
        else reverse("coaching:group", args=[group.pk])
    )

    def add_sessions(n):
        for _ in range(n):
            session = CoachingSession.objects.create(
                cohort=group,
                coach=people["coach"],
                coachee=people["coachee"],
                held_at=timezone.now(),
                minutes=30,
            )
            NextStep.objects.create(session=session, text="x", due_on=date.today())

    client.get(url)  # caches the site's navigation
    counts = []
    for n in (2, 30):
        add_sessions(n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 16


def test_the_panel_lists_open_steps_in_one_query(rf, people, django_assert_num_queries):
    from lms.panels import render_panels

    request = rf.get("/")
    request.user = people["coachee"]
    with django_assert_num_queries(1):
        html = "".join(
            str(panel) for panel in render_panels(request, None, plugins=["coaching"])
        )
    assert "Call the county" in html


def test_the_panel_is_kept_until_a_session_or_step_of_the_person_changes(
    client, group, people
):
    coachee, step = people["coachee"], NextStep.objects.get()
    html, queries = panel_of(coachee, "coaching")
    assert ("Call the county" in html, queries) == (True, 1)
    assert panel_of(coachee, "coaching")[1] == 0
    CoachingSession.objects.create(
        cohort=group,
        coach=people["other_coach"],
        coachee=people["other_participant"],
        held_at=timezone.now(),
        minutes=30,
    )
    assert panel_of(coachee, "coaching")[1] == 0  # someone else's session

    client.force_login(people["coach"])
    done = reverse("coaching:step_done", args=[step.pk])
    client.post(done, {"done": "1"})
    assert panel_of(coachee, "coaching")[0] == ""  # nothing open: no panel
    client.post(done, {"done": "0"})
    assert "Call the county" in panel_of(coachee, "coaching")[0]

    session = people["session"]
    session.coachee = people["other_participant"]
    session.save()
    assert "Call the county" not in panel_of(coachee, "coaching")[0]
    assert "Call the county" in panel_of(people["other_participant"], "coaching")[0]


def test_a_kept_panels_form_works_for_each_visit(client, people):
    client.force_login(people["coachee"])
    step = NextStep.objects.get()
    for _ in range(2):  # the second visit gets the kept panel
        html = client.get("/dashboard/").content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="')[1][:64]
        assert "Call the county" in html
    client.handler.enforce_csrf_checks = True
    answer = client.post(
        reverse("coaching:step_done", args=[step.pk]),
        {"done": "1", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    step.refresh_from_db()
    assert step.done_at is not None


def test_a_coaching_session_is_the_coachees_activity(group, people):
    activity = collect(
        "lms_activity",
        cohort=group,
        since=timezone.now() - timedelta(days=7),
    )
    assert [a.user_id for a in activity if a.kind == "coaching"] == [
        people["coachee"].pk
    ]


def test_the_log_form_names_the_groups_zone_as_people_know_it(client, group, people):
    group.time_zone = "America/Los_Angeles"
    group.save()
    client.force_login(people["coach"])
    html = client.get(reverse("coaching:log", args=[group.pk])).content.decode()
    assert "time zone: Pacific time." in html and "America/Los_Angeles" not in html


def test_coaching_in_numbers_sits_under_reports_in_the_admin_menu(rf, people):
    """A top-level item's long label ran past the sidebar's edge."""
    request = rf.get("/admin/")
    request.user = people["program_lead"]
    labels = [str(item.label) for item in admin_menu.menu_items_for_request(request)]
    assert "Coaching in numbers" not in labels
    reports = [str(item.label) for item in reports_menu.menu_items_for_request(request)]
    assert "Coaching in numbers" in reports


def test_a_group_made_private_closes_its_coaching_records_to_coach_and_coachee(
    client, group, people
):
    """The session pages, files and steps follow the group page's privacy
    settings, as its coaching tab does: a password typed in the browser opens
    them again, an unpublished group closes them."""
    session, step = people["session"], people["session"].next_steps.get()
    shared = session.attachments.get(shared=True)
    pages = {
        "session": reverse("coaching:session", args=[session.pk]),
        "edit": reverse("coaching:edit", args=[session.pk]),
        "file": reverse("coaching:attachment", args=[shared.pk]),
    }

    def shown(person) -> dict[str, int]:
        client.force_login(person)
        found = {name: client.get(url).status_code for name, url in pages.items()}
        found["step"] = client.post(
            reverse("coaching:step_done", args=[step.pk]), {"done": "0"}
        ).status_code
        mine = client.get(reverse("coaching:mine")).content.decode()
        found["mine"] = int("Call the county" in mine)
        return found

    open_to_coach = {"session": 200, "edit": 200, "file": 200, "step": 302, "mine": 1}
    assert shown(people["coach"]) == open_to_coach
    board = restrict_to(group)
    closed = {"session": 404, "edit": 404, "file": 404, "step": 404, "mine": 0}
    assert shown(people["coach"]) == closed
    assert shown(people["coachee"]) == closed
    people["coachee"].groups.add(board)
    assert shown(people["coachee"])["session"] == 200

    PageViewRestriction.objects.all().delete()
    password = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    assert shown(people["coach"]) == closed
    browser = client.session
    browser[PageViewRestriction.passed_view_restrictions_session_key] = [password.pk]
    browser.save()
    assert shown(people["coach"]) == open_to_coach

    PageViewRestriction.objects.all().delete()
    group.unpublish()
    assert shown(people["coach"]) == closed


def test_a_group_that_switched_coaching_off_adds_nothing_to_my_learning(group, people):
    assert "Call the county" in panel_of(people["coachee"], "coaching")[0]
    group.plugins = []
    group.save_revision().publish()
    assert panel_of(people["coachee"], "coaching")[0] == ""
    # Switched back on, its steps are back at once.
    group.plugins = ["coaching"]
    group.save_revision().publish()
    assert "Call the county" in panel_of(people["coachee"], "coaching")[0]


def test_follow_up_reminders_reach_only_those_the_group_page_admits(group, people):
    """Judged away from their browser, as the core's reminders are: the
    coachee outside the restriction's groups is not told; an unpublished
    group tells nobody."""
    from lms_coaching.reminders import remind_next_step

    session = people["session"]
    step = session.next_steps.get()
    restrict_to(group, people["coach"])
    assert remind_next_step.call(step.pk, step.due_on.isoformat()) == 1
    assert [message.to[0] for message in mail.outbox] == [people["coach"].email]
    later = NextStep.objects.create(
        session=session, text="Write it up", due_on=step.due_on + timedelta(days=1)
    )
    group.unpublish()
    assert remind_next_step.call(later.pk, later.due_on.isoformat()) == 0
    assert len(mail.outbox) == 1


def test_the_api_shows_a_coaching_session_as_its_page_does(people):
    """`/api/v1/p/coaching/`: the coach reads the private notes, the coachee
    all but them, everyone else nothing (not found); a page of sessions
    costs the same queries however many are on it."""
    session = people["session"]
    url = f"/api/v1/p/coaching/sessions/{session.pk}"

    def read(role, address=url):
        token = create_token(people[role], "App", TokenTerms.Scope.READ, 30)[1]
        return Client().get(address, HTTP_AUTHORIZATION=f"Bearer {token}")

    as_coach = read("coach").json()
    assert as_coach["role"] == "coach" and as_coach["private_notes"] == PRIVATE
    assert as_coach["goals"] == [
        {"text": "Send the letter to two partners", "status": "open"}
    ]
    assert as_coach["next_steps"][0]["text"] == "Call the county"
    as_coachee = read("coachee").json()
    assert as_coachee["role"] == "coachee" and as_coachee["private_notes"] is None
    assert as_coachee["shared_notes"] == SHARED
    assert PRIVATE not in read("coachee").content.decode()
    for role in ("other_coach", "group_lead", "program_lead", "superuser"):
        assert read(role).status_code == 404, role
        assert read(role, "/api/v1/p/coaching/sessions").json()["count"] == 0
    assert Client().get(url).status_code == 401
    listed = read("coachee", "/api/v1/p/coaching/sessions").json()
    assert [item["id"] for item in listed["items"]] == [session.pk]
    # A group whose page turns private from them: its sessions are not found.
    restriction = PageViewRestriction.objects.create(
        page=session.cohort, restriction_type="password", password="board"
    )
    assert read("coachee").status_code == 404

    def cost(limit: int) -> int:
        token = create_token(people["coach"], "App", TokenTerms.Scope.READ, 30)[1]
        Client().get(
            "/api/v1/p/coaching/sessions", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        with CaptureQueriesContext(connection) as queries:
            Client().get(
                f"/api/v1/p/coaching/sessions?limit={limit}",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        return len(queries)

    restriction.delete()
    for _ in range(5):
        copy = CoachingSession.objects.get(pk=session.pk)
        copy.pk = None
        copy.save()
        Goal.objects.create(session=copy, text="Another goal")
    assert cost(1) == cost(6)
