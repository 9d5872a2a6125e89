import re
import threading
from datetime import timedelta

import psycopg
import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from django import db
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone

from cohorts.joining import JOIN_LINK_MAX_AGE
from cohorts.models import Membership, PendingJoin
from lms.audit import AuditEntry
from lms.roles import FACILITATORS, PROGRAM_LEADS, ensure_role_groups
from tests.factories import CohortPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(parent=home_page, goal_prompt="What is your goal?")


def ask_to_join(client, circle, **data):
    form = {"name": "Rosa Díaz", "email": "Rosa@Example.org", "goal": "Learn", **data}
    return client.post(f"/cohorts/{circle.pk}/join-by-email/", form)


def link(message) -> str:
    return re.search(r"http://testserver(/(?:es/)?cohorts/join/\S+/)", message.body)[1]


def test_visitor_joins_with_a_magic_link_and_no_password(client, circle):
    response = ask_to_join(client, circle)
    assert "Check your inbox" in response.content.decode()
    # The page and the e-mail promise what the link does.
    assert timedelta(hours=2) == JOIN_LINK_MAX_AGE
    assert "within two hours" in response.content.decode()
    assert "within two hours" in mail.outbox[0].body
    assert get_user_model().objects.count() == 0  # nothing stored yet
    path = link(mail.outbox[0])
    assert client.get(path).status_code == 200  # a GET only asks
    assert not Membership.objects.exists()
    response = client.post(path)
    assert response["Location"] == circle.url
    user = get_user_model().objects.get()
    assert (user.email, user.first_name) == ("rosa@example.org", "Rosa Díaz")
    assert not user.has_usable_password()
    membership = Membership.objects.get()
    assert (membership.user, membership.goal) == (user, "Learn")
    assert client.get(circle.url).context["user"] == user  # signed in
    assert not PendingJoin.objects.exists()  # a used link keeps nothing


def test_existing_account_is_reused_and_not_revealed(client, circle):
    existing = UserFactory(email="rosa@example.org")
    EmailAddress.objects.create(
        user=existing, email=existing.email, verified=True, primary=True
    )
    response = ask_to_join(client, circle)
    assert "Check your inbox" in response.content.decode()
    # The page and the e-mail promise what the link does.
    assert timedelta(hours=2) == JOIN_LINK_MAX_AGE
    assert "within two hours" in response.content.decode()
    assert "within two hours" in mail.outbox[0].body
    client.post(link(mail.outbox[0]))
    assert get_user_model().objects.count() == 1
    assert Membership.objects.get().user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()  # their password still works
    assert not AuditEntry.objects.filter(action="user.password_removed").exists()


def test_a_new_account_gets_its_address_proven_and_primary_and_nothing_removed(
    client, circle
):
    """A new account had no password to remove, so none is recorded as removed,
    and allauth mails the address the link proved (its primary, verified)."""
    ask_to_join(client, circle)
    client.post(link(mail.outbox[0]))
    user = get_user_model().objects.get()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "rosa@example.org",
        True,
        True,
    )
    assert not AuditEntry.objects.filter(action="user.password_removed").exists()


def test_a_name_of_the_longest_length_allowed_is_kept_whole(client, circle):
    name = "Rosa " + "D" * 145  # 150 characters, what the form allows
    ask_to_join(client, circle, name=name)
    client.post(link(mail.outbox[0]))
    assert get_user_model().objects.get().first_name == name


def test_expired_or_forged_links_get_a_clear_400(client, circle, monkeypatch):
    ask_to_join(client, circle)
    path = link(mail.outbox[0])
    later = timezone.now() + timedelta(hours=3)  # hours, not days
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.post(path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert client.post("/cohorts/join/garbage/").status_code == 400
    assert not Membership.objects.exists()


def test_bad_input_is_explained(client, circle):
    response = ask_to_join(client, circle, email="nope", name="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address" in html and "This field is required" in html
    assert ask_to_join(client, circle, website="spam").status_code == 400
    assert mail.outbox == []


def test_closed_groups_send_no_links(client, circle):
    circle.signup_open = False
    circle.save_revision().publish()
    ask_to_join(client, circle)
    assert mail.outbox == []


def test_spanish_visitors_get_a_spanish_link(client, circle):
    client.post(
        f"/es/cohorts/{circle.pk}/join-by-email/",
        {"name": "Ana", "email": "ana@example.org", "goal": ""},
    )
    assert "/es/cohorts/join/" in mail.outbox[0].body


def test_joining_a_full_group_by_link_says_waiting_list(client, circle):
    from cohorts.models import CohortPage

    CohortPage.objects.filter(pk=circle.pk).update(capacity=0)
    ask_to_join(client, circle)
    response = client.post(link(mail.outbox[0]), follow=True)
    html = response.content.decode()
    assert "you are on its waiting list" in html and "You have joined" not in html
    assert Membership.objects.get().status == "waitlisted"


def test_a_strangers_password_stops_working_when_the_owner_proves_the_address(
    client, circle
):
    """Pre-hijacking: someone signs up with another person's address first."""
    stranger = Client()
    stranger.post(
        "/accounts/signup/",
        {
            "first_name": "Stranger",
            "email": "rosa@example.org",
            "password1": "strangers-pass-phrase-9",
            "password2": "strangers-pass-phrase-9",
        },
    )
    account = get_user_model().objects.get()
    assert not EmailAddress.objects.get(user=account).verified
    stranger.force_login(account)  # a session opened before, by any way in
    ask_to_join(client, circle)
    client.post(link(mail.outbox[-1]))
    account.refresh_from_db()
    assert not account.has_usable_password()
    removed = AuditEntry.objects.get(action="user.password_removed")
    assert (removed.subject, removed.actor) == (account, None)
    stolen = {"email": "rosa@example.org", "password": "strangers-pass-phrase-9"}
    assert not Client().login(**stolen)
    assert stranger.get("/dashboard/").status_code == 302  # their session ended
    assert client.get("/dashboard/").status_code == 200  # the owner's goes on


def test_the_link_carries_no_personal_data_and_only_its_hash_is_kept(client, circle):
    ask_to_join(client, circle, goal="Organise my street")
    path = link(mail.outbox[0])
    for private in ("rosa", "Rosa", "Díaz", "D%C3%ADaz", "Organise", "example"):
        assert private not in path
    token = path.rstrip("/").rsplit("/", 1)[1]
    pending = PendingJoin.objects.get()
    assert pending.token_hash and token not in pending.token_hash
    assert pending.expires_at - timezone.now() <= timedelta(hours=4)


def test_a_link_works_for_two_hours_and_no_longer(client, circle, monkeypatch):
    asked = timezone.now()
    ask_to_join(client, circle)
    ask_to_join(Client(), circle, email="ana@example.org", name="Ana")
    almost_two_hours = asked + timedelta(hours=2, minutes=-1)
    monkeypatch.setattr(timezone, "now", lambda: almost_two_hours)
    assert client.post(link(mail.outbox[0])).status_code == 302
    just_past_two_hours = asked + timedelta(hours=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: just_past_two_hours)
    assert Client().post(link(mail.outbox[1])).status_code == 400


def test_a_new_request_leaves_the_links_still_waiting_working(client, circle):
    ask_to_join(client, circle)
    ask_to_join(Client(), circle, email="ana@example.org", name="Ana")
    assert client.post(link(mail.outbox[0])).status_code == 302
    assert Membership.objects.get().user.email == "rosa@example.org"


def test_the_cohorts_models_match_their_migrations():
    """The tests build the tables from the migrations, not from the models: a
    pending join's field changed without its migration would pass them and
    differ in production."""
    try:
        call_command("makemigrations", "cohorts", check=True, dry_run=True, verbosity=0)
    except SystemExit:
        pytest.fail("cohorts' models differ from its migrations: makemigrations")


def test_the_link_works_once(client, circle):
    ask_to_join(client, circle)
    path = link(mail.outbox[0])
    assert client.post(path).status_code == 302
    client.logout()
    assert client.post(path).status_code == 400
    assert Client().post(path).status_code == 400


def test_an_account_made_with_capitals_is_the_one_joined(client, circle):
    """The admin typed the address with capitals; the link is for lower case."""
    existing = UserFactory(email="Rosa@Example.org")
    EmailAddress.objects.create(user=existing, email=existing.email, verified=True)
    ask_to_join(client, circle, email="rosa@example.org")
    response = client.post(link(mail.outbox[0]))
    assert response.status_code == 302
    assert get_user_model().objects.get() == existing
    assert EmailAddress.objects.get().user == existing
    assert Membership.objects.get().user == existing


def test_a_password_change_or_a_login_ends_the_link(client, circle):
    account = UserFactory(email="rosa@example.org")
    EmailAddress.objects.create(user=account, email=account.email, verified=True)
    ask_to_join(client, circle)
    account.set_password("a-new-pass-phrase-77")
    account.save()
    assert client.post(link(mail.outbox[-1])).status_code == 400
    ask_to_join(client, circle)
    Client().force_login(account)
    assert client.post(link(mail.outbox[-1])).status_code == 400
    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", ["is_staff", "is_superuser"])
def test_staff_are_told_to_use_their_password(client, circle, role):
    UserFactory(email="rosa@example.org", **{role: True})
    response = ask_to_join(client, circle)
    assert "Check your inbox" in response.content.decode()  # the same answer
    (message,) = mail.outbox
    assert "/cohorts/join/" not in message.body
    assert "log in with your password" in message.body
    assert "http://testserver/accounts/login/" in message.body
    assert not PendingJoin.objects.filter(token_hash__isnull=False).exists()


@pytest.mark.parametrize("role", [PROGRAM_LEADS, FACILITATORS, "access_admin"])
def test_leads_and_facilitators_are_told_to_use_their_password(client, circle, role):
    """They reach the admin through a group or a permission, not is_staff."""
    ensure_role_groups()
    account = UserFactory(email="rosa@example.org")
    if role == "access_admin":
        account.user_permissions.add(Permission.objects.get(codename="access_admin"))
    else:
        account.groups.add(Group.objects.get(name=role))
    ask_to_join(client, circle)
    (message,) = mail.outbox
    assert "/cohorts/join/" not in message.body
    assert "log in with your password" in message.body
    assert not PendingJoin.objects.exists()


def test_a_link_sent_before_someone_became_staff_does_not_sign_them_in(client, circle):
    account = UserFactory(email="rosa@example.org")
    EmailAddress.objects.create(user=account, email=account.email, verified=True)
    ask_to_join(client, circle)
    get_user_model().objects.filter(pk=account.pk).update(is_superuser=True)
    assert client.post(link(mail.outbox[0])).status_code == 400
    assert client.get("/admin/").status_code == 302


def test_signing_in_goes_through_allauth(client, circle):
    logins = []

    def logged_in(user, **kwargs):
        logins.append(user)

    user_logged_in.connect(logged_in)
    try:
        ask_to_join(client, circle)
        client.post(link(mail.outbox[0]))
    finally:
        user_logged_in.disconnect(logged_in)
    assert [user.email for user in logins] == ["rosa@example.org"]


def test_old_pending_joins_are_purged(client, circle, monkeypatch):
    ask_to_join(client, circle, email="first@example.org")
    client.post(link(mail.outbox[0]))
    ask_to_join(client, circle, email="second@example.org")
    later = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    ask_to_join(client, circle, email="third@example.org")
    assert list(PendingJoin.objects.values_list("email", flat=True)) == [
        "third@example.org"
    ]


def test_one_address_cannot_be_mail_bombed(client, circle):
    answers = [ask_to_join(client, circle) for _ in range(8)]
    assert len(mail.outbox) == 5
    # Throttled or not, the same neutral answer (but for the form's CSRF token).
    pages = {
        re.sub(r'value="[^"]+"', "", answer.content.decode()) for answer in answers
    }
    assert len(pages) == 1 and "Check your inbox" in pages.pop()


def test_tags_and_dots_do_not_make_another_inbox(client, circle, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "send_mail": "5/h/key",
    }
    for number in range(4):
        ask_to_join(client, circle, email=f"rosa.diaz+{number}@gmail.com")
        ask_to_join(client, circle, email=f"rosadiaz+x{number}@GMail.com")
    assert len(mail.outbox) == 5


def test_one_client_cannot_mail_many_addresses(client, circle):
    for number in range(25):
        # Unless a trusted proxy is configured, the header is not believed.
        client.post(
            f"/cohorts/{circle.pk}/join-by-email/",
            {"name": "Rosa", "email": f"person{number}@example.org", "goal": ""},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
        )
    assert len(mail.outbox) == 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_several_clicks_at_once_one_signs_in(home_page):
    circle = CohortPageFactory(parent=home_page)
    ask_to_join(Client(), circle)
    path = link(mail.outbox[0])
    clicks = 4
    barrier = threading.Barrier(clicks)
    statuses = []

    def click():
        try:
            barrier.wait()
            statuses.append(Client().post(path).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [400] * (clicks - 1)
    assert Membership.objects.count() == 1


def connection_lost(*args, **kwargs):
    """What Django raises when PostgreSQL drops the connection mid-request."""
    try:
        raise psycopg.OperationalError("server closed the connection")
    except psycopg.OperationalError as cause:
        raise db.OperationalError(str(cause)) from cause


def test_a_link_whose_use_is_cut_off_halfway_still_works(circle, monkeypatch):
    """The database goes away after the link was spent and the account made,
    before the joining: none of it is kept, and the same link works again."""
    visitor = Client(raise_request_exception=False)
    ask_to_join(visitor, circle)
    path = link(mail.outbox[0])

    with monkeypatch.context() as patched:
        patched.setattr("cohorts.views.join", connection_lost)
        assert visitor.post(path).status_code == 503
    assert not get_user_model().objects.exists()
    assert PendingJoin.objects.usable().exists()
    assert visitor.post(path)["Location"] == circle.url
    assert Membership.objects.get().user.email == "rosa@example.org"


def test_a_join_request_is_not_kept_without_the_task_that_mails_its_link(
    circle, monkeypatch
):
    class Unqueued:
        enqueue = staticmethod(connection_lost)

    monkeypatch.setattr("cohorts.membership.send_join_link_task", Unqueued)
    response = ask_to_join(Client(raise_request_exception=False), circle)
    assert response.status_code == 503
    assert not PendingJoin.objects.exists()
