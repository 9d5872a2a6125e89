from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import EmailFrequency
from lms.forms import DatabaseIdField, PlainTextForm, PublicEmailForm


class JoinByEmailForm(PlainTextForm, PublicEmailForm):
    """Joining without a password: we e-mail a link that creates the account."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    goal = forms.CharField(
        label=_("Your goal"), required=False, max_length=500, widget=forms.Textarea
    )

    field_order = ["name", "email", "goal", "website"]

    def __init__(self, *args, **kwargs):
        # The ids its template gives the inputs, which the error summary links to.
        kwargs.setdefault("auto_id", "join-%s")
        super().__init__(*args, **kwargs)


class JoinForm(PlainTextForm, forms.Form):
    goal = forms.CharField(label=_("Your goal"), required=False, max_length=2000)


class WrapUpForm(PlainTextForm, forms.Form):
    goal_met = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    reflection = forms.CharField(required=False, max_length=2000)


class NudgeForm(forms.Form):
    user = DatabaseIdField()


class AnnouncementForm(PlainTextForm, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Shown in the group's space and e-mailed to members in the way each "
            "of them chose (each message, a daily digest, or not at all)."
        ),
    )


class EmailSettingsForm(forms.Form):
    """Reminders for the person, and announcement e-mails for each membership."""

    session_reminders = forms.BooleanField(
        label=_("E-mail me before each session I am going to"), required=False
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for membership in self.memberships:
            self.fields[self.field_name(membership)] = forms.ChoiceField(
                label=membership.cohort.title,
                choices=EmailFrequency.choices,
                initial=membership.announcement_emails,
            )

    def announcement_fields(self) -> list:
        """One choice per group, shown together under their own legend."""
        return [self[self.field_name(membership)] for membership in self.memberships]

    @staticmethod
    def field_name(membership) -> str:
        return f"announcements-{membership.pk}"


class ReflectionAnswerForm(PlainTextForm, forms.Form):
    """A lesson's reflection: free text, without control characters (a NUL
    cannot be stored in PostgreSQL's JSON, where answers live)."""

    text = forms.CharField(required=False)


class PositionsAnswerForm(forms.Form):
    """Which of a quiz's choices, or a checklist's items, a person ticked:
    their positions, each one the block has."""

    def __init__(self, data, *, name: str, count: int) -> None:
        super().__init__(data)
        self.fields[name] = forms.TypedMultipleChoiceField(
            choices=[(str(position), str(position)) for position in range(count)],
            coerce=int,
            required=False,
        )
