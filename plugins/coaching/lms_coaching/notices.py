"""The notification coaching sends, through core's inbox."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from lms_coaching.models import CoachingSession
from sdk import NotificationKind, notify

NEXT_STEPS = NotificationKind(
    name="coaching.next_steps",
    label=gettext_lazy("Next steps from your coaching sessions"),
    message=gettext_lazy("%(actor)s wrote down next steps from your coaching session"),
)
KINDS = [NEXT_STEPS]


def tell_coachee(session: CoachingSession, new_steps: int) -> None:
    """The person coached, of the steps just agreed (a session with an
    organisation tells nobody: its people are not members)."""
    if session.coachee_id is None or not new_steps:
        return
    notify(
        [session.coachee_id],
        NEXT_STEPS.name,
        actor=session.coach,
        cohort=session.cohort,
        url=reverse("coaching:session", args=[session.pk]),
    )
