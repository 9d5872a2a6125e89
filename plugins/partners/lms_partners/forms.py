"""What an organisation's contact and the directory's visitors send."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms_partners.models import PHONE
from sdk import RESOURCE_LANGUAGES, BoundedDateField, PlainTextForm, TickBox

# Valid in an address, but a mailto: link would read what follows as headers.
NOT_IN_LINKS = set('?&%"')


class AddressField(forms.EmailField):
    """An e-mail address that fits the database and a mailto: link."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if NOT_IN_LINKS & set(value):
            raise ValidationError(
                _(
                    "Enter an address without question marks, ampersands, "
                    "percent signs or quotation marks."
                ),
                code="invalid",
            )


class ReviewForm(PlainTextForm, forms.Form):
    """The entry as the organisation's contact sees it through the link."""

    name = forms.CharField(label=_("Organisation's name"), max_length=200)
    website = forms.URLField(
        label=_("Website"), max_length=500, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("What it does and for whom"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages it works in"),
        choices=RESOURCE_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_name = forms.CharField(
        label=_("Public contact"),
        max_length=200,
        required=False,
        help_text=_("A role or desk is best, such as Front desk: it is public."),
    )
    contact_email = AddressField(
        label=_("Public contact e-mail"),
        required=False,
        help_text=_("Shown in the directory; the next review link goes here."),
    )
    contact_phone = forms.CharField(
        label=_("Public contact phone"),
        max_length=40,
        required=False,
        validators=[PHONE],
    )
    listed = TickBox(
        label=_("List us in the public directory"),
        required=False,
        help_text=_(
            "Untick to ask the coordinators to take your entry out of the "
            "public directory: the coalition keeps it for its own work."
        ),
    )
    message = forms.CharField(
        label=_("Anything else the coordinators should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class SuggestionForm(PlainTextForm, forms.Form):
    message = forms.CharField(
        label=_("What is wrong or missing?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    reply_to = AddressField(
        label=_("Your e-mail (optional)"),
        required=False,
        help_text=_("Only if you would like an answer: it is never published."),
    )


# The coalition counts over the last twelve months unless a lead picks days.
COALITION_DAYS = 365


def year_before(until: date) -> date:
    """The first of the twelve months that end on `until`."""
    return until - timedelta(days=COALITION_DAYS - 1)


class CoalitionPeriod(forms.Form):
    """The days the coalition's participation is counted over, both included."""

    since = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: a year before the last day."),
    )
    until = BoundedDateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: today."),
    )

    def __init__(self, data, today: date):
        super().__init__(data)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        until = cleaned.get("until") or self.today
        since = cleaned.get("since") or year_before(until)
        if since > until:
            raise ValidationError(_("The first day must not come after the last."))
        cleaned.update(since=since, until=until)
        return cleaned

    def days(self) -> tuple[date, date]:
        """The days asked for, or the last twelve months when the form is
        not valid (its errors are shown beside the counts)."""
        if self.is_valid():
            return self.cleaned_data["since"], self.cleaned_data["until"]
        return year_before(self.today), self.today
