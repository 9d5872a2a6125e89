"""Demo data of notifications: an announcement in the grantwriting circle."""

from django.contrib.auth import get_user_model

from cohorts.models import CohortPage
from lms.demo import DemoReport, register
from notifications.models import Announcement


# After the groups (cohorts/demo.py, order 40).
@register(order=45)
def load_announcements(report: DemoReport) -> None:
    circle = CohortPage.objects.filter(
        slug="grantwriting-circle", locale__language_code="en"
    ).first()
    if circle is None or circle.announcements.exists():
        return
    Announcement.objects.create(
        cohort=circle,
        author=get_user_model().objects.filter(email="facilitator@example.org").first(),
        subject="Bring your draft need statement",
        body=(
            "Next week we swap need statements in pairs. Bring a printed copy "
            "if you can; the library printer costs 10 cents a page."
        ),
    )
    report.made("grantwriting circle announcement")
