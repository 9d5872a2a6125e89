import re

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.translation import gettext_lazy as _

from lms.converters import MAX_DATABASE_ID


class PublicEmailForm(forms.Form):
    """A form anyone can post with an e-mail address: lower-cases the address and
    carries a honeypot field that people never see and bots fill in."""

    email = forms.EmailField(label=_("E-mail address"))
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


# Years a person may type into a date: wide enough for any real plan, narrow
# enough that moving a value between time zones or adding reminder offsets
# never leaves the years Python and the databases can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2200

# Characters a person cannot mean to type, which XML (so XLSX exports) cannot
# hold: C0 controls other than tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def refuse_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(
            _(
                "This text contains invisible control characters (such as a bell "
                "or a vertical tab); remove them and try again."
            ),
            code="control_characters",
        )


class PlainTextForm:
    """Mixin for a form whose text fields refuse control characters; put it
    first in the bases, before forms.Form or forms.ModelForm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_control_characters)


class DatabaseIdField(forms.IntegerField):
    """A record's id from a form: a whole number the database's ids can be.
    (An `isdigit()` check lets '²' through, and a lookup through a foreign key
    with a number past 2**63 - 1 raises instead of finding nothing.)"""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DATABASE_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        # int() reads other scripts' digits (Arabic-Indic one is 1): ids are ASCII.
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class BoundedYearsMixin:
    def to_python(self, value):
        out_of_range = forms.ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
        try:
            result = super().to_python(value)
        except OverflowError:
            raise out_of_range from None
        if result is not None and not FIRST_YEAR <= result.year <= LAST_YEAR:
            raise out_of_range
        return result

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        input_type = widget.attrs.get("type", getattr(widget, "input_type", ""))
        if input_type == "date":
            attrs.update(min=f"{FIRST_YEAR}-01-01", max=f"{LAST_YEAR}-12-31")
        elif input_type == "datetime-local":
            attrs.update(
                min=f"{FIRST_YEAR}-01-01T00:00", max=f"{LAST_YEAR}-12-31T23:59"
            )
        return attrs


class BoundedDateField(BoundedYearsMixin, forms.DateField):
    """A date between FIRST_YEAR and LAST_YEAR."""


class BoundedDateTimeField(BoundedYearsMixin, forms.DateTimeField):
    """A date and time between FIRST_YEAR and LAST_YEAR, in the current time zone."""


def first_error(form: forms.BaseForm) -> str:
    """The first message of an invalid form, for a view that answers with a
    message rather than the form shown again."""
    return str(next(iter(form.errors.values()))[0])


class TickBox(forms.BooleanField):
    """A checkbox that is ticked, not ticked, or a form error: a plain
    BooleanField takes any value but 'false' and '0' as ticked."""

    TICKED, UNTICKED = {"on", "true", "True", "1"}, {"", "false", "False", "0"}

    class widget(forms.CheckboxInput):
        def value_from_datadict(self, data, files, name):
            return data.get(name)

    def to_python(self, value):
        if isinstance(value, bool):  # an initial value, from a model
            return value
        if value is None or value in self.UNTICKED:
            return False
        if value in self.TICKED:
            return True
        raise forms.ValidationError(
            _("Tick the box or leave it empty."), code="invalid"
        )

    def has_changed(self, initial, data):
        try:
            return super().has_changed(initial, data)
        except forms.ValidationError:
            return True


class CheckedFormSet:
    """Mixin for a formset (before Django's base formset class): a negative
    form count in the management form, or a DELETE that is neither ticked nor
    empty, is an error shown with the form rather than taken as given."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"] = TickBox(
                label=form.fields["DELETE"].label, required=False
            )

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return
        counts = self.management_form.cleaned_data
        if counts[TOTAL_FORM_COUNT] < 0 or counts[INITIAL_FORM_COUNT] < 0:
            self._non_form_errors.append(
                _("The form arrived damaged. Reload the page and try again.")
            )


class EraseConfirmationForm(forms.Form):
    """Erasing a person asks for their e-mail address typed out, so a slip of
    the mouse erases nobody; the person themselves also gives their password
    when they have one (people who joined by e-mail link have none)."""

    email = forms.EmailField(label=_("Type the e-mail address of the account"))

    def __init__(self, *args, person, ask_password: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        if ask_password:
            self.fields["password"] = forms.CharField(
                label=_("Your password"), widget=forms.PasswordInput
            )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email != self.person.email.lower():
            raise forms.ValidationError(_("This is not the account's e-mail address."))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("This password is not right."))
        return password


class SignupNameForm(PlainTextForm, forms.Form):
    """Allauth's sign-up asks for a name too, so other people never see an
    address in its place (lms.people)."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        help_text=_("Other members see your name; in youth groups, this only."),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])
