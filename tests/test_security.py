import logging
import os
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404
from django.urls import reverse
from wagtail.models import PageViewRestriction

from calendars.models import CalendarFeed
from cohorts.group_pages import plugin_space
from cohorts.models import Membership
from cohorts.permissions import viewable_groups
from notifications.emails import answer_token
from tests.factories import (
    CohortPageFactory,
    DocumentFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
)
from tests.helpers import restrict_to, run_python

pytestmark = pytest.mark.django_db


def test_public_pages_get_a_strict_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_admin_gets_the_relaxed_policy_it_needs(client, home_page):
    client.force_login(UserFactory(is_superuser=True))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy


def test_public_pages_load_no_inline_styles_or_scripts(client, demo_site):
    html = client.get("/").content.decode()
    assert "<style" not in html and "style=" not in html
    assert "<script>" not in html


def test_documents_are_served_only_through_wagtails_view(client, home_page, settings):
    settings.DEBUG = True  # the dev media route exists only with DEBUG
    document = DocumentFactory(title="Report")
    assert client.get(document.url).status_code == 200
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404


LONG_KEY = "x" * 30 + "-not-a-real-key-but-long-enough-0123456789"


def run_with_production_settings(*args: str, secret_key: str, **env: str):
    return run_python(
        "manage.py",
        *args,
        env={
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "learning.example.org",
            "DATABASE_URL": "sqlite:////tmp/lms-check-deploy.sqlite3",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            **env,
        },
    )


@pytest.mark.backend_independent
def test_production_settings_pass_check_deploy():
    result = run_with_production_settings(
        "check", "--deploy", "--fail-level", "WARNING", secret_key=LONG_KEY
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.backend_independent
def test_check_deploy_asks_for_a_shared_cache():
    result = run_with_production_settings(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        secret_key=LONG_KEY,
        CACHE_URL="locmemcache://",
    )
    assert result.returncode != 0
    assert "lms.W001" in result.stdout + result.stderr


@pytest.mark.backend_independent
def test_kept_pages_can_have_a_redis_of_their_own():
    """PAGES_CACHE_URL gives the page and catalogue caches memory of their
    own, so pages cannot push the rate-limit counters out of Redis."""
    show = (
        "from django.conf import settings as s; "
        "print(*(s.CACHES[a]['LOCATION'] for a in ('default', 'pages', 'catalogue')))"
    )

    def locations(**env):
        found = run_with_production_settings(
            "shell", "--no-imports", "-c", show, secret_key=LONG_KEY, **env
        )
        assert found.returncode == 0, found.stderr
        return found.stdout.split()

    own = "redis://127.0.0.1:6379/5"
    assert locations(PAGES_CACHE_URL=own) == ["redis://127.0.0.1:6379/1", own, own]
    assert locations() == ["redis://127.0.0.1:6379/1"] * 3


@pytest.mark.backend_independent
def test_production_refuses_a_short_secret_key():
    result = run_with_production_settings("check", secret_key="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


@pytest.mark.backend_independent
def test_dev_settings_are_safe_defaults():
    from lms.settings import base

    assert base.DEBUG is False
    assert base.SECRET_KEY == "" or "SECRET_KEY" in os.environ
    assert base.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert base.WAGTAIL_GRAVATAR_PROVIDER_URL is None


@pytest.fixture
def staff_only_circle(home_page):
    """A group whose page Wagtail's privacy settings keep to one user group."""
    circle = CohortPageFactory(parent=home_page, plugins=["coaching"])
    staff = Group.objects.create(name="Staff only")
    restriction = PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(staff)
    return circle, staff


def test_a_groups_only_page_refuses_a_signed_in_outsider_without_a_loop(
    client, staff_only_circle
):
    """Wagtail sends whoever a groups-only page refuses to the log-in page,
    which sends someone already signed in straight back to the page."""
    circle, staff = staff_only_circle
    to_log_in = client.get(circle.url)
    assert to_log_in.status_code == 302
    assert to_log_in.url.startswith("/accounts/login/")
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(to_log_in.url).status_code == 302  # back to the page
    refused = client.get(circle.url)
    assert refused.status_code == 403
    assert "Location" not in refused
    outsider.groups.add(staff)
    assert client.get(circle.url).status_code == 200


def test_a_private_group_pages_views_honour_its_privacy(client, staff_only_circle):
    circle, staff = staff_only_circle
    session = SessionFactory(cohort=circle)
    member = MembershipFactory(cohort=circle, role="facilitator").user
    outsider = UserFactory()
    ics = reverse("cohorts:session_ics", args=[session.pk])
    assert client.get(ics).status_code == 403
    assert (
        client.get(reverse("cohorts:join_by_email", args=[circle.pk])).status_code
        == 403
    )

    client.force_login(outsider)
    refused = client.get(circle.url)  # not Wagtail's log-in, which loops
    assert refused.status_code == 403
    assert "You do not have access to this page" in refused.content.decode()
    assert client.post(reverse("cohorts:join", args=[circle.pk])).status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()
    assert client.get(ics).status_code == 403

    client.force_login(member)
    for url in (
        reverse("cohorts:dashboard", args=[circle.pk]),
        reverse("cohorts:reports", args=[circle.pk]),
        reverse("cohorts:attendance_report", args=[circle.pk]),
        reverse("cohorts:attendance", args=[session.pk]),
    ):
        assert client.get(url).status_code == 403, url
    rsvp = reverse("cohorts:rsvp", args=[session.pk])
    assert client.post(rsvp, {"answer": "going"}).status_code == 403
    group_feed = reverse(
        "cohorts:cohort_calendar_feed", args=[CalendarFeed.issue(member), circle.pk]
    )
    assert client.get(group_feed).status_code == 404
    with pytest.raises(Http404):
        plugin_space(member, circle.pk, "coaching")

    member.groups.add(staff)
    assert client.get(reverse("cohorts:dashboard", args=[circle.pk])).status_code == 200
    assert client.get(group_feed).status_code == 200
    assert plugin_space(member, circle.pk, "coaching")[0] == circle


def test_a_password_protected_group_asks_for_the_password_first(client, home_page):
    circle = CohortPageFactory(parent=home_page, course=course_with_lessons(home_page))
    restriction = PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    member = MembershipFactory(cohort=circle).user
    client.force_login(member)
    course = reverse("cohorts:course", args=[circle.pk])
    assert client.get(course).status_code == 403
    client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, circle.pk]
        ),
        {"password": "open", "return_url": circle.url},
    )
    assert client.get(course).status_code == 200


def proxy_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "lms.middleware" and record.levelno == logging.WARNING
    ]


def test_a_proxy_the_settings_do_not_trust_is_warned_about_once(
    client, home_page, settings, caplog
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    caplog.set_level(logging.WARNING, logger="lms.middleware")
    client.get("/")
    assert proxy_warnings(caplog) == []  # no proxy in front
    for address in ("203.0.113.5", "198.51.100.7"):
        client.get("/", headers={"x-forwarded-for": address})
    (warning,) = proxy_warnings(caplog)
    assert "TRUSTED_PROXY_COUNT" in warning and "127.0.0.1" in warning


def test_a_trusted_proxy_is_not_warned_about(client, home_page, settings, caplog):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.WARNING, logger="lms.middleware")
    client.get("/", headers={"x-forwarded-for": "203.0.113.5"})
    assert proxy_warnings(caplog) == []


def test_a_groups_password_typed_in_the_browser_opens_its_plugin_pages_and_answer_links(
    client, home_page
):
    """Plugin pages and links from e-mail are judged with the browser's
    session: once the group's password is typed, they open like the page.
    Without a browser session (hooks, feeds) the group stays closed."""
    circle = CohortPageFactory(parent=home_page, plugins=["coaching", "grantwriting"])
    restriction = PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    member = MembershipFactory(cohort=circle).user
    session = SessionFactory(cohort=circle)
    client.force_login(member)
    answer = reverse("cohorts:answer_by_link", args=[answer_token(session, member)])
    plugin_pages = [
        reverse("coaching:group", args=[circle.pk]),
        reverse("grantwriting:workshop", args=[circle.pk]),
    ]
    for url in plugin_pages:
        assert client.get(url).status_code == 404, url
    assert client.get(answer).status_code == 403
    assert client.post(answer, {"answer": "going"}).status_code == 403
    assert not session.rsvps.exists()

    client.post(
        reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, circle.pk]
        ),
        {"password": "open", "return_url": circle.url},
    )
    for url in plugin_pages:
        assert client.get(url).status_code == 200, url
    assert client.get(answer).status_code == 200
    client.post(answer, {"answer": "going"})
    assert session.rsvps.get().user == member
    with pytest.raises(Http404):
        plugin_space(member, circle.pk, "coaching")  # no browser session


def test_viewable_groups_are_those_whose_pages_admit_the_person(
    home_page, django_assert_num_queries
):
    """As Wagtail judges each page: login restrictions admit signed-in people
    only, groups restrictions their groups' members, password restrictions
    whoever typed the password in this browser; unpublished groups nobody."""
    person = UserFactory()
    groups = {
        name: CohortPageFactory(parent=home_page, title=name)
        for name in ("open", "login", "board", "password", "unpublished")
    }
    groups["unpublished"].unpublish()
    PageViewRestriction.objects.create(
        page=groups["login"], restriction_type=PageViewRestriction.LOGIN
    )
    restrict_to(groups["board"], person)
    password = PageViewRestriction.objects.create(
        page=groups["password"], restriction_type=PageViewRestriction.PASSWORD
    )
    browser = SimpleNamespace(
        session={
            PageViewRestriction.passed_view_restrictions_session_key: [password.pk]
        }
    )

    def viewable(user, request=None) -> set[str]:
        with django_assert_num_queries(1):
            return {group.title for group in viewable_groups(user, request)}

    assert viewable(person) == {"open", "login", "board"}
    assert viewable(person, browser) == {"open", "login", "board", "password"}
    assert viewable(UserFactory()) == {"open", "login"}
    assert viewable(AnonymousUser()) == {"open"}
