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
