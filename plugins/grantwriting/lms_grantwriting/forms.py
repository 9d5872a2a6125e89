from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from lms_grantwriting.models import DRAFT_EXTENSIONS, Assignment, Draft, Feedback
from sdk import BoundedDateTimeField, CohortPage, MaxFileSize, PlainTextForm, Session

MAX_FILE_BYTES = 10 * 1024 * 1024


class AssignmentForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["title", "kind", "session", "instructions", "due_at"]
        field_classes = {"due_at": BoundedDateTimeField}
        widgets = {
            "due_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "instructions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, cohort: CohortPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(cohort=cohort)
        self.fields["due_at"].help_text = _(
            "In the workshop's time zone: %(zone)s."
        ) % {"zone": cohort.time_zone}


class VersionForm(PlainTextForm, forms.Form):
    text = forms.CharField(
        label=_("Your draft"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste or write it here, or upload a file below, or both."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[
            FileExtensionValidator(DRAFT_EXTENSIONS),
            MaxFileSize(MAX_FILE_BYTES),
        ],
        help_text=_("Optional, up to 10 MB: a document or a spreadsheet."),
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        help_text=_("A line for the people giving feedback."),
    )
    status = forms.ChoiceField(
        label=_("What next?"),
        choices=[
            (Draft.Status.DRAFT, _("Keep it to myself for now (facilitators see it)")),
            (Draft.Status.FEEDBACK_REQUESTED, _("Ask the group for feedback")),
            (Draft.Status.FINAL, _("This is my final version")),
        ],
        initial=Draft.Status.FEEDBACK_REQUESTED,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        empty = not cleaned.get("text", "").strip() and not cleaned.get("file")
        if empty and "file" not in self.errors:
            raise forms.ValidationError(_("Write your draft or upload a file."))
        return cleaned


class FeedbackForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": _("Your feedback")}
