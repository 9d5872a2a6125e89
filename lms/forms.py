from django import forms
from django.utils.translation import gettext_lazy as _


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


class SignupNameForm(forms.Form):
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
