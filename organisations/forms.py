from django import forms
from django.utils.translation import gettext_lazy as _

from lms.forms import DatabaseIdField, PlainTextForm


class BelongForm(PlainTextForm, forms.Form):
    name = forms.CharField(
        label=_("Organisation's name"),
        max_length=200,
        help_text=_("As it writes it, e.g. “Eastside Parents United”."),
    )
    role = forms.CharField(
        label=_("What you do there (optional)"),
        max_length=120,
        required=False,
    )


class LeaveForm(forms.Form):
    affiliation = DatabaseIdField()
