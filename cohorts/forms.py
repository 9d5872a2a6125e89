from django import forms
from django.utils.translation import gettext_lazy as _

from lms.forms import DatabaseIdField, PlainTextForm, PublicEmailForm


class JoinByEmailForm(PlainTextForm, PublicEmailForm):
    """Joining without a password: we e-mail a link that creates the account."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    goal = forms.CharField(
        label=_("Your goal"), required=False, max_length=500, widget=forms.Textarea
    )

    field_order = ["name", "email", "goal", "website"]

    def __init__(self, *args, **kwargs):
        # The ids its template gives the inputs, which the error summary links to.
        kwargs.setdefault("auto_id", "join-%s")
        super().__init__(*args, **kwargs)


class JoinForm(PlainTextForm, forms.Form):
    goal = forms.CharField(label=_("Your goal"), required=False, max_length=2000)


class WrapUpForm(PlainTextForm, forms.Form):
    goal_met = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    reflection = forms.CharField(required=False, max_length=2000)


class NudgeForm(forms.Form):
    user = DatabaseIdField()
