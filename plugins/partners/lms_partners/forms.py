"""What an organisation's contact and the directory's visitors send."""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from lms_partners.models import PHONE, Area, Location, Sector, Service
from sdk import (
    RESOURCE_LANGUAGES,
    BoundedDateField,
    CheckedFormSet,
    DatabaseIdField,
    PlainTextForm,
    TickBox,
)

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


def ticked_ids(**kwargs) -> forms.TypedMultipleChoiceField:
    """Rows chosen by ticking their names (choices set by the form)."""
    return forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
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
    sectors = ticked_ids(label=_("Sectors"))
    areas = ticked_ids(
        label=_("Areas served"),
        help_text=_("Another area? Say so in the message below."),
    )
    listed = TickBox(
        label=_("List us in the public directory"),
        required=False,
        help_text=_(
            "Untick to ask the coordinators to take your entry out of the "
            "public directory: the coalition keeps it for its own work."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sector_choices()
        self.fields["areas"].choices = list(Area.objects.values_list("pk", "name"))


class ReviewMessageForm(PlainTextForm, forms.Form):
    """The review's last field, after the entry's places and services."""

    message = forms.CharField(
        label=_("Anything else the coordinators should know (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


def sector_choices() -> list[tuple[int, str]]:
    """The sectors partners are filed under (the site's main language's),
    named in the active language."""
    filed = Sector.objects.filter(locale=Locale.get_default())
    names = dict(
        Sector.objects.filter(locale=Locale.get_active()).values_list(
            "translation_key", "name"
        )
    )
    return [
        (sector.pk, names.get(sector.translation_key, sector.name)) for sector in filed
    ]


# The most places or services one review can list: also the most forms a
# post can make the server build.
MOST_ROWS = 20
# The longest description of a service a contact may send (as the entry's).
MOST_DESCRIBED = 4000
LOCATION_FIELDS = (
    "name",
    "address",
    "city",
    "region",
    "postal_code",
    "opening_hours",
    "accessible_entrance",
)
SERVICE_FIELDS = ("name", "kind", "who_for", "languages", "description")


class LocationForm(PlainTextForm, forms.ModelForm):
    """A place of the entry as its contact may change it (the map's
    coordinates are the leads')."""

    id = DatabaseIdField(required=False)

    class Meta:
        model = Location
        fields = LOCATION_FIELDS
        field_classes = {"accessible_entrance": TickBox}


class ServiceForm(PlainTextForm, forms.ModelForm):
    """A service of the entry, at some of its saved places (`places`: their
    ids and names) or all of them."""

    id = DatabaseIdField(required=False)
    where = ticked_ids(
        label=_("Where"), help_text=_("None ticked: at all your places.")
    )

    class Meta:
        model = Service
        fields = SERVICE_FIELDS

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = MOST_DESCRIBED
        self.fields["description"].validators.append(MaxLengthValidator(MOST_DESCRIBED))
        self.fields["where"].choices = list(places)
        if not places:
            del self.fields["where"]


class RowsFormSet(CheckedFormSet, forms.BaseFormSet):
    removal = _("Remove")

    def clean(self):
        """Each row shown is sent back once with its own id; a new row has
        none."""
        super().clean()
        shown = [row["id"] for row in self.initial or ()]
        sent = [form.cleaned_data.get("id") for form in self.forms if form.cleaned_data]
        ids = [each for each in sent if each is not None]
        if len(ids) != len(set(ids)) or not set(ids) <= set(shown):
            raise forms.ValidationError(
                _("The form arrived damaged. Reload the page and try again.")
            )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.removal

    def rows(self) -> list[dict]:
        """What the forms kept hold, new rows without an id, in order."""
        return [
            {
                name: value
                for name, value in form.cleaned_data.items()
                if name != "DELETE"
            }
            for form in self.forms
            # Blank forms left blank have no cleaned data.
            if form.cleaned_data and form not in self.deleted_forms
        ]


class PlacesFormSet(RowsFormSet):
    removal = _("We no longer use this place")


class ServicesFormSet(RowsFormSet):
    removal = _("We no longer offer this")


def rows_formset(form: type[forms.Form], formset: type[RowsFormSet]):
    return forms.formset_factory(
        form,
        formset=formset,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        max_num=MOST_ROWS,
        absolute_max=MOST_ROWS,
        validate_max=True,
    )


LocationFormSet = rows_formset(LocationForm, PlacesFormSet)
ServiceFormSet = rows_formset(ServiceForm, ServicesFormSet)


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
