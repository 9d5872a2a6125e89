"""Demo: the grantwriting circle runs as a workshop, drafts already in."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from lms_grantwriting.models import Assignment, Feedback
from lms_grantwriting.work import save_assignment, submit_version
from sdk import CohortPage, Membership
from sdk.demo import DemoReport, demo_user, member, register

ASSIGNMENTS = [
    (
        "Need statement",
        Assignment.Kind.NEED_STATEMENT,
        "One page: who needs what, how you know, and why now. Use one number "
        "and one story.",
    ),
    (
        "Logic model",
        Assignment.Kind.LOGIC_MODEL,
        "Inputs, activities, outputs, outcomes: one row each. The template from "
        "the resource library helps.",
    ),
    (
        "Budget narrative",
        Assignment.Kind.BUDGET_NARRATIVE,
        "Explain each line of your budget in a sentence a funder can check.",
    ),
]


# After the core cohorts (40).
@register(order=61)
def load_grantwriting(report: DemoReport) -> None:
    circle = CohortPage.objects.get(slug="grantwriting-circle")
    if "grantwriting" not in circle.plugins:
        circle.plugins = [*circle.plugins, "grantwriting"]
        circle.save_revision().publish()
    demo_user("amara@example.org", "Amara", "Diallo", report)
    member(circle, "amara@example.org", Membership.Role.PARTICIPANT)
    if Assignment.objects.filter(cohort=circle).exists():
        return
    # One assignment per session from the second on, due the day before it.
    sessions = list(circle.sessions.order_by("starts_at")[1:])
    assignments = [
        save_assignment(
            Assignment(
                cohort=circle,
                session=session,
                title=title,
                kind=kind,
                instructions=instructions,
                due_at=session.starts_at - timedelta(days=1),
            )
        )
        for (title, kind, instructions), session in zip(
            ASSIGNMENTS, sessions, strict=False
        )
    ]
    people = get_user_model().objects.in_bulk(
        ["participant@example.org", "amara@example.org", "facilitator@example.org"],
        field_name="email",
    )
    grace, amara = people["participant@example.org"], people["amara@example.org"]
    need = assignments[0]
    first = submit_version(
        need,
        grace,
        text=(
            "Forty families in Eastside wait six weeks for emergency food. "
            "We can cut that to one."
        ),
        status="feedback_requested",
    )
    # Feedback rows directly: give_feedback would e-mail the demo's people.
    Feedback.objects.create(
        draft=first.draft,
        version=first,
        author=people["facilitator@example.org"],
        text="Strong start. Where does 'six weeks' come from? Name the source.",
    )
    submit_version(
        need,
        grace,
        text=(
            "Forty families in Eastside wait six weeks for emergency food "
            "(county food bank, 2025 survey). With a second pick-up day we can "
            "cut that to one."
        ),
        note="Added the source and what we will do",
        status="feedback_requested",
    )
    shared = submit_version(
        need,
        amara,
        text="Our youth league turns away 60 children a season for lack of coaches.",
        status="feedback_requested",
    )
    Feedback.objects.create(
        draft=shared.draft,
        version=shared,
        author=grace,
        text="Sixty is a powerful number: lead with it.",
    )
    report.made("grantwriting assignments and drafts")
