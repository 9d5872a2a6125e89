from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lms.forms import PlainTextForm, PublicEmailForm


class SubscribeForm(PlainTextForm, PublicEmailForm):
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Newsletter language"), choices=settings.LANGUAGES
    )

    field_order = ["email", "name", "language", "website"]
