import io

import pytest
from pypdf import PdfReader

from learning.models import Certificate
from learning.progress import complete
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(home_page):
    course = course_with_lessons(home_page, modules=1, lessons=2)
    return CohortPageFactory(parent=home_page, course=course, title="Spring circle")


def finish(person, circle):
    for lesson in circle.course.lessons():
        complete(person, circle, lesson)


def test_completing_every_lesson_issues_one_certificate(client, circle):
    person = MembershipFactory(
        cohort=circle, user=UserFactory(first_name="Ana", last_name="Ruiz")
    ).user
    first, second = circle.course.lessons()
    complete(person, circle, first)
    assert not Certificate.objects.exists()
    complete(person, circle, second)
    complete(person, circle, second)
    certificate = Certificate.objects.get()
    assert (
        certificate.name == "Ana Ruiz" and certificate.cohort_title == "Spring circle"
    )

    client.force_login(person)
    page = client.get(f"/cohorts/{circle.pk}/course/").content.decode()
    assert certificate.code in page
    pdf = client.get(f"/cohorts/certificates/{certificate.code}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Ana Ruiz" in text and "Grantwriting basics" in text
    assert certificate.code in text


def test_anyone_can_verify_but_only_the_owner_downloads(client, circle):
    owner = MembershipFactory(cohort=circle).user
    finish(owner, circle)
    code = Certificate.objects.get().code
    verify = client.get(f"/cohorts/certificates/{code}/")
    assert verify.status_code == 200 and b"This certificate is real." in verify.content
    forged = client.get("/cohorts/certificates/not-a-code/")
    assert (
        forged.status_code == 404 and b"No certificate has the code" in forged.content
    )

    classmate = MembershipFactory(cohort=circle).user
    client.force_login(classmate)
    assert client.get(f"/cohorts/certificates/{code}/pdf/").status_code == 404
    assert code not in client.get(f"/cohorts/{circle.pk}/course/").content.decode()
