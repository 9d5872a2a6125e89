from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Newsletter language"), choices=settings.LANGUAGES
    )
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""
