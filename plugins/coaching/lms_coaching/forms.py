from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from lms_coaching.models import (
    Attachment,
    CoachingSession,
    Goal,
    NextStep,
)
from sdk import (
    CURRENT_MEMBER_STATUSES,
    BoundedDateField,
    BoundedDateTimeField,
    CheckedFormSet,
    CohortPage,
    DatabaseIdField,
    Membership,
    PlainTextForm,
    Topic,
    staff_label,
    zone_name,
)


class AttachmentForm(PlainTextForm, forms.ModelForm):
    # The model's field checks the file's type and size.
    class Meta:
        model = Attachment
        fields = ["title", "file", "shared"]


class CoachingSessionForm(PlainTextForm, forms.ModelForm):
    new_goals = forms.CharField(
        label=_("Goals set in this session"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. The coachee sees them."),
    )

    class Meta:
        model = CoachingSession
        fields = [
            "coachee",
            "organisation_name",
            "held_at",
            "minutes",
            "format",
            "topics",
            "shared_notes",
            "private_notes",
        ]
        field_classes = {"held_at": BoundedDateTimeField}
        widgets = {
            "held_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "topics": forms.CheckboxSelectMultiple,
            "shared_notes": forms.Textarea(attrs={"rows": 4}),
            "private_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, cohort: CohortPage, coach, **kwargs):
        super().__init__(*args, **kwargs)
        participants = Membership.objects.filter(
            cohort=cohort,
            role=Membership.Role.PARTICIPANT,
            status__in=CURRENT_MEMBER_STATUSES,
        ).values("user")
        # An edited session keeps its coachee even after they left the group.
        self.fields["coachee"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=participants) | Q(pk=self.instance.coachee_id))
            .exclude(pk=coach.pk)
            .order_by("first_name", "last_name", "pk")
        )
        self.fields["coachee"].label_from_instance = staff_label
        self.fields["coachee"].help_text = _("A member of this group, or leave empty.")
        self.fields["topics"].queryset = Topic.objects.filter(
            locale=Locale.get_active()
        )
        self.fields["held_at"].help_text = _("In the group's time zone: %(zone)s.") % {
            "zone": zone_name(cohort.time_zone)
        }

    def clean(self):
        cleaned = super().clean()
        coachee, organisation = cleaned.get("coachee"), cleaned.get("organisation_name")
        if coachee and organisation:
            raise forms.ValidationError(
                _("Choose a coachee or name an organisation, not both.")
            )
        if not coachee and not organisation and "coachee" not in self.errors:
            raise forms.ValidationError(
                _("Choose the coachee, or name the partner organisation you coached.")
            )
        return cleaned

    def goals(self) -> list[str]:
        lines = self.cleaned_data.get("new_goals", "").splitlines()
        return [line.strip()[:300] for line in lines if line.strip()]


class NextStepForm(PlainTextForm, forms.ModelForm):
    class Meta:
        model = NextStep
        fields = ["text", "due_on"]
        field_classes = {"due_on": BoundedDateField}
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class GoalReviewForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The session page the review was made from ("from" is a Python keyword).
        self.fields["from"] = DatabaseIdField(required=False)


class BaseNextStepFormSet(CheckedFormSet, forms.BaseInlineFormSet):
    pass


# A session's next steps: a handful. The cap is also the most forms a post
# can make the server build (Django's default is 2,000, whatever the count
# the post claims).
MAX_NEXT_STEPS = 20

NextStepFormSet = forms.inlineformset_factory(
    CoachingSession,
    NextStep,
    form=NextStepForm,
    formset=BaseNextStepFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_NEXT_STEPS,
    absolute_max=MAX_NEXT_STEPS,
    validate_max=True,
)
