from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms_signups.models import Job
from sdk import DatabaseIdField, PlainTextForm, day_and_time


class JobForm(PlainTextForm, forms.Form):
    """A facilitator adds a job to one of the sessions on the sheet."""

    session = forms.TypedChoiceField(
        label=pgettext_lazy("signups", "Session"), coerce=int
    )
    title = forms.CharField(
        label=_("Job"),
        max_length=80,
        help_text=_("For example: bring snacks, take notes, welcome newcomers."),
    )
    places = forms.IntegerField(
        label=_("People needed"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the sessions on the sheet are offered, and only they are taken.
        self.sessions = {session.pk: session for session in sessions}
        self.fields["session"].choices = [
            (
                session.pk,
                " · ".join(
                    filter(None, [day_and_time(session.starts_at), session.title])
                ),
            )
            for session in sessions
        ]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]

    def clean(self):
        data = super().clean()
        session, title = data.get("session"), data.get("title")
        if (
            session
            and title
            and Job.objects.filter(session=session, title__iexact=title).exists()
        ):
            raise forms.ValidationError(_("This session already has that job."))
        return data


class JobActionForm(forms.Form):
    """Take, release or remove one job, from a button on the sheet."""

    job = DatabaseIdField()
    action = forms.ChoiceField(
        choices=[("take", "take"), ("release", "release"), ("remove", "remove")]
    )
