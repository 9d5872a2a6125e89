import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone
from wagtail.models import Site

from newsletter.models import Subscriber
from newsletter.tokens import UNSUBSCRIBE_SALT, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_up(client, home_page, django_capture_on_commit_callbacks):
    def sign_up(email="rosa@example.org", language="en", **extra):
        data = {"email": email, "name": "Rosa", "language": language, **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/newsletter/", data)

    return sign_up


def link_in(message, kind: str) -> str:
    return re.search(rf"http://testserver(/\S*/{kind}/\S+/)", message.body).group(1)


def test_sign_up_sends_a_confirmation_link_and_does_not_count_yet(client, sign_up):
    response = sign_up(email="Rosa@Example.org")
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "rosa@example.org"
    assert Subscriber.objects.confirmed().count() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@example.org"]
    assert "/newsletter/confirm/" in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_following_the_link_asks_and_posting_confirms(client, sign_up):
    sign_up()
    confirm_path = link_in(mail.outbox[0], "confirm")
    # Mail scanners fetch links: a GET must not confirm.
    assert client.get(confirm_path).status_code == 200
    assert Subscriber.objects.confirmed().count() == 0
    response = client.post(confirm_path)
    assert "You are subscribed" in response.content.decode()
    assert Subscriber.objects.confirmed().count() == 1


def test_confirmation_link_expires_after_a_week(client, sign_up, monkeypatch):
    sign_up()
    confirm_path = link_in(mail.outbox[0], "confirm")
    later = timezone.now() + timedelta(days=8)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    response = client.post(confirm_path)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert Subscriber.objects.confirmed().count() == 0


@pytest.mark.parametrize("token", ["garbage", "signed-for-another-purpose"])
def test_forged_links_get_a_clear_400(client, sign_up, token):
    if token == "signed-for-another-purpose":
        token = make_token(1, "another.salt")
    for action in ("confirm", "unsubscribe"):
        response = client.post(f"/newsletter/{action}/{token}/")
        assert response.status_code == 400
        assert "Sign up again" in response.content.decode()


def test_unsubscribe_works_without_logging_in(client, sign_up):
    sign_up()
    client.post(link_in(mail.outbox[0], "confirm"))
    unsubscribe_path = link_in(mail.outbox[0], "unsubscribe")
    client.get(unsubscribe_path)
    assert Subscriber.objects.confirmed().count() == 1
    client.post(unsubscribe_path)
    assert Subscriber.objects.confirmed().count() == 0
    assert Subscriber.objects.get().unsubscribed_at is not None


def test_signing_up_again_does_not_reveal_or_resend_to_a_confirmed_address(
    client, sign_up
):
    subscriber = Subscriber.objects.create(
        email="rosa@example.org", confirmed_at=timezone.now()
    )
    response = sign_up()
    assert response["Location"] == "/newsletter/check-your-inbox/"
    assert mail.outbox == []
    assert Subscriber.objects.get().pk == subscriber.pk


def test_someone_who_left_can_come_back(client, sign_up):
    Subscriber.objects.create(
        email="rosa@example.org",
        confirmed_at=timezone.now(),
        unsubscribed_at=timezone.now(),
    )
    sign_up()
    client.post(link_in(mail.outbox[0], "confirm"))
    assert Subscriber.objects.confirmed().count() == 1


def test_bad_input_is_explained_and_nothing_is_stored(client, sign_up):
    response = sign_up(email="not-an-address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    response = sign_up(website="http://spam.example")
    assert response.status_code == 400
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_spanish_sign_up_gets_a_spanish_email(client, sign_up):
    sign_up(language="es")
    assert "Confirme" in mail.outbox[0].subject


def test_unsubscribe_token_never_expires(client, sign_up, monkeypatch):
    subscriber = Subscriber.objects.create(
        email="old@example.org", confirmed_at=timezone.now()
    )
    token = make_token(subscriber.pk, UNSUBSCRIBE_SALT)
    later = timezone.now() + timedelta(days=3650)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    client.post(f"/newsletter/unsubscribe/{token}/")
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None


def test_sign_up_cannot_mail_bomb_an_address(sign_up):
    answers = {sign_up()["Location"] for _ in range(8)}
    assert len(mail.outbox) == 5
    assert answers == {"/newsletter/check-your-inbox/"}  # the same neutral answer


def test_the_admin_export_quotes_names_that_start_like_a_formula(admin_client):
    for number, name in enumerate(["=HYPERLINK()", "\t=HYPERLINK()", "Rosa"]):
        Subscriber.objects.create(email=f"s{number}@example.org", name=name)
    export = admin_client.get("/admin/newsletter_subscribers/?export=csv")
    names = [row[1] for row in csv.reader(io.StringIO(b"".join(export).decode()))]
    assert sorted(names[1:]) == ["'\t=HYPERLINK()", "'=HYPERLINK()", "Rosa"]


def test_a_deleted_site_s_list_joins_the_network_s_once(home_page):
    site = Site.objects.create(hostname="gone.localhost", root_page=home_page)
    Subscriber.objects.create(email="both@example.org")
    Subscriber.objects.create(email="both@example.org", site=site)
    Subscriber.objects.create(email="only@example.org", site=site)
    site.delete()
    assert sorted(
        Subscriber.objects.filter(site__isnull=True).values_list("email", flat=True)
    ) == ["both@example.org", "only@example.org"]
