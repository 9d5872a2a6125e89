"""'Your data': the download of everything the site holds about a person, and
erasure, by the person or by a superuser; nothing of them left afterwards."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult
from lms_coaching.models import Attachment, CoachingSession
from lms_example_plugin.models import ReadingNote
from lms_grantwriting.models import Assignment, Draft, Feedback
from lms_grantwriting.work import give_feedback, submit_version
from lms_toolkits.models import ChecklistTick, ToolkitIndexPage
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from calendars.models import CalendarFeed
from cohorts.membership import send_join_link
from cohorts.models import CohortPage, Membership, PendingJoin
from content.models import LessonPage
from learning.models import Certificate, LessonProgress
from lms import personal_data, plugins
from lms.audit import AuditEntry, record
from lms.hookspecs import Panel, hookimpl
from lms.models import Delivery
from lms.roles import FACILITATORS, ensure_role_groups
from newsletter.models import Subscriber
from notifications.inbox import ANNOUNCEMENT, SESSION_MOVED, notify
from notifications.models import Announcement, Notification, NotificationPreference
from scheduling.models import RSVP, Attendance
from sdk.testing import status_problem
from tests.factories import (
    PASSWORD,
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    StandardPageFactory,
    UserFactory,
    course_with_lessons,
)
from tests.helpers import body_of
from tests.test_reminders import db_tasks  # noqa: F401 (fixture)
from tests.test_toolkits import make_toolkit

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zebedee", "Quartermaine"
EMAIL, SECOND_EMAIL = "zebedee.q@example.org", "zq.second@example.org"
NEEDLES = [FIRST.lower(), LAST.lower(), EMAIL, SECOND_EMAIL]
OTHER = "OTHER-PERSON-SECRET"


@dataclass
class World:
    cohort: CohortPage
    lesson: LessonPage
    assignment: Assignment
    toolkit: object
    admin: object


@pytest.fixture
def world(home_page):
    course = course_with_lessons(home_page, modules=1, lessons=1)
    cohort = CohortPageFactory(
        parent=home_page,
        capacity=1,
        course=course,
        plugins=["coaching", "grantwriting"],
        time_zone="UTC",
    )
    library = home_page.add_child(
        instance=ToolkitIndexPage(title="Toolkits", slug="toolkits")
    )
    return World(
        cohort=cohort,
        lesson=LessonPage.objects.live().get(),
        assignment=Assignment.objects.create(
            cohort=cohort,
            title="Need statement",
            due_at=timezone.now() + timedelta(days=5),
        ),
        toolkit=make_toolkit(library, "Partnership agreement"),
        admin=UserFactory(is_superuser=True, is_staff=True),
    )


def give_everything(person, peer, world: World, mark: str, status="active"):
    """A row about `person` in every core table and every plugin, `mark` in
    the text they wrote; `peer` is on the other side where one is needed."""
    cohort = world.cohort
    MembershipFactory(cohort=cohort, user=person, status=status, goal=f"{mark} goal")
    EmailAddress.objects.create(user=person, email=person.email, primary=True)
    Delivery.objects.create(user=person, key=f"reminder:{person.pk}")
    record(person, "membership.change", subject=person)
    CalendarFeed.issue(person)
    upcoming = SessionFactory(cohort=cohort, capacity=1)
    RSVP.objects.create(session=upcoming, user=person, status=RSVP.Status.GOING)
    held = SessionFactory(cohort=cohort, starts_at=timezone.now() - timedelta(days=2))
    Attendance.objects.create(session=held, user=person, status="present")
    Attendance.objects.create(
        session=held, user=peer, status="late", recorded_by=person
    )
    Announcement.objects.create(
        cohort=cohort, author=person, subject="Room change", body="Upstairs today."
    )
    LessonProgress.objects.create(
        user=person,
        cohort=cohort,
        lesson=world.lesson,
        answers={"reflection": f"{mark} reflects"},
    )
    Certificate.objects.create(
        user=person,
        cohort=cohort,
        code=Certificate.new_code(),
        name=person.get_full_name(),
        course_title="Grantwriting basics",
        cohort_title=cohort.title,
    )
    Subscriber.objects.create(email=person.email, name=person.get_full_name())
    received = CoachingSession.objects.create(
        cohort=cohort,
        coach=peer,
        coachee=person,
        held_at=timezone.now() - timedelta(days=1),
        minutes=60,
        shared_notes=f"{mark} shared notes",
    )
    Attachment.objects.create(
        session=received,
        title="Plan",
        shared=True,
        file=ContentFile(f"{mark} plan".encode(), name=f"{mark}-plan.txt"),
    )
    CoachingSession.objects.create(
        cohort=cohort,
        coach=person,
        coachee=peer,
        held_at=timezone.now() - timedelta(days=1),
        minutes=60,
        shared_notes="Shared with the coachee",
        private_notes=f"{mark} private notes",
    )
    draft = submit_version(
        world.assignment,
        person,
        text=f"{mark} draft",
        status=Draft.Status.FEEDBACK_REQUESTED,
        file=SimpleUploadedFile(f"{mark}-draft.txt", f"{mark} draft file".encode()),
    ).draft
    ChecklistTick.objects.create(
        user=person, toolkit=world.toolkit, item=world.toolkit.item_ids()[0]
    )
    ReadingNote.objects.create(user=person, text=f"{mark} reading note")
    notify(
        [person],
        ANNOUNCEMENT.name,
        actor=peer,
        cohort=cohort,
        params={"subject": f"{mark} notice", "group": cohort.title},
    )
    notify(
        [peer],
        ANNOUNCEMENT.name,
        actor=person,
        cohort=cohort,
        params={"subject": "Room change", "group": cohort.title},
    )
    NotificationPreference.objects.create(
        user=person, kind=SESSION_MOVED.name, delivery="off"
    )
    return draft


@pytest.fixture
def person(world):
    return UserFactory(first_name=FIRST, last_name=LAST, email=EMAIL)


def text_fields(model) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField, models.FileField)
    return [
        each.attname
        for each in model._meta.concrete_fields
        if isinstance(each, kinds) or each.get_internal_type() == "JSONField"
    ]


def traces_of(needles: list[str]) -> list[str]:
    """Every model's text fields, in every app, that still hold a needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = text_fields(model)
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                text = json.dumps(value, default=str).lower()
                found += [
                    f"{model._meta.label}.{name}: {needle}"
                    for needle in needles
                    if needle in text
                ]
    return found


# --- erasure -----------------------------------------------------------------


@pytest.mark.usefixtures("db_tasks")
def test_erasure_leaves_nothing_of_the_person_in_any_table(world, person, home_page):
    peer = UserFactory()
    peers_draft = submit_version(
        world.assignment, peer, text="Peer's draft", status=Draft.Status.DRAFT
    ).draft
    draft = give_everything(person, peer, world, mark=FIRST)
    # The rest of the account: a second address, Wagtail's profile and log,
    # a page they own, a join link queued with their name and address.
    EmailAddress.objects.create(user=person, email=SECOND_EMAIL, verified=True)
    Subscriber.objects.create(email=SECOND_EMAIL.upper(), name=FIRST)
    profile = UserProfile.get_for_user(person)
    profile.avatar = ContentFile(b"GIF89a", name=f"{FIRST}.gif")
    profile.save()
    log(instance=person, action="wagtail.create", user=world.admin)
    # Labels from before Membership's name stopped naming the person.
    for membership in Membership.objects.filter(user=person):
        entry = log(instance=membership, action="wagtail.edit", user=world.admin)
        entry.label = f"{FIRST} {LAST} in {world.cohort.title}"
        entry.save(update_fields=["label"])
    page = StandardPageFactory(parent=home_page, owner=person)
    page.save_revision(user=person)
    send_join_link(world.cohort, f"{FIRST} {LAST}", EMAIL, "", "en")
    record(world.admin, "role.change", subject=person)
    give_feedback(peers_draft, person, "Strong opening")
    # Someone waits for the person's place in the group and seat at a session.
    waiting = MembershipFactory(cohort=world.cohort, user=peer, status="waitlisted")
    seat = RSVP.objects.get(user=person).session
    RSVP.objects.create(session=seat, user=peer, status=RSVP.Status.WAITLISTED)
    files = [
        Path(Attachment.objects.get(session__coachee=person).file.path),
        Path(draft.versions.get().file.path),
        Path(profile.avatar.path),
    ]
    assert all(path.exists() for path in files)
    assert traces_of(NEEDLES) != []  # the scan sees what is there
    assert DBTaskResult.objects.exists()
    person_id = person.pk

    personal_data.erase(person, by=world.admin)

    assert traces_of(NEEDLES) == []
    assert not any(path.exists() for path in files)
    assert not type(person).objects.filter(pk=person_id).exists()
    # What others rely on stays, without the person.
    assert Feedback.objects.get(text="Strong opening").author is None
    kept = CoachingSession.objects.get(coachee=peer)
    assert (kept.coach, kept.private_notes) == (None, "")
    assert Announcement.objects.get().author is None
    told = Notification.objects.get(recipient=peer, params__subject="Room change")
    assert told.actor is None
    assert not NotificationPreference.objects.filter(user_id=person_id).exists()
    assert Attendance.objects.get(user=peer).recorded_by is None
    page.refresh_from_db()
    assert page.owner is None
    # Their place and seat went to the people waiting.
    waiting.refresh_from_db()
    assert waiting.status == Membership.Status.ACTIVE
    assert RSVP.objects.get(session=seat, user=peer).status == RSVP.Status.GOING
    # The audit log says who erased whom, by ids.
    entry = AuditEntry.objects.get(action="data.erase")
    assert entry.actor == world.admin
    assert entry.before == {"user_id": person_id}


@task()
def welcome_back(email: str) -> None:
    """A task queued with an address in its arguments, as a plugin's may be
    (the core's take ids)."""


@pytest.mark.usefixtures("db_tasks")
def test_tasks_queued_with_the_persons_address_are_erased_and_no_others():
    person = UserFactory(email=EMAIL)
    welcome_back.enqueue(email=EMAIL.upper())
    welcome_back.enqueue(email="other@example.org")

    personal_data.erase(person, by=person)

    kept = DBTaskResult.objects.filter(task_path=welcome_back.module_path).values_list(
        "args_kwargs", flat=True
    )
    assert [each["kwargs"]["email"] for each in kept] == ["other@example.org"]


class FailingErasure:
    @hookimpl(trylast=True)
    def lms_erase_user_data(self, user):
        raise RuntimeError("the archive is offline")


def test_a_part_that_cannot_erase_leaves_everything_as_it_was(
    world, person, register_plugin, lenient_hooks, django_capture_on_commit_callbacks
):
    draft = give_everything(person, UserFactory(), world, mark=FIRST)
    draft_file = Path(draft.versions.get().file.path)
    register_plugin(FailingErasure(), name="failing")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(personal_data.ErasureFailed),
    ):
        personal_data.erase(person, by=person)
    assert draft_file.exists()
    # The plugins that ran before it are rolled back with the rest.
    assert ReadingNote.objects.filter(user=person).exists()
    assert Draft.objects.filter(author=person).exists()
    assert type(person).objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="data.erase").exists()


@pytest.mark.usefixtures("db_tasks")
def test_an_address_merely_added_is_not_the_persons(client, person, world):
    """Anyone can add someone else's address in allauth without proving it:
    what is filed under it is neither downloaded nor erased."""
    EmailAddress.objects.create(user=person, email=SECOND_EMAIL, verified=False)
    Subscriber.objects.create(email=SECOND_EMAIL, name="Someone else")
    send_join_link(world.cohort, "Someone else", SECOND_EMAIL, OTHER, "en")
    client.force_login(person)
    archive = download(client, reverse("download_your_data"))
    data = json.loads(archive.read("data.json"))
    assert data["newsletter"]["subscriptions"] == []
    assert data["cohorts"]["join_requests"] == []
    personal_data.erase(person, by=world.admin)
    assert Subscriber.objects.filter(email=SECOND_EMAIL).exists()
    assert PendingJoin.objects.filter(email=SECOND_EMAIL).exists()


def test_a_membership_is_logged_without_the_persons_name(world, person):
    """Wagtail's admin log, which leads of every program read, keeps the
    object's name as the entry's label."""
    membership = MembershipFactory(cohort=world.cohort, user=person)
    entry = log(instance=membership, action="wagtail.edit", user=world.admin)
    assert entry.label == f"Membership #{membership.pk} in {world.cohort.title}"
    assert FIRST not in str(membership) and EMAIL not in str(membership)


# --- export ------------------------------------------------------------------


def download(client, url):
    response = client.post(url)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_download_holds_every_part_and_nobody_elses_data(client, world, person):
    other = UserFactory(email="other@example.org")
    give_everything(person, other, world, mark=FIRST)
    give_everything(other, person, world, mark=OTHER, status="waitlisted")
    for email, goal in ((EMAIL.upper(), f"{FIRST} asked"), (other.email, OTHER)):
        PendingJoin.objects.create(
            cohort=world.cohort,
            email=email,
            name="Z",
            goal=goal,
            language="en",
            expires_at=timezone.now() + timedelta(hours=1),
        )
    client.force_login(person)

    archive = download(client, reverse("download_your_data"))

    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == EMAIL
    assert data["account"]["email_addresses"] == [{"email": EMAIL, "verified": False}]
    assert data["account"]["messages_sent"][0]["what"] == f"reminder:{person.pk}"
    cohorts = data["cohorts"]
    assert cohorts["memberships"][0]["goal"] == f"{FIRST} goal"
    assert [rsvp["answer"] for rsvp in cohorts["rsvps"]] == ["going"]
    # Their own attendance, whoever recorded it; not what they recorded of others.
    assert sorted(each["attendance"] for each in cohorts["attendance"]) == [
        "late",
        "present",
    ]
    assert cohorts["lesson_progress"][0]["answers"] == {
        "reflection": f"{FIRST} reflects"
    }
    assert cohorts["certificates"][0]["name"] == f"{FIRST} {LAST}"
    assert cohorts["calendar_feed_created"]
    assert [each["goal"] for each in cohorts["join_requests"]] == [f"{FIRST} asked"]
    assert data["newsletter"]["subscriptions"][0]["email"] == EMAIL
    assert [each["parameters"]["subject"] for each in cohorts["notifications"]] == [
        f"{FIRST} notice",
        "Room change",  # to them, from the other person
    ]
    assert cohorts["notification_choices"] == {"session_moved": "off"}
    assert sorted(data["plugins"]) == [
        "coaching",
        "discussions",
        "example",
        "grantwriting",
        "partners",
        "surveys",
        "toolkits",
    ]
    assert data["plugins"]["example"]["reading_notes"][0]["text"] == (
        f"{FIRST} reading note"
    )
    assert data["incomplete"] == []
    # Private files travel inside the archive, named in the JSON.
    (received,) = [
        session
        for session in data["plugins"]["coaching"]["coaching_received"]
        if session["attachments"]
    ]
    plan = received["attachments"][0]["file"]
    assert plan.startswith("files/coaching/")
    assert archive.read(plan) == f"{FIRST} plan".encode()
    (draft,) = data["plugins"]["grantwriting"]["grantwriting_drafts"]
    draft_file = draft["versions"][0]["file"]
    assert draft_file.startswith("files/grantwriting/")
    assert archive.read(draft_file) == f"{FIRST} draft file".encode()
    assert "README.txt" in archive.namelist()
    # Nothing of the other person's.
    everything = " ".join(
        [*archive.namelist(), *(archive.read(n).decode() for n in archive.namelist())]
    )
    assert OTHER not in everything
    assert "other@example.org" not in everything
    entry = AuditEntry.objects.get(action="data.export")
    assert (entry.actor, entry.subject) == (person, person)


def with_avatar(person, content=b"GIF89a"):
    profile = UserProfile.get_for_user(person)
    profile.avatar = ContentFile(content, name="portrait.gif")
    profile.save()
    return profile


def test_the_download_names_the_roles_and_holds_the_avatar(client):
    ensure_role_groups()
    person = UserFactory(email=EMAIL)
    person.groups.add(Group.objects.get(name=FACILITATORS))
    with_avatar(person)
    client.force_login(person)

    archive = download(client, reverse("download_your_data"))

    account = json.loads(archive.read("data.json"))["account"]
    assert account["roles"] == [FACILITATORS]
    avatar = account["admin_profile"]["avatar"]
    assert avatar.startswith("files/account/")
    assert archive.read(avatar) == b"GIF89a"


def test_a_file_gone_from_storage_is_named_none_and_the_download_works(client):
    person = UserFactory(email=EMAIL)
    profile = with_avatar(person)
    profile.avatar.storage.delete(profile.avatar.name)
    client.force_login(person)

    archive = download(client, reverse("download_your_data"))

    account = json.loads(archive.read("data.json"))["account"]
    assert account["admin_profile"]["avatar"] is None
    assert not [name for name in archive.namelist() if name.startswith("files/")]


def test_data_json_keeps_accented_names_readable(client):
    """The person opens the file in any text editor: "Zoë", not "Zo\\u00eb"."""
    person = UserFactory(first_name="Zoë", last_name="Ibáñez", email=EMAIL)
    client.force_login(person)

    archive = download(client, reverse("download_your_data"))

    text = archive.read("data.json").decode("utf-8")
    assert '"first_name": "Zoë"' in text and '"last_name": "Ibáñez"' in text


# --- the person's pages --------------------------------------------------------


def test_the_pages_need_a_login_and_the_download_a_post(client, person):
    for name in ("your_data", "download_your_data", "delete_account"):
        assert status_problem(client.get(reverse(name)), "login") == ""
    assert client.get(reverse("account_deleted")).status_code == 200
    client.force_login(person)
    page = client.get(reverse("your_data"))
    assert page.status_code == 200
    assert reverse("delete_account") in body_of(page)
    assert reverse("your_data") in body_of(client.get(reverse("dashboard")))
    assert client.get(reverse("download_your_data")).status_code == 405


def test_deleting_my_account_asks_for_my_address_and_password(client, person):
    client.force_login(person)
    url = reverse("delete_account")
    form = client.get(url)
    assert form.status_code == 200 and 'name="password"' in body_of(form)
    wrong = [
        {"email": "someone@example.org", "password": PASSWORD},
        {"email": EMAIL, "password": "wrong"},
        {"email": EMAIL},
    ]
    for data in wrong:
        assert client.post(url, data).status_code == 400
    assert type(person).objects.filter(pk=person.pk).exists()

    done = client.post(url, {"email": EMAIL.upper(), "password": PASSWORD})

    assert done.status_code == 302 and done.url == reverse("account_deleted")
    assert not type(person).objects.filter(pk=person.pk).exists()
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="data.erase")
    assert entry.before == {"user_id": person.pk}


def test_someone_who_joined_by_link_confirms_with_their_address_alone(client):
    person = UserFactory(email="linked@example.org")
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    assert 'name="password"' not in body_of(client.get(reverse("delete_account")))
    client.post(reverse("delete_account"), {"email": "linked@example.org"})
    assert not type(person).objects.filter(pk=person.pk).exists()


def test_a_failed_erasure_says_so_and_keeps_the_account(
    client, person, register_plugin, lenient_hooks
):
    register_plugin(FailingErasure(), name="failing")
    client.force_login(person)
    response = client.post(
        reverse("delete_account"), {"email": EMAIL, "password": PASSWORD}
    )
    assert response.url == reverse("your_data")
    assert "nothing was deleted" in body_of(client.get(response.url))
    assert type(person).objects.filter(pk=person.pk).exists()


# --- superusers, from the admin -------------------------------------------------


def test_only_superusers_export_or_erase_someone_from_the_admin(client, world, person):
    urls = [
        ("get", reverse("lms_personal_data", args=[person.pk])),
        ("post", reverse("lms_personal_data_export", args=[person.pk])),
        ("post", reverse("lms_personal_data_erase", args=[person.pk])),
    ]
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        apps.get_model("auth", "Permission").objects.get(codename="access_admin")
    )
    for user in (person, staff):
        client.force_login(user)
        for method, url in urls:
            response = getattr(client, method)(url, {"email": EMAIL})
            assert response.status_code in {302, 403}, (user, url)
    assert type(person).objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.exists()


def test_a_superuser_exports_and_erases_a_person_on_request(client, world, person):
    give_everything(person, UserFactory(), world, mark=FIRST)
    client.force_login(world.admin)
    listing = body_of(client.get(reverse("wagtailusers_users:index")))
    page_url = reverse("lms_personal_data", args=[person.pk])
    assert page_url in listing
    assert client.get(page_url).status_code == 200

    archive = download(client, reverse("lms_personal_data_export", args=[person.pk]))
    assert json.loads(archive.read("data.json"))["account"]["email"] == EMAIL
    export = AuditEntry.objects.get(action="data.export")
    assert (export.actor, export.subject) == (world.admin, person)

    erase_url = reverse("lms_personal_data_erase", args=[person.pk])
    assert client.post(erase_url, {"email": "x@example.org"}).status_code == 400
    done = client.post(erase_url, {"email": EMAIL})
    assert done.status_code == 302
    assert not type(person).objects.filter(pk=person.pk).exists()
    erased = AuditEntry.objects.get(action="data.erase")
    assert erased.actor == world.admin and erased.before == {"user_id": person.pk}
    assert client.get(page_url).status_code == 404


def test_a_superuser_does_not_erase_themselves_from_the_admin(client, world):
    client.force_login(world.admin)
    url = reverse("lms_personal_data_erase", args=[world.admin.pk])
    client.post(url, {"email": world.admin.email})
    assert type(world.admin).objects.filter(pk=world.admin.pk).exists()


# --- which models hold personal data --------------------------------------------


def test_every_model_with_a_person_in_it_is_exported_and_erased():
    """A model with a key to the user or an e-mail address is either in core's
    list (lms.personal_data.CORE_MODELS) or a plugin's, whose hooks answer."""
    plugin_labels = {config.label for config in plugins.plugin_configs()}
    uncovered = [
        model._meta.label
        for model in apps.get_models()
        if plugins.personal_fields(model)
        and model._meta.label not in personal_data.CORE_MODELS
        and model._meta.app_label not in plugin_labels
    ]
    assert uncovered == []
    stale = [
        label
        for label in personal_data.CORE_MODELS
        if not plugins.personal_fields(apps.get_model(label))
    ]
    assert stale == []
    assert all(
        plugins.missing_personal_data_hooks(config) == []
        for config in plugins.plugin_configs()
    )


class PanelsOnly:
    @hookimpl
    def lms_dashboard_panels(self):
        return [Panel("Notes", "lms_example_plugin/panel.html")]


def test_lms_plugins_check_fails_for_personal_data_without_the_hooks(
    register_plugin,
):
    out = io.StringIO()
    hooks_module = plugins.plugin_manager.unregister(name="example")
    try:
        register_plugin(PanelsOnly(), name="example")
        with pytest.raises(CommandError, match="Unhealthy plugins: example"):
            call_command("lms_plugins", "--check", stdout=io.StringIO())
        call_command("lms_plugins", "--json", stdout=out)
    finally:
        plugins.plugin_manager.unregister(name="example")
        plugins.plugin_manager.register(hooks_module, name="example")
    report = {row["name"]: row for row in json.loads(out.getvalue())}
    assert report["example"]["missing_hooks"] == [
        "lms_export_user_data",
        "lms_erase_user_data",
    ]
    assert report["example"]["healthy"] is False
    assert report["coaching"]["healthy"] is True
    call_command("lms_plugins", "--check", stdout=io.StringIO())  # all well again


def test_older_membership_log_labels_lose_the_name(world, person):
    migration = import_module("cohorts.migrations.0008_membership_log_labels")
    membership = MembershipFactory(cohort=world.cohort, user=person)
    entry = log(instance=membership, action="wagtail.edit", user=world.admin)
    type(entry).objects.filter(pk=entry.pk).update(label=f"{FIRST} in Circle")
    migration.label_by_id(apps, None)
    entry.refresh_from_db()
    assert entry.label == f"Membership #{membership.pk}"
