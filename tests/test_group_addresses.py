"""Every page of a group lives under /cohorts/<id>/: its members and its
announcements too (once routes of the group's Wagtail page, whose old
addresses now send visitors on for good, asking the page's privacy first)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from notifications.models import Announcement
from tests.factories import CohortPageFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTACT = "dani.contact@example.org"


@pytest.fixture
def group(home_page):
    return CohortPageFactory(parent=home_page, title="Riverside circle", slug="river")


@pytest.fixture
def people(group):
    """Everyone who might ask, by role; Dani Okafor is a participant."""
    Announcement.objects.create(cohort=group, subject="Room change", body="Room 4.")
    return {
        "participant": MembershipFactory(
            cohort=group,
            user__first_name="Dani",
            user__last_name="Okafor",
            user__email=CONTACT,
        ).user,
        "facilitator": MembershipFactory(cohort=group, role="facilitator").user,
        "lead": MembershipFactory(cohort=group, role="lead").user,
        "non-member": UserFactory(),
        "anonymous": None,
    }


def members(group, language: str = "") -> str:
    return f"{language}/cohorts/{group.pk}/members/"


def announcements(group, language: str = "") -> str:
    return f"{language}/cohorts/{group.pk}/announcements/"


def log_in(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)


def test_the_addresses_and_their_names():
    assert reverse("cohorts:members", args=[7]) == "/cohorts/7/members/"
    assert reverse("cohorts:announcements", args=[7]) == "/cohorts/7/announcements/"


@pytest.mark.parametrize(
    ("role", "status", "sees_contact"),
    [
        ("participant", 200, False),
        ("facilitator", 200, True),
        ("lead", 200, True),
        ("non-member", 403, False),
        ("anonymous", 403, False),
    ],
)
def test_members_page_for_each_role(client, group, people, role, status, sees_contact):
    log_in(client, people[role])
    response = client.get(members(group))
    assert response.status_code == status
    html = response.content.decode()
    assert ("Dani Okafor" in html) is (status == 200)
    assert (CONTACT in html) is sees_contact
    if status == 200:
        assert f'<a href="{members(group)}" aria-current="page">Members' in html


@pytest.mark.parametrize(
    ("role", "status", "may_write"),
    [
        ("participant", 200, False),
        ("facilitator", 200, True),
        ("lead", 200, True),
        ("non-member", 403, False),
    ],
)
def test_announcements_page_for_each_role(
    client, group, people, role, status, may_write
):
    log_in(client, people[role])
    response = client.get(announcements(group))
    assert response.status_code == status
    html = response.content.decode()
    assert ("Room change" in html) is (status == 200)
    assert ("Post and e-mail members" in html) is may_write
    if status == 200:
        current = f'<a href="{announcements(group)}" aria-current="page">'
        assert current in html


def test_announcements_send_a_visitor_to_log_in_and_back(client, group, people):
    response = client.get(announcements(group) + "?page=1")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=" + (
        f"/cohorts/{group.pk}/announcements/%3Fpage%3D1"
    )


def test_facilitators_post_at_the_new_address_and_come_back_to_it(
    client, group, people
):
    log_in(client, people["facilitator"])
    response = client.post(announcements(group), {"subject": "Hi", "body": "All."})
    assert response.status_code == 302
    assert response.url == announcements(group)
    log_in(client, people["participant"])
    response = client.post(announcements(group), {"subject": "Hi", "body": "All."})
    assert response.status_code == 403


def test_the_group_page_links_to_the_new_addresses(client, group, people):
    log_in(client, people["participant"])
    html = client.get(group.url).content.decode()
    assert f'href="{members(group)}"' in html
    assert f'href="{announcements(group)}"' in html
    assert f'href="{group.url}members/"' not in html
    assert f'href="{group.url}announcements/"' not in html


def test_youth_group_members_page_shows_others_first_names_only(client, home_page):
    youth = CohortPageFactory(parent=home_page, is_youth=True)
    MembershipFactory(
        cohort=youth,
        user__first_name="Marisol",
        user__last_name="Quintanilla",
        user__email="marisol@example.org",
    )
    participant = MembershipFactory(cohort=youth).user
    facilitator = MembershipFactory(cohort=youth, role="facilitator").user
    client.force_login(participant)
    html = client.get(members(youth)).content.decode()
    assert "Marisol" in html
    assert "Quintanilla" not in html and "marisol@example.org" not in html
    client.force_login(facilitator)
    html = client.get(members(youth)).content.decode()
    assert "Marisol Quintanilla" in html and "marisol@example.org" in html


def test_only_the_methods_each_page_answers(client, group, people):
    log_in(client, people["facilitator"])
    assert client.head(members(group)).status_code == 200
    assert client.post(members(group)).status_code == 405
    assert client.head(announcements(group)).status_code == 200
    assert client.put(announcements(group)).status_code == 405


def test_a_group_that_does_not_exist_is_not_found(client, group, people):
    log_in(client, people["non-member"])
    assert client.get(members(group)).status_code == 403
    assert client.get(announcements(group)).status_code == 403
    assert client.get("/cohorts/999999/members/").status_code == 404
    assert client.get("/cohorts/999999/announcements/").status_code == 404


def test_spanish_pages_and_their_language_links(client, group, people):
    log_in(client, people["participant"])
    html = client.get(members(group, "/es")).content.decode()
    assert '<html lang="es">' in html and "Miembros" in html
    assert f'<a href="{members(group)}" hreflang="en"' in html
    html = client.get(announcements(group, "/es") + "?page=1").content.decode()
    assert f'<a href="{announcements(group)}?page=1" hreflang="en"' in html


@pytest.mark.parametrize("name", ["members", "announcements"])
def test_old_addresses_are_sent_on_for_good_with_query_and_language(
    client, group, people, name
):
    log_in(client, people["participant"])
    response = client.get(f"{group.url}{name}/?page=1&sort=name")
    assert response.status_code == 301
    assert response.url == f"/cohorts/{group.pk}/{name}/?page=1&sort=name"
    response = client.get(f"/es{group.url}{name}/")
    assert response.status_code == 301
    assert response.url == f"/es/cohorts/{group.pk}/{name}/"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("name", ["members", "announcements"])
def test_a_private_groups_old_address_tells_nothing_to_those_it_refuses(
    client, group, people, name
):
    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.GROUPS
    )
    insiders = Group.objects.create(name="Board")
    restriction.groups.add(insiders)
    new_address = f"/cohorts/{group.pk}/{name}/"
    for person in (None, people["non-member"], people["participant"]):
        log_in(client, person)
        response = client.get(f"{group.url}{name}/?page=1")
        if person is None:
            assert response.status_code == 302  # to log in, as Wagtail does
            assert response.url.startswith("/accounts/login/")
            assert str(group.pk) not in response.url
        else:  # signed in already: the log-in page would send them back
            assert response.status_code == 403
            assert "Location" not in response
        # Nor does the new address show what the page's settings refuse.
        response = client.get(new_address)
        if person is None and name == "announcements":
            assert response.url.startswith("/accounts/login/")
        else:
            assert response.status_code == 403
    people["participant"].groups.add(insiders)
    response = client.get(f"{group.url}{name}/?page=1")
    assert response.status_code == 301
    assert response.url == new_address + "?page=1"
    assert client.get(response.url).status_code == 200


def test_a_password_protected_groups_old_address_asks_for_the_password_first(
    client, group, people
):
    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.PASSWORD, password="oak"
    )
    log_in(client, people["participant"])
    response = client.get(f"{group.url}members/")
    assert response.status_code == 200
    assert f"/cohorts/{group.pk}/members/" not in response.content.decode()
    assert client.get(members(group)).status_code == 403
    client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, group.pk]
        ),
        {"password": "oak", "return_url": f"{group.url}members/"},
    )
    response = client.get(f"{group.url}members/")
    assert response.status_code == 301
    assert client.get(response.url).status_code == 200
