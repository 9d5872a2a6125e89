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
