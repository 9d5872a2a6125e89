"""Certificates as Open Badges 2.0 documents (the official validator runs on
them in tests/browser/test_open_badges.py)."""

import hashlib

import pytest
from django.utils import translation

from learning.models import Certificate
from tests.factories import CohortPageFactory, UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(home_page):
    course = course_with_lessons(home_page, modules=1, lessons=1)
    cohort = CohortPageFactory(parent=home_page, course=course)
    person = UserFactory(email="Rosa.Diaz@Example.org", first_name="Rosa")
    return Certificate.objects.create(
        user=person,
        cohort=cohort,
        course=course,
        code=Certificate.new_code(),
        name="Rosa Diaz",
        course_title=course.title,
        cohort_title=cohort.title,
    )


def test_an_assertion_points_at_its_badge_class_and_issuer(client, certificate):
    assertion = client.get(f"/badges/{certificate.code}.json")
    assert assertion["Content-Type"] == "application/ld+json"
    data = assertion.json()
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion"
    assert data["id"] == f"http://testserver/badges/{certificate.code}.json"
    assert data["verification"] == {"type": "HostedBadge"}
    badge = client.get(data["badge"].removeprefix("http://testserver")).json()
    assert badge["type"] == "BadgeClass"
    assert badge["name"] == certificate.course_title
    assert badge["id"] == data["badge"]
    image = client.get(badge["image"].removeprefix("http://testserver"))
    assert image["Content-Type"] == "image/svg+xml"
    issuer = client.get(badge["issuer"].removeprefix("http://testserver")).json()
    assert issuer["type"] == "Issuer" and issuer["id"] == badge["issuer"]


def test_the_public_assertion_hides_who_earned_it(client, certificate):
    text = client.get(f"/badges/{certificate.code}.json").content.decode()
    assert "rosa" not in text.lower() and "example.org" not in text.lower()
    recipient = client.get(f"/badges/{certificate.code}.json").json()["recipient"]
    salted = "rosa.diaz@example.org" + recipient["salt"]
    assert recipient["hashed"] is True
    assert (
        recipient["identity"] == "sha256$" + hashlib.sha256(salted.encode()).hexdigest()
    )


def test_badge_documents_are_the_same_in_every_language(client, certificate):
    english = client.get(f"/badges/{certificate.code}.json").content
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        spanish = client.get(f"/badges/{certificate.code}.json").content
    assert spanish == english


def test_unknown_codes_and_unpublished_courses_give_404(client, certificate):
    assert client.get("/badges/made-up.json").status_code == 404
    certificate.course.unpublish()
    assert (
        client.get(f"/badges/courses/{certificate.course_id}.json").status_code == 404
    )
    assert client.get(f"/badges/courses/{certificate.course_id}.svg").status_code == 404


def test_the_certificate_pages_link_to_the_badge(client, certificate):
    html = client.get(f"/cohorts/certificates/{certificate.code}/").content.decode()
    assert f"/badges/{certificate.code}.json" in html
