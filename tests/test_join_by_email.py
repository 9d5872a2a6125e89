import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.utils import timezone

from cohorts.models import Membership
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


def test_existing_account_is_reused_and_not_revealed(client, circle):
    existing = UserFactory(email="rosa@example.org")
    response = ask_to_join(client, circle)
    assert "Check your inbox" in response.content.decode()
    client.post(link(mail.outbox[0]))
    assert get_user_model().objects.count() == 1
    assert Membership.objects.get().user == existing
    assert existing.has_usable_password()  # their password still works


def test_expired_or_forged_links_get_a_clear_400(client, circle, monkeypatch):
    ask_to_join(client, circle)
    path = link(mail.outbox[0])
    later = timezone.now() + timedelta(days=4)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
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
