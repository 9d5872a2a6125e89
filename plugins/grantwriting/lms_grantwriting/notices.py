"""The notification the grantwriting workshop sends, through core's inbox."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from lms_grantwriting.models import Feedback
from sdk import Delivery, NotificationKind, notify

FEEDBACK = NotificationKind(
    name="grantwriting.feedback",
    label=gettext_lazy("Feedback on your drafts"),
    message=gettext_lazy("%(actor)s gave feedback on your draft for “%(assignment)s”"),
    description=gettext_lazy("Feedback is also e-mailed to you as it comes."),
    # The e-mail goes out of its own (reminders.send_feedback_notice).
    deliveries=(Delivery.INBOX, Delivery.OFF),
)
KINDS = [FEEDBACK]


def tell_author(feedback: Feedback) -> None:
    draft = feedback.draft
    notify(
        [draft.author_id],
        FEEDBACK.name,
        actor=feedback.author,
        cohort=draft.assignment.cohort,
        url=reverse("grantwriting:draft", args=[draft.pk]),
        params={"assignment": draft.assignment.title},
    )
