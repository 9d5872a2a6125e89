from django import forms
from django.utils.translation import gettext_lazy as _


class JoinByEmailForm(forms.Form):
    """Joining without a password: we e-mail a link that creates the account."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    goal = forms.CharField(
        label=_("Your goal"), required=False, max_length=500, widget=forms.Textarea
    )
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""
