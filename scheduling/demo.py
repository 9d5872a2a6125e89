"""Demo meetings: the demo groups' sessions (cohorts/demo.py makes the groups
and their members first), and the participant's attendance at those held."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.demo import next_weekday
from cohorts.models import CohortPage
from lms.demo import DemoReport, register
from scheduling.models import Attendance, Session, SessionSeries
from scheduling.sessions import sync_series


def record_demo_attendance(cohort: CohortPage, email: str, statuses: list[str]):
    user = get_user_model().objects.filter(email=email).first()
    held = cohort.sessions.filter(ends_at__lt=timezone.now()).order_by("starts_at")
    for session, status in zip(held, statuses, strict=False):
        Attendance.objects.get_or_create(
            session=session, user=user, defaults={"status": status}
        )


def demo_group(slug: str, language: str) -> CohortPage | None:
    return CohortPage.objects.filter(slug=slug, locale__language_code=language).first()


@register(order=42)
def load_meetings(report: DemoReport) -> None:
    circle = demo_group("grantwriting-circle", "en")
    if circle is not None:
        if not circle.session_series.exists():
            # Three meetings already held, five to come.
            series = SessionSeries.objects.create(
                cohort=circle,
                first_start=next_weekday(3, 18) - timedelta(weeks=3),
                duration_minutes=90,
                rrule="FREQ=WEEKLY;COUNT=8",
                location_name="Eastside Library, community room",
                address="455 Elm Street, Riverside",
                capacity=12,
            )
            sync_series(series)
            report.made("grantwriting circle sessions")
        record_demo_attendance(circle, "participant@example.org", ["present", "late"])
    talk = demo_group("power-mapping-talk", "en")
    if talk is not None and not talk.sessions.exists():
        start = next_weekday(1, 19)
        Session.objects.create(
            cohort=talk,
            starts_at=start,
            ends_at=start + timedelta(hours=1, minutes=30),
            location_name="Riverside Community Hall",
            address="120 Main Street, Riverside",
            online_url="https://meet.example.org/power-mapping",
            capacity=60,
        )
        report.made("speaker evening session")
    training = demo_group("capacitacion-presupuesto-riverside", "es")
    if training is not None:
        if not training.session_series.exists():
            # Two Saturdays already held, two to come.
            series = SessionSeries.objects.create(
                cohort=training,
                first_start=next_weekday(5, 10) - timedelta(weeks=2),
                duration_minutes=180,
                rrule="FREQ=WEEKLY;COUNT=4",
                location_name="Centro Comunitario Riverside",
                address="88 Orange Avenue, Riverside",
                capacity=40,
            )
            sync_series(series)
            report.made("budget training sessions")
        record_demo_attendance(training, "participant@example.org", ["present"])
