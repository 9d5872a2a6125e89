"""The notifications inbox: sending (sdk.notify), people's choices per kind,
the bell, the list, following one, and who sees what."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from wagtail.models import PageViewRestriction

import sdk
from cohorts.membership import join, leave
from lms.hookspecs import Delivery, NotificationKind, hookimpl
from lms.plugins import plugin_manager
from notifications import inbox
from notifications.emails import post_announcement
from notifications.inbox_emails import send_notification_emails
from notifications.models import Announcement, Notification, NotificationPreference
from notifications.personal_data import notifications_received
from scheduling.models import RSVP
from scheduling.rsvp import respond
from scheduling.sessions import cancel_session, move_session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_api_running_a_group import WRITE, token_of
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _greeting() -> str:
    return {"es": "Hola %(name)s"}.get(translation.get_language(), "Hello %(name)s")


GREETING = NotificationKind(
    name="tests.greeting",
    label="A greeting",
    # The text of the reader's language, chosen when shown (as a translated
    # lazy string is), without depending on compiled translations.
    message=lazy(_greeting, str)(),
    default_delivery=Delivery.DAILY,
)
SECRET = NotificationKind(
    name="tests.secret",
    label="A secret",
    message="The secret is %(secret)s",
    # The plugin says who may still see it: nobody whose name starts with Z.
    visible=lambda user, notifications: (
        [] if user.first_name.startswith("Z") else [n.pk for n in notifications]
    ),
)


class Greeter:
    @hookimpl
    def lms_notification_kinds(self):
        return [GREETING, SECRET]


@pytest.fixture
def greeter(register_plugin):
    register_plugin(Greeter(), name="greeter")


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(parent=home_page, title="Grantwriting circle")


def texts(user) -> list[str]:
    return [
        entry.text
        for entry in inbox.entries(
            user, list(Notification.objects.filter(recipient=user))
        )
    ]


# --- sending -----------------------------------------------------------------


def test_notify_files_many_people_in_one_insert_after_one_read_of_choices(
    greeter, django_assert_num_queries
):
    people = UserFactory.create_batch(40)
    NotificationPreference.objects.create(
        user=people[0], kind=GREETING.name, delivery=Delivery.OFF
    )
    NotificationPreference.objects.create(
        user=people[1], kind=GREETING.name, delivery=Delivery.WEEKLY
    )
    sdk.notify(people[:1], GREETING.name)  # the content type is looked up once
    with django_assert_num_queries(2):  # their choices, then one INSERT
        told = sdk.notify(people, GREETING.name, params={"name": "Ana"})
    assert told == 39
    rows = Notification.objects.filter(params={"name": "Ana"})
    assert not rows.filter(recipient=people[0]).exists()
    assert rows.get(recipient=people[1]).delivery == Delivery.WEEKLY
    assert rows.get(recipient=people[2]).delivery == Delivery.DAILY  # the default


def test_notify_takes_ids_and_querysets_and_never_tells_the_actor(greeter, circle):
    actor, other = UserFactory(), UserFactory()
    told = sdk.notify([actor.pk, other.pk], GREETING.name, actor=actor, cohort=circle)
    assert told == 1
    everyone = type(actor).objects.filter(pk__in=[actor.pk, other.pk])
    assert sdk.notify(everyone, GREETING.name, actor=actor, cohort=circle) == 1
    assert set(Notification.objects.values_list("recipient", flat=True)) == {other.pk}
    assert sdk.notify([], GREETING.name) == 0


def test_an_actor_is_named_only_within_a_group(greeter):
    """How a person is named (a youth member's full name to staff only)
    depends on the group: a notification with an actor and none is refused."""
    with pytest.raises(ValueError, match="needs its group"):
        sdk.notify([UserFactory()], GREETING.name, actor=UserFactory())
    assert not Notification.objects.exists()


def test_notify_refuses_an_unknown_kind_and_another_sites_address(greeter):
    person = UserFactory()
    with pytest.raises(inbox.UnknownKind):
        sdk.notify([person], "tests.nobody-declared-this")
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="Not a path"):
            sdk.notify([person], GREETING.name, url=url)
    assert not Notification.objects.exists()


def test_the_text_is_made_when_shown_in_the_readers_language(greeter):
    person = UserFactory()
    sdk.notify([person], GREETING.name, params={"name": "Ana"})
    assert texts(person) == ["Hello Ana"]
    with translation.override("es"):
        assert texts(person) == ["Hola Ana"]


def test_a_moment_is_shown_in_the_groups_time_zone(circle):
    member = MembershipFactory(cohort=circle).user  # America/Los_Angeles
    moment = datetime(2030, 3, 4, 17, 30, tzinfo=UTC)
    sdk.notify(
        [member],
        inbox.SESSION_MOVED.name,
        cohort=circle,
        params={"session": "Budget basics", "when": moment},
    )
    (text,) = texts(member)
    assert text.startswith("Budget basics moved to ")
    assert "9:30" in text and "17:30" not in text


def test_parameters_that_do_not_fit_show_the_kinds_label(client, greeter):
    person = UserFactory()
    for broken in ({"moment": "not a date"}, {"moment": 7}, {"moment": "9999-99-99"}):
        Notification.objects.create(
            recipient=person, kind=GREETING.name, params={"name": broken}
        )
    assert texts(person) == ["A greeting"] * 3
    client.force_login(person)
    assert client.get(reverse("cohorts:inbox")).status_code == 200


# --- what core tells ---------------------------------------------------------


def test_an_announcement_tells_the_groups_members_but_not_its_author(circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    waiting = MembershipFactory(cohort=circle, status="waitlisted").user
    outsider = MembershipFactory(cohort=CohortPageFactory(parent=circle.get_parent()))
    post_announcement(circle, facilitator, "Room change", "Room 4.")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [member.pk]
    assert texts(member) == [
        f"{facilitator.get_full_name()} posted “Room change” in Grantwriting circle"
    ]
    (entry,) = inbox.entries(member, list(Notification.objects.all()))
    assert entry.url == reverse("cohorts:announcements", args=[circle.pk])
    assert not texts(waiting) and not texts(outsider.user)


def test_an_announcement_rolled_back_tells_nobody(circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    MembershipFactory(cohort=circle)
    with pytest.raises(RuntimeError), transaction.atomic():
        post_announcement(circle, facilitator, "Room change", "Room 4.")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_people_turn_announcements_off_in_their_inbox(circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    NotificationPreference.objects.create(
        user=member, kind=inbox.ANNOUNCEMENT.name, delivery=Delivery.OFF
    )
    post_announcement(circle, facilitator, "Room change", "Room 4.")
    assert not Notification.objects.exists()


def test_a_cancelled_session_tells_those_coming_even_without_reminder_emails(circle):
    session = SessionFactory(cohort=circle, title="Budget basics")
    going = MembershipFactory(cohort=circle, user__session_reminders=False).user
    declined = MembershipFactory(cohort=circle).user
    RSVP.objects.create(session=session, user=declined, status=RSVP.Status.DECLINED)
    cancel_session(session)
    (notification,) = Notification.objects.all()
    assert notification.recipient == going
    assert notification.kind == inbox.SESSION_CANCELLED.name
    assert notification.target == session
    (entry,) = inbox.entries(going, [notification])
    assert entry.text.startswith("Budget basics on ")
    assert entry.text.endswith(" is cancelled")
    assert entry.url == circle.url


def test_a_moved_session_tells_those_coming_its_new_time(circle):
    session = SessionFactory(cohort=circle, title="Budget basics")
    member = MembershipFactory(cohort=circle).user
    later = session.starts_at + timedelta(days=1)
    session.title = "Renamed"
    session.save()  # a plain edit moves nothing
    assert not Notification.objects.exists()
    move_session(session, later, later + timedelta(hours=2))
    (notification,) = Notification.objects.all()
    assert notification.recipient == member
    assert notification.params["when"] == {inbox.MOMENT: later.isoformat()}


def test_a_seat_from_the_waiting_list_tells_its_taker_at_once(
    circle, mailoutbox, django_capture_on_commit_callbacks
):
    """Told in the inbox and, by default, e-mailed at once: they are going
    now, and nobody else hears of it."""
    session = SessionFactory(cohort=circle, title="Budget basics", capacity=1)
    first, waiting, third = (MembershipFactory(cohort=circle).user for _ in range(3))
    for person in (first, waiting):
        respond(session, person, RSVP.Status.GOING)
    assert RSVP.objects.get(user=waiting).status == RSVP.Status.WAITLISTED
    respond(session, third, RSVP.Status.MAYBE)
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        respond(session, first, RSVP.Status.DECLINED)
    (notification,) = Notification.objects.all()
    assert notification.recipient == waiting
    (entry,) = inbox.entries(waiting, [notification])
    assert entry.text.startswith("A seat opened: you are going to Budget basics on ")
    (email,) = mailoutbox
    assert email.to == [waiting.email]


# --- the bell ----------------------------------------------------------------


def test_the_unread_count_costs_one_query_then_none_until_it_changes(
    greeter, django_assert_num_queries
):
    person = UserFactory()
    with django_assert_num_queries(1):
        assert inbox.unread_count(person) == 0
    with django_assert_num_queries(0):
        assert inbox.unread_count(person) == 0
    sdk.notify([person], GREETING.name, params={"name": "Ana"})
    assert inbox.unread_count(person) == 1
    inbox.mark_read(person, Notification.objects.all())
    assert inbox.unread_count(person) == 0


def test_the_bell_says_how_many_are_unread_on_every_page(client, greeter, home_page):
    person = UserFactory()
    assert "inbox-bell" not in client.get(home_page.url).content.decode()
    client.force_login(person)
    html = client.get(home_page.url).content.decode()
    assert "Notifications: none unread" in html
    sdk.notify([person], GREETING.name, params={"name": "Ana"})
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    for url in (home_page.url, reverse("dashboard"), reverse("cohorts:email_settings")):
        html = client.get(url).content.decode()
        assert "Notifications: 2 unread" in html
        assert '<span class="inbox-bell-count" aria-hidden="true">2</span>' in html


def test_a_page_pays_for_the_bell_once_then_not_again(client, greeter):
    person = UserFactory()
    client.force_login(person)
    client.get(reverse("dashboard"))  # warms the caches of the page itself
    inbox.unread_cache.invalidate_scope(f"user:{person.pk}")
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("dashboard"))
    table = Notification._meta.db_table
    assert len([q for q in cold.captured_queries if table in q["sql"]]) == 1
    assert [q for q in warm.captured_queries if table in q["sql"]] == []


# --- the list ----------------------------------------------------------------


def test_the_list_is_newest_first_marks_unread_and_pages(client, greeter):
    person, other = UserFactory(), UserFactory()
    for number in range(25):
        sdk.notify([person], GREETING.name, params={"name": f"N{number:02}"})
    sdk.notify([other], GREETING.name, params={"name": "Not yours"})
    Notification.objects.filter(params={"name": "N24"}).update(read_at=timezone.now())
    client.force_login(person)
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert html.index("Hello N24") < html.index("Hello N23")
    assert "Hello N04" not in html and "Not yours" not in html
    assert "24 unread." in html and "Page 1 of 2" in html
    assert html.count('class="inbox-item inbox-item-unread"') == 19
    html = client.get(reverse("cohorts:inbox") + "?page=2").content.decode()
    assert "Hello N00" in html and "Hello N05" not in html


def test_reading_the_list_changes_nothing(client, greeter):
    person = UserFactory()
    sdk.notify([person], GREETING.name, params={"name": "Ana"})
    client.force_login(person)
    client.get(reverse("cohorts:inbox"))
    assert client.get(reverse("cohorts:open_notification", args=[1])).status_code == 405
    assert client.get(reverse("cohorts:inbox_read_all")).status_code == 405
    assert Notification.objects.get().read_at is None


def test_an_empty_inbox_says_so(client):
    client.force_login(UserFactory())
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert "Nothing here yet" in html and "Mark all as read" not in html


def test_following_one_marks_it_read_and_goes_there(client, circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    post_announcement(circle, facilitator, "Room change", "Room 4.")
    notification = Notification.objects.get()
    client.force_login(member)
    response = client.post(reverse("cohorts:open_notification", args=[notification.pk]))
    assert response.url == reverse("cohorts:announcements", args=[circle.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    with translation.override("es"):
        url = reverse("cohorts:open_notification", args=[notification.pk])
    response = client.post(url)
    assert response.url == f"/es/cohorts/{circle.pk}/announcements/"


def test_mark_all_as_read_is_for_the_persons_own(client, greeter):
    person, other = UserFactory(), UserFactory()
    sdk.notify([person, other], GREETING.name, params={"name": "Ana"})
    client.force_login(person)
    assert client.post(reverse("cohorts:inbox_read_all")).status_code == 302
    assert Notification.objects.get(recipient=person).read_at is not None
    assert Notification.objects.get(recipient=other).read_at is None
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert "Notifications: none unread" in html


def test_someone_elses_notification_is_not_found(client, greeter):
    person, other = UserFactory(), UserFactory()
    sdk.notify([other], GREETING.name, params={"name": "Ana"})
    client.force_login(person)
    notification = Notification.objects.get()
    url = reverse("cohorts:open_notification", args=[notification.pk])
    assert client.post(url).status_code == 404
    assert client.post("/cohorts/inbox/99999999999/open/").status_code == 404
    assert client.post(f"/cohorts/inbox/{10**30}/open/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


# --- privacy -----------------------------------------------------------------


def test_after_leaving_a_group_its_notifications_keep_their_secrets(client, circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    membership = MembershipFactory(cohort=circle)
    post_announcement(circle, facilitator, "Secret plans", "Room 4.")
    leave(membership)
    client.force_login(membership.user)
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert "Secret plans" not in html and "Grantwriting circle" not in html
    assert "About something you can no longer see" in html
    notification = Notification.objects.get()
    response = client.post(reverse("cohorts:open_notification", args=[notification.pk]))
    assert response.url == reverse("cohorts:inbox")
    # Their data download says it was sent, not what it said.
    (exported,) = notifications_received(membership.user)
    assert "Secret plans" not in str(exported) and "group" not in exported


def test_a_deleted_announcement_takes_its_words_from_the_inbox(circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    post_announcement(circle, facilitator, "Wrong room", "Room 4.")
    assert texts(member) == [
        f"{facilitator.get_full_name()} posted “Wrong room” in Grantwriting circle"
    ]
    Announcement.objects.get().delete()
    assert texts(member) == [""]
    assert "Wrong room" not in str(notifications_received(member))


def test_a_private_group_refusing_the_person_hides_its_notifications(circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    post_announcement(circle, facilitator, "Secret plans", "Room 4.")
    restriction = PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Board"))
    assert texts(member) == [""]


def test_in_a_youth_group_members_see_the_first_name_of_who_acted(home_page):
    group = CohortPageFactory(parent=home_page, is_youth=True, title="Youth lab")
    poster = MembershipFactory(
        cohort=group, role="facilitator", user__first_name="Rosa", user__last_name="Q"
    ).user
    member = MembershipFactory(cohort=group).user
    staff = MembershipFactory(cohort=group, role="facilitator").user
    post_announcement(group, poster, "Bring snacks", "...")
    assert texts(member) == ["Rosa posted “Bring snacks” in Youth lab"]
    assert texts(staff) == ["Rosa Q posted “Bring snacks” in Youth lab"]


def test_a_plugins_kind_says_who_may_still_see_it(greeter):
    ana, zoe = UserFactory(first_name="Ana"), UserFactory(first_name="Zoe")
    sdk.notify([ana, zoe], SECRET.name, params={"secret": "42"})
    assert texts(ana) == ["The secret is 42"]
    assert texts(zoe) == [""]


class Greedy:
    """A plugin whose kind's check answers every id it is asked about and more."""

    @hookimpl
    def lms_notification_kinds(self):
        return [
            NotificationKind(
                name="tests.greedy",
                label="Greedy",
                message="Greedy",
                visible=lambda user, notifications: Notification.objects.filter(
                    recipient=user
                ).values_list("pk", flat=True),
            )
        ]


def test_a_plugins_check_speaks_for_its_own_kind_only(circle, register_plugin):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    membership = MembershipFactory(cohort=circle)
    post_announcement(circle, facilitator, "Secret plans", "Room 4.")
    leave(membership)
    register_plugin(Greedy(), name="greedy")
    sdk.notify([membership.user], "tests.greedy")
    # The announcement stays hidden, whatever the plugin's check answered.
    assert sorted(texts(membership.user)) == ["", "Greedy"]


def test_a_kind_no_longer_declared_stays_without_its_text(client, register_plugin):
    person = UserFactory()
    register_plugin(Greeter(), name="greeter")
    sdk.notify([person], GREETING.name, params={"name": "Ana"})
    plugin_manager.unregister(name="greeter")
    assert texts(person) == [""]
    client.force_login(person)
    assert client.get(reverse("cohorts:inbox")).status_code == 200


# --- choices -----------------------------------------------------------------


def test_people_choose_per_kind_among_what_it_offers(client, greeter):
    person = UserFactory()
    client.force_login(person)
    url = reverse("cohorts:notification_choices")
    html = client.get(url).content.decode()
    assert "A greeting" in html and "Announcements in your groups" in html
    choices = {name: kind.default_delivery for name, kind in inbox.kinds().items()}
    response = client.post(url, {**choices, GREETING.name: Delivery.WEEKLY})
    assert response.status_code == 302
    assert inbox.choices_of(person)[GREETING.name] == Delivery.WEEKLY
    # Announcements are e-mailed by each group's choice: not offered here.
    response = client.post(url, {**choices, inbox.ANNOUNCEMENT.name: Delivery.EMAIL})
    assert response.status_code == 400
    assert client.post(url, {}).status_code == 400
    # Back to the default: nothing stored, so a new default would hold.
    client.post(url, choices)
    assert not NotificationPreference.objects.filter(user=person).exists()


def test_the_example_plugin_welcomes_a_new_member(
    circle, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        join(circle, person)
    (entry,) = inbox.entries(person, list(Notification.objects.all()))
    assert entry.text == "Welcome to Grantwriting circle: keep your reading notes here"
    assert entry.url == reverse("example:notes")


# --- e-mail at once ----------------------------------------------------------


@pytest.mark.usefixtures("db_tasks")
def test_e_mail_at_once_goes_to_those_who_chose_it_once_in_their_language(greeter):
    chose, spanish, read_first, inbox_only = UserFactory.create_batch(4)
    spanish.preferred_language = "es"
    spanish.save()
    for person in (chose, spanish, read_first):
        NotificationPreference.objects.create(
            user=person, kind=GREETING.name, delivery=Delivery.EMAIL
        )
    NotificationPreference.objects.create(
        user=inbox_only, kind=GREETING.name, delivery=Delivery.INBOX
    )
    sdk.notify(
        [chose, spanish, read_first, inbox_only],
        GREETING.name,
        params={"name": "Ana"},
    )
    inbox.mark_read(read_first, Notification.objects.all())
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([chose.email, spanish.email])
    (english,) = [m for m in mail.outbox if m.to == [chose.email]]
    assert english.subject == "Hello Ana"
    assert reverse("cohorts:notification_choices") in english.body
    (in_spanish,) = [m for m in mail.outbox if m.to == [spanish.email]]
    assert in_spanish.subject == "Hola Ana"
    emailed = Notification.objects.exclude(emailed_at=None)
    assert set(emailed.values_list("recipient", flat=True)) == {chose.pk, spanish.pk}
    send_notification_emails.enqueue(list(emailed.values_list("pk", flat=True)))
    run_worker()
    assert len(mail.outbox) == 2  # never twice


@pytest.mark.usefixtures("db_tasks")
def test_no_e_mail_about_what_the_person_may_no_longer_see(greeter):
    zoe = UserFactory(first_name="Zoe")
    NotificationPreference.objects.create(
        user=zoe, kind=SECRET.name, delivery=Delivery.EMAIL
    )
    sdk.notify([zoe], SECRET.name, params={"secret": "42"})
    run_worker()
    assert mail.outbox == []


def test_each_notification_is_dated_in_its_groups_time_zone(client, circle):
    member = MembershipFactory(cohort=circle).user  # America/Los_Angeles
    moment = datetime(2030, 3, 4, 17, 30, tzinfo=UTC)
    sdk.notify(
        [member],
        inbox.SESSION_MOVED.name,
        cohort=circle,
        params={"session": "S", "when": moment},
    )
    Notification.objects.update(created_at=moment)
    client.force_login(member)
    html = client.get(reverse("cohorts:inbox")).content.decode()
    assert "9:30</time> (Pacific time)" in html


# --- through the API ----------------------------------------------------------


def test_the_api_reads_and_marks_a_persons_inbox_as_the_inbox_page_does(
    greeter, home_page
):
    """`GET /me/notifications` and marking read: the person's own only, as
    the inbox page words them; read-only tokens cannot mark."""
    youth = CohortPageFactory(parent=home_page, is_youth=True)
    ana = UserFactory(first_name="Ana", last_name="Quintanilla")
    coach = UserFactory(first_name="Bo")
    other = UserFactory(first_name="Cy")
    MembershipFactory(cohort=youth, user=ana)
    MembershipFactory(cohort=youth, user=coach, role="facilitator")
    inbox.notify([coach], GREETING.name, actor=ana, cohort=youth, params={"name": "x"})
    inbox.notify([coach, other], SECRET.name, params={"secret": "s3"})
    url = "/api/v1/me/notifications"

    def listed(token, **query):
        answer = Client().get(url, query, **token)
        assert answer.status_code == 200, answer.content
        return answer.json()

    plain, staff = token_of(coach), token_of(coach, WRITE, staff=True)
    mine = listed(plain)
    assert mine["count"] == 2
    assert [item["text"] for item in mine["items"]] == ["The secret is s3", "Hello x"]
    assert mine["items"][1]["group_id"] == youth.pk
    assert listed(token_of(other))["count"] == 1  # their own only

    # The words the inbox page shows.
    entries = inbox.entries(coach, list(Notification.objects.filter(recipient=coach)))
    assert [e.text for e in entries] == [item["text"] for item in mine["items"]]

    # In the language the app asks for (/api/ has no language prefix).
    spanish = Client().get(url, HTTP_ACCEPT_LANGUAGE="es", **plain)
    assert spanish.json()["items"][1]["text"] == "Hola x"
    assert spanish["Content-Language"] == "es"
    assert "Accept-Language" in spanish["Vary"]
    greeting = Notification.objects.get(kind=GREETING.name)
    one = f"{url}/{greeting.pk}/read"
    assert Client().put(one, **plain).status_code == 403  # a read-only token
    assert Client().put(one, **token_of(other, WRITE)).status_code == 404
    marked = Client().put(one, **staff)
    assert marked.status_code == 200, marked.content
    assert marked.json()["read_at"] is not None
    again = Client().put(one, **staff).json()
    assert again["read_at"] == marked.json()["read_at"]  # read once
    assert [i["id"] for i in listed(plain, unread="true")["items"]] != [greeting.pk]
    assert listed(plain, unread="true")["count"] == 1

    everything = Client().put(f"{url}/read", **staff)
    assert everything.json() == {"marked": 1}
    assert inbox.unread_count(coach) == 0
    assert Client().put(f"{url}/read", **staff).json() == {"marked": 0}
    assert Notification.objects.filter(recipient=other, read_at=None).count() == 1


def test_a_token_without_staff_rights_names_a_youth_member_as_to_a_member(
    greeter, home_page
):
    youth = CohortPageFactory(parent=home_page, is_youth=True)
    ana = UserFactory(first_name="Ana", last_name="Quintanilla")
    coach = UserFactory(first_name="Bo")
    MembershipFactory(cohort=youth, user=ana)
    MembershipFactory(cohort=youth, user=coach, role="facilitator")
    params = {"subject": "Hi", "group": "Youth"}
    inbox.notify(
        [coach], inbox.ANNOUNCEMENT.name, actor=ana, cohort=youth, params=params
    )
    url = "/api/v1/me/notifications"
    with_rights = Client().get(url, **token_of(coach, staff=True)).json()
    without = Client().get(url, **token_of(coach)).json()
    assert "Quintanilla" in with_rights["items"][0]["text"]
    assert "Ana" in without["items"][0]["text"]
    assert "Quintanilla" not in without["items"][0]["text"]


def test_a_page_of_the_api_s_inbox_costs_the_same_queries_at_any_length(
    greeter, home_page
):
    coach = UserFactory(first_name="Bo")
    for number in range(12):
        group = CohortPageFactory(parent=home_page, is_youth=number % 2 == 0)
        member = UserFactory()
        MembershipFactory(cohort=group, user=member)
        MembershipFactory(cohort=group, user=coach, role="facilitator")
        params = {"subject": f"News {number}", "group": group.title}
        inbox.notify(
            [coach], inbox.ANNOUNCEMENT.name, actor=member, cohort=group, params=params
        )
        inbox.notify([coach], GREETING.name, actor=member, cohort=group, params={})
        inbox.notify([coach], SECRET.name, params={"secret": number})
    token = token_of(coach, staff=True)
    url = "/api/v1/me/notifications"
    Client().get(url, **token)  # the token's first use is noted once
    # A page's words cost a query for each kind on it (whether the reader may
    # still see what it is about), not for each notification: the first
    # three hold one of each kind.
    with CaptureQueriesContext(connection) as few:
        assert len(Client().get(f"{url}?limit=3", **token).json()["items"]) == 3
    with CaptureQueriesContext(connection) as many:
        assert len(Client().get(f"{url}?limit=20", **token).json()["items"]) == 20
    assert len(few) == len(many)
