"""Demo data of notifications: an announcement in the grantwriting circle,
and what the demo participant and facilitator find in their inboxes."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.models import CohortPage
from lms.demo import DemoReport, register
from notifications import inbox
from notifications.emails import reverse_language_free
from notifications.models import Announcement, Notification
from scheduling.models import Session


def _circle() -> CohortPage | None:
    return CohortPage.objects.filter(
        slug="grantwriting-circle", locale__language_code="en"
    ).first()


# After the groups (cohorts/demo.py, order 40).
@register(order=45)
def load_announcements(report: DemoReport) -> None:
    circle = _circle()
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


# After the announcement and the circle's meetings (scheduling/demo.py, 42).
@register(order=46)
def load_notifications(report: DemoReport) -> None:
    people = get_user_model().objects.filter(
        email__in=["participant@example.org", "facilitator@example.org"]
    )
    circle = _circle()
    announcement = circle and circle.announcements.order_by("created_at").first()
    if (
        announcement is None
        or Notification.objects.filter(recipient__in=people).exists()
    ):
        return
    participant = people.get(email="participant@example.org")
    # Read two days ago: the inbox shows read and unread ones.
    inbox.notify(
        [participant],
        inbox.ANNOUNCEMENT.name,
        actor=announcement.author,
        cohort=circle,
        url=reverse_language_free("cohorts:announcements", circle.pk),
        target=announcement,
        params={"subject": announcement.subject, "group": circle.title},
    )
    Notification.objects.filter(recipient=participant).update(
        created_at=timezone.now() - timedelta(days=3),
        read_at=timezone.now() - timedelta(days=2),
    )
    session = (
        Session.objects.filter(cohort=circle, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .last()
    )
    if session is not None:
        inbox.notify(
            people,
            inbox.SESSION_MOVED.name,
            cohort=circle,
            target=session,
            params={"session": session.display_title, "when": session.starts_at},
        )
    report.made("notifications for the demo participant and facilitator")
