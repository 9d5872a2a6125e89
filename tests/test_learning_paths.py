"""Learning paths: courses in order, prerequisites enforced when joining."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    streamfield,
)

from cohorts.models import (
    CatalogueIndexPage,
    LearningPathPage,
    LearningPathStep,
    Membership,
)
from learning.models import Certificate
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(home_page):
    """Basics, then Budgets (needs Basics), then Reporting (needs Budgets)."""
    basics, budgets, reporting = (
        course_with_lessons(home_page, modules=1, lessons=1) for _ in range(3)
    )
    for course, title in (
        (basics, "Basics"),
        (budgets, "Budgets"),
        (reporting, "Reporting"),
    ):
        course.title = title
        course.save()
    budgets.prerequisites.set([basics])
    budgets.save()
    reporting.prerequisites.set([budgets])
    reporting.save()
    return basics, budgets, reporting


@pytest.fixture
def catalogue(home_page):
    return home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="find-a-group")
    )


def certify(user, course):
    return Certificate.objects.create(
        user=user,
        course=course,
        code=Certificate.new_code(),
        name=user.email,
        course_title=course.title,
        cohort_title="Earlier group",
    )


def make_path(catalogue, courses, title="Ready to apply"):
    path = LearningPathPage(title=title, slug=title.lower().replace(" ", "-"))
    for order, course in enumerate(courses):
        path.steps.add(LearningPathStep(course=course, sort_order=order))
    catalogue.add_child(instance=path)
    return path


def test_a_course_cannot_need_itself_or_close_a_circle(courses):
    basics, _, reporting = courses
    basics.prerequisites.set([basics])
    with pytest.raises(ValidationError, match="before itself"):
        basics.full_clean()
    basics.prerequisites.set([reporting])  # reporting needs budgets needs basics
    with pytest.raises(ValidationError, match="circle"):
        basics.full_clean()
    basics.prerequisites.set([])
    basics.full_clean()


def test_joining_waits_for_the_courses_that_come_first(client, home_page, courses):
    basics, budgets, _ = courses
    group = CohortPageFactory(parent=home_page, course=budgets, title="Budgets circle")
    person = UserFactory()
    client.force_login(person)
    page = client.get(group.url).content.decode()
    assert "Complete these first: Basics" in page
    assert f'action="{reverse("cohorts:join", args=[group.pk])}"' not in page

    response = client.post(reverse("cohorts:join", args=[group.pk]), follow=True)
    assert response.status_code == 200
    assert "Complete these first: Basics" in response.content.decode()
    assert not Membership.objects.filter(user=person, cohort=group).exists()

    certify(person, basics)
    client.post(reverse("cohorts:join", args=[group.pk]))
    assert Membership.objects.get(user=person, cohort=group).status == "active"


def test_a_path_shows_where_each_person_stands(client, home_page, courses, catalogue):
    basics, budgets, reporting = courses
    path = make_path(catalogue, courses)
    budgets_group = CohortPageFactory(
        parent=home_page, course=budgets, title="Spring budgets"
    )
    CohortPageFactory(parent=home_page, course=reporting, signup_open=False)
    person = UserFactory()
    certify(person, basics)
    client.force_login(person)
    html = client.get(path.url).content.decode()
    assert html.count("Completed") == 1
    assert "Ready for you" in html and "Spring budgets" in html
    assert "Not open to you yet" in html and "Complete first: Budgets" in html
    assert "No group is taking this course right now." in html  # reporting is closed

    MembershipFactory(cohort=budgets_group, user=person)
    html = client.get(path.url).content.decode()
    assert "In progress" in html and "Ready for you" not in html

    client.logout()
    html = client.get(path.url).content.decode()
    assert "Completed" not in html and "Ready for you" not in html

    # The same number of queries for a path of three courses and of six.
    client.force_login(person)
    client.get(path.url)
    with CaptureQueriesContext(connection) as three:
        client.get(path.url)
    longer = make_path(
        catalogue,
        [*courses, *(course_with_lessons(home_page, 1, 1) for _ in range(3))],
        title="Longer",
    )
    client.get(longer.url)
    with CaptureQueriesContext(connection) as six:
        client.get(longer.url)
    assert len(six) == len(three)


def test_the_catalogue_lists_paths(client, courses, catalogue):
    make_path(catalogue, courses)
    assert "Ready to apply" in client.get(catalogue.url).content.decode()


def test_a_lead_cannot_put_a_course_before_what_it_needs(
    admin_client, courses, catalogue
):
    basics, budgets, _ = courses

    def post(order):
        data = nested_form_data(
            {
                "title": "Out of order",
                "slug": "out-of-order",
                "body": streamfield([]),
                "steps": inline_formset(
                    [{"course": course.pk, "note": ""} for course in order]
                ),
            }
        )
        url = reverse(
            "wagtailadmin_pages:add",
            args=["cohorts", "learningpathpage", catalogue.pk],
        )
        return admin_client.post(url, data)

    response = post([budgets, basics])
    assert response.status_code == 200  # the form again, with the error
    assert "Budgets needs a course that is not before it in the path." in (
        response.content.decode()
    )
    assert not LearningPathPage.objects.exists()
    assert post([basics, budgets]).status_code == 302
    assert LearningPathPage.objects.get().steps.count() == 2
