"""How people are named to each other (lms.people) and the youth-safe
defaults of a youth group (cohorts.privacy): no address ever reaches another
participant or the public, and youth groups show first names and initials."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from lms_example_plugin.models import ReadingNote
from lms_grantwriting.models import Assignment, Draft
from lms_grantwriting.work import give_feedback, submit_version

from learning.certificates import issue_if_complete
from learning.models import Certificate, LessonProgress
from lms.plugins import call_each
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    UserFactory,
    course_with_lessons,
)

CERTIFICATE_NAMES = ("cohorts", "0006_certificate_names_without_addresses")
forget_addresses = import_module(
    f"{CERTIFICATE_NAMES[0]}.migrations.{CERTIFICATE_NAMES[1]}"
).forget_addresses

pytestmark = pytest.mark.django_db

NAMELESS = "no-name-yet@example.org"


def member(cohort, role="participant", **user):
    return MembershipFactory(cohort=cohort, role=role, user=UserFactory(**user)).user


@pytest.fixture
def workshop(home_page):
    return CohortPageFactory(parent=home_page, plugins=["grantwriting"])


@pytest.fixture
def youth_workshop(home_page):
    return CohortPageFactory(parent=home_page, plugins=["grantwriting"], is_youth=True)


def shared_draft(cohort, author):
    assignment = Assignment.objects.create(
        cohort=cohort,
        title="Need statement",
        kind=Assignment.Kind.NEED_STATEMENT,
        due_at=timezone.now() + timedelta(days=5),
    )
    version = submit_version(
        assignment, author, text="Our need.", status=Draft.Status.FEEDBACK_REQUESTED
    )
    return version.draft


def test_a_person_without_a_name_is_never_shown_by_address():
    nameless = UserFactory(email=NAMELESS, first_name="", last_name="")
    assert str(nameless) == nameless.display_name == "Member"
    named = UserFactory(first_name="Ana", last_name="Ruiz")
    assert str(named) == "Ana Ruiz"


def test_sign_up_asks_for_a_first_name(client, home_page):
    form = {
        "email": "new@example.org",
        "password1": "a-long-pass-phrase-42",
        "password2": "a-long-pass-phrase-42",
    }
    refused = client.post("/accounts/signup/", form)
    assert refused.status_code == 200 and "first_name" in refused.context["form"].errors
    assert not get_user_model().objects.exists()
    client.post("/accounts/signup/", {**form, "first_name": " Noor "})
    assert get_user_model().objects.get().first_name == "Noor"


def test_peers_see_no_address_of_a_nameless_draft_author(client, workshop):
    author = member(workshop, email=NAMELESS, first_name="", last_name="")
    draft = shared_draft(workshop, author)
    client.force_login(member(workshop))
    assignment_page = client.get(
        reverse("grantwriting:assignment", args=[draft.assignment_id])
    )
    draft_page = client.get(reverse("grantwriting:draft", args=[draft.pk]))
    for response in (assignment_page, draft_page):
        assert response.status_code == 200
        assert NAMELESS not in response.content.decode()
        assert "Member" in response.content.decode()


def test_the_public_certificate_check_shows_no_address(client, home_page):
    holder = UserFactory(email=NAMELESS, first_name="", last_name="")
    circle = CohortPageFactory(parent=home_page)
    # Certificates issued before names were asked for hold the address.
    old = Certificate.objects.create(
        user=holder,
        cohort=circle,
        code="old",
        name=NAMELESS,
        course_title="C",
        cohort_title="T",
    )
    # The models as that migration knew them (Certificate was in cohorts).
    forget_addresses(
        MigrationLoader(connection).project_state(CERTIFICATE_NAMES).apps, None
    )
    page = client.get(f"/cohorts/certificates/{old.code}/").content.decode()
    assert NAMELESS not in page and "A participant completed C" in page


def test_issued_certificates_never_store_an_address(home_page):
    course = course_with_lessons(home_page, modules=1, lessons=1)
    circle = CohortPageFactory(parent=home_page, course=course)
    holder = member(circle, email=NAMELESS, first_name="", last_name="")
    for lesson in course.lessons():
        LessonProgress.objects.create(
            user=holder, cohort=circle, lesson=lesson, status="completed"
        )
    certificate = issue_if_complete(holder, circle)
    assert certificate is not None and NAMELESS not in certificate.name


# Youth groups ----------------------------------------------------------------


def test_youth_group_members_see_first_names_and_no_contact_details(client, home_page):
    circle = CohortPageFactory(parent=home_page, is_youth=True)
    young = member(circle, first_name="Lia", last_name="Youngsurname")
    peer = member(circle)
    facilitator = member(circle, role="facilitator")
    client.force_login(peer)
    page = client.get(reverse("cohorts:members", args=[circle.pk])).content.decode()
    assert "Lia" in page and "Youngsurname" not in page and young.email not in page
    client.force_login(facilitator)
    page = client.get(reverse("cohorts:members", args=[circle.pk])).content.decode()
    assert "Lia Youngsurname" in page and young.email in page


def test_an_adult_group_shows_full_names_but_still_no_addresses(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    adult = member(circle, first_name="Rosa", last_name="Fullname")
    client.force_login(member(circle))
    page = client.get(reverse("cohorts:members", args=[circle.pk])).content.decode()
    assert "Rosa Fullname" in page and adult.email not in page


def test_youth_group_peers_see_a_draft_authors_first_name_only(client, youth_workshop):
    author = member(youth_workshop, first_name="Lia", last_name="Youngsurname")
    draft = shared_draft(youth_workshop, author)
    client.force_login(member(youth_workshop))
    for url in (
        reverse("grantwriting:assignment", args=[draft.assignment_id]),
        reverse("grantwriting:draft", args=[draft.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Lia" in page and "Youngsurname" not in page
    client.force_login(member(youth_workshop, role="facilitator"))
    page = client.get(reverse("grantwriting:draft", args=[draft.pk])).content.decode()
    assert "Lia Youngsurname" in page


def test_youth_feedback_e_mail_names_the_peer_by_first_name(
    youth_workshop, django_capture_on_commit_callbacks
):
    author = member(youth_workshop)
    peer = member(youth_workshop, first_name="Lia", last_name="Youngsurname")
    draft = shared_draft(youth_workshop, author)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        give_feedback(draft, peer, "Good start.")
    sent = [m for m in mail.outbox if author.email in m.to]
    assert sent and "Lia" in sent[0].body and "Youngsurname" not in sent[0].body


def test_a_youth_certificate_shows_initials_to_the_public(client, home_page):
    circle = CohortPageFactory(parent=home_page, is_youth=True)
    holder = member(circle, first_name="Lia", last_name="Youngsurname")
    Certificate.objects.create(
        user=holder,
        cohort=circle,
        code="youth",
        name="Lia Youngsurname",
        course_title="C",
        cohort_title="T",
    )
    page = client.get("/cohorts/certificates/youth/").content.decode()
    assert "L. Y. completed C" in page and "Lia" not in page


@pytest.mark.parametrize("group", ["adult", "deleted"])
def test_an_adult_or_deleted_groups_certificate_shows_the_full_name(
    client, home_page, group
):
    """Only a youth group's certificate is cut to initials: one of an adult
    group, or of a group since deleted, names its holder in full."""
    circle = CohortPageFactory(parent=home_page, is_youth=False)
    holder = member(circle, first_name="Ana", last_name="Adultsurname")
    Certificate.objects.create(
        user=holder,
        cohort=None if group == "deleted" else circle,
        code="adult",
        name="Ana Adultsurname",
        course_title="C",
        cohort_title="T",
    )
    page = client.get("/cohorts/certificates/adult/").content.decode()
    assert "Ana Adultsurname completed C" in page


def test_the_example_plugins_report_lists_the_groups_members_by_name(home_page):
    circle = CohortPageFactory(parent=home_page)
    writer = member(circle, first_name="Rosa", last_name="Reader", email=NAMELESS)
    ReadingNote.objects.create(user=writer, text="Chapter one")
    ReadingNote.objects.create(user=writer, text="Chapter two")
    outsider = UserFactory(first_name="Olga", last_name="Outside")
    ReadingNote.objects.create(user=outsider, text="Elsewhere")
    [answer] = call_each("lms_reports", plugins=["example"], cohort=circle)
    [report] = answer.value
    assert "e-mail" not in " ".join(map(str, report.columns)).lower()
    assert [row[:2] for row in report.rows] == [["Rosa Reader", 2]]
    assert NAMELESS not in str(report.rows) and "Olga" not in str(report.rows)
