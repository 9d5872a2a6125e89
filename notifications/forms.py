from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import EmailFrequency
from lms.forms import PlainTextForm
from notifications.models import DELIVERY_CHOICES


class AnnouncementForm(PlainTextForm, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Shown in the group's space and e-mailed to members in the way each "
            "of them chose (each message, a daily digest, or not at all)."
        ),
    )


class EmailSettingsForm(forms.Form):
    """Reminders for the person, and announcement e-mails for each membership."""

    session_reminders = forms.BooleanField(
        label=_("E-mail me before each session I am going to"), required=False
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for membership in self.memberships:
            self.fields[self.field_name(membership)] = forms.ChoiceField(
                label=membership.cohort.title,
                choices=EmailFrequency.choices,
                initial=membership.announcement_emails,
            )

    def announcement_fields(self) -> list:
        """One choice per group, shown together under their own legend."""
        return [self[self.field_name(membership)] for membership in self.memberships]

    @staticmethod
    def field_name(membership) -> str:
        return f"announcements-{membership.pk}"


class NotificationChoicesForm(forms.Form):
    """One choice per kind of notification, among those the kind offers."""

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DELIVERY_CHOICES)
        for name, kind in kinds.items():
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=[(choice, labels[choice]) for choice in kind.deliveries],
                widget=forms.RadioSelect,
            )
