from django import forms
from django.utils.translation import gettext_lazy as _

from lms.forms import PublicEmailForm


class JoinByEmailForm(PublicEmailForm):
    """Joining without a password: we e-mail a link that creates the account."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    goal = forms.CharField(
        label=_("Your goal"), required=False, max_length=500, widget=forms.Textarea
    )

    field_order = ["name", "email", "goal", "website"]
