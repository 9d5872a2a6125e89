"""`/api/v1/` and the personal access tokens it is used with (#26)."""

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import APIToken, PageViewRestriction

from api.auth import TokenAuth
from api.models import TokenTerms
from api.tokens import create_token
from cohorts.models import CatalogueIndexPage, CohortPage, Membership, Program
from scheduling.models import RSVP, Session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tools.openapi import DOCUMENT, openapi_text

pytestmark = pytest.mark.django_db
TOKENS = "/accounts/api-tokens/"


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def made_on_the_site(client: Client, **fields) -> str:
    answer = client.post(
        TOKENS, {"name": "Our CRM", "scope": "read", "days": "90", **fields}
    )
    assert answer.status_code == 200
    found = re.search(r'<code class="token">([^<]+)</code>', answer.content.decode())
    assert found, "the new token is shown"
    return found.group(1)


def test_a_person_makes_a_token_sees_it_once_uses_it_and_revokes_it(home_page):
    person = UserFactory(email="ana@example.org")
    MembershipFactory(
        user=person, cohort=CohortPageFactory(parent=home_page, title="Budget circle")
    )
    client = Client()
    client.force_login(person)
    assert "You have no token." in client.get(TOKENS).content.decode()
    plaintext = made_on_the_site(client)
    # Only a digest is kept; the list shows its name and start, never all of it.
    stored = APIToken.objects.get(user=person)
    assert plaintext not in {stored.key_hash, stored.prefix}
    listing = client.get(TOKENS).content.decode()
    assert (
        "Our CRM" in listing and stored.prefix in listing and plaintext not in listing
    )
    assert "never used" in listing

    app = Client()
    me = app.get("/api/v1/me", **bearer(plaintext))
    assert me.status_code == 200
    assert me.json()["email"] == "ana@example.org"
    groups = app.get("/api/v1/me/memberships", **bearer(plaintext)).json()
    assert groups["count"] == 1 and groups["items"][0]["group"] == "Budget circle"
    assert "last used" in client.get(TOKENS).content.decode()

    # Someone else cannot revoke it; its owner can, and then it no longer works.
    other = Client()
    other.force_login(UserFactory())
    assert other.post(f"{TOKENS}{stored.pk}/revoke/").status_code == 404
    assert app.get("/api/v1/me", **bearer(plaintext)).status_code == 200
    assert client.post(f"{TOKENS}{stored.pk}/revoke/").status_code == 302
    refused = app.get("/api/v1/me", **bearer(plaintext))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert "Our CRM" not in client.get(TOKENS).content.decode()


def test_bad_input_on_the_token_form_is_a_message_and_makes_nothing():
    client = Client()
    client.force_login(UserFactory())
    for fields, message in (
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"name": "crm\x00"}, "Null characters are not allowed."),
        ({"scope": "admin"}, "Select a valid choice."),
        ({"days": "10000"}, "Select a valid choice."),
    ):
        data = {"name": "CRM", "scope": "read", "days": "90", **fields}
        answer = client.post(TOKENS, data)
        assert answer.status_code == 200 and message in answer.content.decode()
    assert not APIToken.objects.exists()
    assert Client().get(TOKENS).status_code == 302  # to log in


def test_a_token_keeps_to_its_terms():
    person = UserFactory()
    token, plaintext = create_token(person, "App", TokenTerms.Scope.READ, 30)
    asked = RequestFactory()
    auth = TokenAuth()
    request = asked.get("/api/v1/me", **bearer(plaintext))
    assert auth(request) == token
    # A read-only token may not write.
    with pytest.raises(PermissionDenied):
        auth(asked.post("/api/v1/me", **bearer(plaintext)))
    writer, written = create_token(person, "Sync", TokenTerms.Scope.WRITE, 30)
    assert auth(asked.post("/api/v1/me", **bearer(written))) == writer
    # Expired, it is no one's.
    TokenTerms.objects.filter(token=token).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get("/api/v1/me", **bearer(plaintext)).status_code == 401
    for wrong in ("wagtail_nonsense", "", plaintext + "x"):
        assert Client().get("/api/v1/me", **bearer(wrong)).status_code == 401
    # An inactive person's token is no one's either.
    person.is_active = False
    person.save()
    assert Client().get("/api/v1/me", **bearer(written)).status_code == 401


def test_errors_are_problem_details_naming_what_was_wrong():
    client = Client()
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "Authentication required",
    }
    invalid = client.get("/api/v1/programs?limit=many")
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["loc"] == ["query", "limit"]
    too_many = client.get("/api/v1/programs?limit=1000")
    assert too_many.status_code == 400
    assert "limit cannot be higher than 20" in too_many.json()["detail"]


def test_the_site_s_own_session_reads_a_person_s_data():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(first_name="Rosa"))
    assert client.get("/api/v1/me").json()["first_name"] == "Rosa"


def test_lists_cost_the_same_queries_for_ten_and_a_thousand(home_page):
    person = UserFactory()
    _token, plaintext = create_token(person, "App", TokenTerms.Scope.READ, 30)
    app = Client()

    def counted() -> list[int]:
        counts = []
        for url in ("/api/v1/programs", "/api/v1/me/memberships"):
            app.get(url, **bearer(plaintext))  # the site's lookups kept
            with CaptureQueriesContext(connection) as queries:
                assert app.get(url, **bearer(plaintext)).status_code == 200
            counts.append(len(queries))
        return counts

    def add(number: int, start: int) -> None:
        Program.objects.bulk_create(
            Program(name=f"Program {n}", slug=f"p{n}")
            for n in range(start, start + number)
        )
        for _ in range(number // 100 or 1):
            MembershipFactory(user=person, cohort=CohortPageFactory(parent=home_page))

    add(10, 0)
    with_ten = counted()
    add(990, 10)
    assert counted() == with_ten


def test_the_committed_openapi_document_is_the_api_s():
    served = Client().get("/api/v1/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    committed = DOCUMENT.read_text(encoding="utf-8")
    assert committed == openapi_text(), (
        "docs/openapi.json is out of date: run tools/openapi.py"
    )
    assert json.loads(committed) == served
    docs = Client().get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr" not in docs and "/static/ninja/" in docs


def test_groups_are_the_catalogue_s_with_its_filters(home_page):
    home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )
    circle = CohortPageFactory(parent=home_page, title="Budget circle", kind="circle")
    CohortPageFactory(parent=home_page, title="Budget training", kind="training")
    private = CohortPageFactory(parent=home_page, title="Board circle", kind="circle")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    CohortPageFactory(
        parent=home_page, title="Full circle", kind="circle", signup_open=False
    )
    client = Client()
    listed = client.get("/api/v1/groups").json()
    assert sorted(group["title"] for group in listed["items"]) == [
        "Budget circle",
        "Budget training",
    ]
    circles = client.get("/api/v1/groups?kind=circle").json()
    assert [group["id"] for group in circles["items"]] == [circle.pk]
    assert circles["items"][0]["url"] == circle.full_url
    # Signed in, a private group is still not listed (the catalogue's rule).
    client.force_login(UserFactory(is_superuser=True))
    assert "Board circle" not in client.get("/api/v1/groups").content.decode()
    wrong = Client().get("/api/v1/groups?kind=nonsense&day=9")
    assert wrong.status_code == 422
    assert {tuple(error["loc"]) for error in wrong.json()["errors"]} == {
        ("query", "kind"),
        ("query", "day"),
    }


def test_the_list_of_groups_costs_the_same_queries_for_ten_and_a_hundred(home_page):
    def add(number: int) -> None:
        for _ in range(number):
            group = CohortPageFactory(parent=home_page, kind="circle")
            SessionFactory(cohort=group)

    def counted() -> int:
        Client().get("/api/v1/groups")  # the site's lookups kept
        with CaptureQueriesContext(connection) as queries:
            assert Client().get("/api/v1/groups?kind=circle").status_code == 200
        return len(queries)

    add(10)
    with_ten = counted()
    add(90)
    assert counted() == with_ten


def test_too_many_requests_are_refused_with_when_to_try_again(settings):
    cache.clear()  # no count left from another test
    settings.API_RATE_LIMIT = "3/min"
    settings.API_ANONYMOUS_RATE_LIMIT = "2/min"
    anonymous = Client()
    assert [anonymous.get("/api/v1/programs").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    refused = anonymous.get("/api/v1/programs")
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # A person has their own count, beyond the address's: all their tokens
    # and their session together, whatever the tokens or the person are named.
    person, someone_else = UserFactory(first_name=""), UserFactory(first_name="")
    tokens = [
        create_token(person, "App", TokenTerms.Scope.READ, 30)[1] for _ in range(2)
    ]
    app = Client()
    answers = [
        app.get("/api/v1/me", **bearer(tokens[number % 2])).status_code
        for number in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    assert app.get("/api/v1/programs", **bearer(tokens[0])).status_code == 429
    browser = Client()
    browser.force_login(someone_else)
    assert browser.get("/api/v1/me").status_code == 200
    # Failed attempts count as the address's: guessing tokens is as slow.
    cache.clear()
    guesses = [
        Client().get("/api/v1/me", **bearer(f"guess-{number}")).status_code
        for number in range(3)
    ]
    assert guesses == [401, 401, 429]
    # A write ends at the session's CSRF check, not the 401: counted as well.
    cache.clear()
    browser = Client(enforce_csrf_checks=True)
    writes = [
        browser.delete("/api/v1/me/calendar", **bearer(f"guess-{n}")).status_code
        for n in range(3)
    ]
    assert writes == [403, 403, 429], writes


def test_a_group_s_sessions_show_their_address_to_those_the_page_shows_it_to(home_page):
    group = CohortPageFactory(parent=home_page, time_zone="America/Los_Angeles")
    first = SessionFactory(cohort=group, address="12 Hidden Lane")
    SessionFactory(cohort=group, starts_at=first.starts_at + timedelta(days=7))
    going, other = UserFactory(), UserFactory()
    for person in (going, other):
        MembershipFactory(cohort=group, user=person)
    RSVP.objects.create(session=first, user=going, status=RSVP.Status.GOING)
    facilitator = MembershipFactory(cohort=group, role="facilitator").user
    url = f"/api/v1/groups/{group.pk}/sessions"

    def addresses(person) -> list:
        client = Client()
        if person is not None:
            client.force_login(person)
        answer = client.get(url)
        assert answer.status_code == 200
        return [session["address"] for session in answer.json()["items"]]

    listed = Client().get(url).json()["items"]
    assert listed[0]["time_zone"] == "America/Los_Angeles"
    assert listed[0]["starts_local"].endswith(("-08:00", "-07:00"))
    assert addresses(None) == [None, None]
    assert addresses(other) == [None, None]
    assert addresses(going) == ["12 Hidden Lane", None]
    assert addresses(facilitator)[0] == "12 Hidden Lane"
    # A private group is not found by those it is private from.
    PageViewRestriction.objects.create(page=group, restriction_type="login")
    assert Client().get(url).status_code == 404
    assert addresses(other) == [None, None]
    assert Client().get("/api/v1/groups/999999/sessions").status_code == 404


def test_a_member_answers_a_session_with_a_token_that_may_write(home_page):
    group = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=group, capacity=1)
    member, second, stranger = UserFactory(), UserFactory(), UserFactory()
    for person in (member, second):
        MembershipFactory(cohort=group, user=person)
    url = f"/api/v1/sessions/{session.pk}/rsvp"

    def put(person, answer, scope=TokenTerms.Scope.WRITE):
        _token, plaintext = create_token(person, "App", scope, 30)
        return Client().put(
            url,
            {"answer": answer},
            content_type="application/json",
            **bearer(plaintext),
        )

    answered = put(member, "going")
    assert answered.status_code == 200
    assert answered.json() == {"session_id": session.pk, "status": "going"}
    assert put(second, "going").json()["status"] == "waitlisted"  # one seat
    # A token that may only read, someone not in the group, a wrong answer.
    assert put(member, "declined", TokenTerms.Scope.READ).status_code == 403
    assert RSVP.objects.get(user=member).status == "going"
    assert put(stranger, "going").status_code == 403
    wrong = put(member, "perhaps")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"][-1] == "answer"
    # A session of a group the person may not see is not found.
    PageViewRestriction.objects.create(
        page=group, restriction_type="password", password="board"
    )
    assert put(member, "maybe").status_code == 404
    PageViewRestriction.objects.all().delete()
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    cancelled = put(member, "maybe")
    assert cancelled.status_code == 409
    assert "cancelled" in cancelled.json()["detail"]
    # The site's own session must send its CSRF token to write.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    refused = browser.put(url, {"answer": "maybe"}, content_type="application/json")
    assert refused.status_code in (401, 403)


def test_a_person_joins_and_leaves_a_group_with_a_token_that_may_write(home_page):
    group = CohortPageFactory(parent=home_page, capacity=1)
    first, second = UserFactory(), UserFactory()
    url = f"/api/v1/me/memberships/{group.pk}"

    def call(method, person, scope=TokenTerms.Scope.WRITE, **body):
        _token, plaintext = create_token(person, "App", scope, 30)
        return getattr(Client(), method)(
            url, body, content_type="application/json", **bearer(plaintext)
        )

    joined = call("put", first, goal="  Read a budget  ")
    assert joined.status_code == 200
    assert joined.json() | {"joined_at": None} == {
        "group_id": group.pk,
        "group": group.title,
        "role": "participant",
        "status": "active",
        "joined_at": None,
    }
    assert call("put", second).json()["status"] == "waitlisted"  # one place
    # Again: the same membership, even once sign-up has closed.
    CohortPage.objects.filter(pk=group.pk).update(signup_open=False)
    assert call("put", first).json()["status"] == "active"
    assert Membership.objects.filter(cohort=group, user=first).count() == 1
    assert Membership.objects.get(user=first).goal == "Read a budget"
    closed = call("put", UserFactory())
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    CohortPage.objects.filter(pk=group.pk).update(signup_open=True)
    # A read-only token, a control character, a group the person may not see.
    assert call("put", UserFactory(), TokenTerms.Scope.READ).status_code == 403
    nul = call("put", UserFactory(), goal="a\x00b")
    assert nul.status_code == 422 and nul.json()["errors"][0]["loc"][-1] == "goal"
    PageViewRestriction.objects.create(
        page=group, restriction_type="password", password="board"
    )
    assert call("put", UserFactory()).status_code == 404
    # Leaving: a member may leave whatever the page allows now; the place
    # goes to the person waiting; leaving again, or a stranger, is not found.
    assert call("delete", first, TokenTerms.Scope.READ).status_code == 403
    left = call("delete", first)
    assert left.status_code == 204 and left.content == b""
    assert Membership.objects.get(user=first).status == "left"
    assert Membership.objects.get(user=second).status == "active"
    assert call("delete", first).status_code == 404
    stranger = call("delete", UserFactory())
    assert stranger.status_code == 404
    assert stranger.json()["detail"] == "You are not in this group."
    # The same for no group at all: a private group is not known to exist.
    _token, plaintext = create_token(UserFactory(), "App", TokenTerms.Scope.WRITE, 30)
    nothing = Client().delete("/api/v1/me/memberships/999999", **bearer(plaintext))
    assert (nothing.status_code, nothing.json()) == (404, stranger.json())
    # Who left joins again like anyone new (the place is taken now).
    PageViewRestriction.objects.all().delete()
    assert call("put", first).json()["status"] == "waitlisted"
    assert Client().delete(url).status_code == 401
