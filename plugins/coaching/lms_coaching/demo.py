"""Demo: a communications coaching cohort with coaching already under way."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from lms_coaching.models import Attachment, CoachingSession, Goal, NextStep
from sdk import CohortPage, Membership, Program, SessionSeries, StandardPage
from sdk.demo import (
    ZONE,
    DemoReport,
    child_page,
    demo_user,
    member,
    next_weekday,
    register,
    sync_series,
    topic,
)

COACHEE_EMAIL = "participant@example.org"


# After the core cohorts (40).
@register(order=60)
def load_coaching(report: DemoReport) -> None:
    programme_page = StandardPage.objects.get(
        slug="communications-coaching", locale__language_code="en"
    )
    cohort = child_page(
        programme_page,
        CohortPage,
        "2026",
        report,
        title="Communications coaching 2026",
        intro=(
            "One-to-one coaching for grantee organisations telling their story: "
            "press, social media and speaking to funders. Monthly group calls."
        ),
        program=Program.objects.get(slug="learning-community-2026"),
        kind=CohortPage.Kind.COHORT,
        format=CohortPage.Format.ONLINE,
        time_zone=ZONE,
        plugins=["coaching"],
    )
    if not cohort.session_series.exists():
        sync_series(
            SessionSeries.objects.create(
                cohort=cohort,
                title="Group call",
                first_start=next_weekday(1, 12) - timedelta(weeks=8),
                duration_minutes=60,
                rrule="FREQ=MONTHLY;COUNT=5",
                online_url="https://meet.example.org/comms-coaching",
            )
        )
    demo_user("samir@example.org", "Samir", "Haddad", report)
    member(cohort, "facilitator@example.org", Membership.Role.FACILITATOR)
    member(cohort, COACHEE_EMAIL, Membership.Role.PARTICIPANT)
    member(cohort, "samir@example.org", Membership.Role.PARTICIPANT)
    if CoachingSession.objects.filter(cohort=cohort).exists():
        return
    people = get_user_model().objects.in_bulk(
        ["facilitator@example.org", COACHEE_EMAIL, "samir@example.org"],
        field_name="email",
    )
    coach = people["facilitator@example.org"]
    communications = topic("Communications", "communications", report, "Comunicación")
    storytelling = topic(
        "Storytelling", "storytelling", report, "Narración de historias"
    )
    now = timezone.now().replace(second=0, microsecond=0)
    first = CoachingSession.objects.create(
        cohort=cohort,
        coach=coach,
        coachee=people[COACHEE_EMAIL],
        held_at=now - timedelta(days=21),
        minutes=60,
        format=CoachingSession.Format.VIDEO,
        shared_notes=(
            "We mapped who needs to hear about the food pantry's expansion: "
            "the county board, two local papers and the parents' WhatsApp groups."
        ),
        private_notes=(
            "Grace is unsure whether her director will back a press release; "
            "ask gently next time how that conversation went."
        ),
    )
    first.topics.set([communications])
    Goal.objects.create(
        session=first,
        text="Publish one story about the pantry in a local paper",
        status=Goal.Status.MET,
        reviewed_at=now - timedelta(days=7),
    )
    second = CoachingSession.objects.create(
        cohort=cohort,
        coach=coach,
        coachee=people[COACHEE_EMAIL],
        held_at=now - timedelta(days=7),
        minutes=45,
        format=CoachingSession.Format.PHONE,
        shared_notes=(
            "The Riverside Courier ran the story. Next: a one-page case for "
            "funders, with one family's story told with their permission."
        ),
        private_notes="Energy much better than last time.",
    )
    second.topics.set([communications, storytelling])
    Goal.objects.create(session=second, text="Write a one-page case for funders")
    NextStep.objects.create(
        session=second,
        text="Ask the Mendoza family for permission to share their story",
        due_on=date.today() + timedelta(days=5),
    )
    NextStep.objects.create(
        session=second,
        text="Send the one-page draft to Luis",
        due_on=date.today() + timedelta(days=12),
    )
    Attachment.objects.create(
        session=second,
        title="One-page case: outline",
        shared=True,
        file=ContentFile(
            b"1. The need\n2. One family's story\n3. What your gift does\n",
            name="one-page-case-outline.txt",
        ),
    )
    partner = CoachingSession.objects.create(
        cohort=cohort,
        coach=coach,
        organisation_name="Eastside Parents United",
        held_at=now - timedelta(days=3),
        minutes=90,
        format=CoachingSession.Format.IN_PERSON,
        shared_notes="Drafted three social posts for the safe-routes campaign.",
    )
    partner.topics.set([communications])
    report.made("coaching sessions")
