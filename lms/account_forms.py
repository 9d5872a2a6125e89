"""allauth's log-in and sign-up forms in the site's own words.

Only the labels change: fields another setting adds (ACCOUNT_SIGNUP_FIELDS,
ACCOUNT_SIGNUP_FORM_CLASS) keep theirs, and the templates show every field."""

from allauth.account.forms import LoginForm, SignupForm
from django.utils.translation import gettext_lazy as _

SITE_LABELS = {
    "login": _("E-mail address"),
    "email": _("E-mail address"),
    "password": _("Password"),
    "password1": _("Password"),
    "password2": _("Password (again)"),
    "remember": _("Remember me"),
}


class SiteWording:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        for name, field in self.fields.items():
            field.label = SITE_LABELS.get(name, field.label)
            # A placeholder repeating the label is noise for screen readers.
            field.widget.attrs.pop("placeholder", None)


class SiteLoginForm(SiteWording, LoginForm):
    pass


class SiteSignupForm(SiteWording, SignupForm):
    pass
