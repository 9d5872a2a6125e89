"""The form a person answers a survey with, built from its questions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms_surveys.models import Moment, Survey
from lms_surveys.questions import (
    GOAL_MET,
    LONG_TEXT,
    MULTIPLE,
    NUMBER,
    SCALE,
    SHORT_TEXT,
    SINGLE,
    Question,
)
from sdk import DatabaseIdField, PlainTextForm, TickBox

SHORT_TEXT_LENGTH = 300
LONG_TEXT_LENGTH = 5000
NUMBER_LIMIT = 10**9
# The group's goal question, folded into a survey on joining; as long as
# the join form lets a goal be.
GOAL_FIELD = "goal"
GOAL_LENGTH = 2000
# A draft keeps what was typed, up to this much per field.
DRAFT_VALUE_LENGTH = LONG_TEXT_LENGTH


def field_name(question: Question) -> str:
    return f"q-{question.key}"


def quote_field_name(question: Question) -> str:
    return f"q-{question.key}-quote"


def _quote_field(question: Question, may_name: bool, anonymous: bool) -> forms.Field:
    """Whether a testimony answer may be quoted to funders, and how."""
    choices = [
        ("", _("No, keep it within the program")),
        ("unnamed", _("Yes, without my name")),
    ]
    if may_name:
        choices.append(("first_name", _("Yes, with my first name")))
    return forms.ChoiceField(
        label=_("May we quote your answer to “%(question)s” in reports to funders?")
        % {"question": question.text},
        help_text=_(
            "A quote appears with the name of the group. Your answers are sent "
            "without your name, so this cannot be changed once they are sent."
        )
        if anonymous
        else _(
            "A quote appears with the name of the group. If you change your "
            "mind, stop it being quoted on this survey's page after sending."
        ),
        choices=choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )


def _scale_choices(question: Question) -> list[tuple[str, str]]:
    labels = {1: question.low_label, 5: question.high_label}
    return [
        (str(point), f"{point} ({labels[point]})" if labels.get(point) else str(point))
        for point in (1, 2, 3, 4, 5)
    ]


def _field(question: Question) -> forms.Field:
    common = {
        "label": question.text,
        "help_text": question.help,
        "required": question.required,
    }
    if question.kind == SCALE:
        return forms.TypedChoiceField(
            choices=_scale_choices(question),
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind in {SINGLE, GOAL_MET}:
        return forms.TypedChoiceField(
            choices=list(enumerate(question.labels)),
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == MULTIPLE:
        return forms.TypedMultipleChoiceField(
            choices=list(enumerate(question.labels)),
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if question.kind == NUMBER:
        low, high = question.minimum, question.maximum
        return forms.IntegerField(
            min_value=-NUMBER_LIMIT if low is None else low,
            max_value=NUMBER_LIMIT if high is None else high,
            **common,
        )
    if question.kind == LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            **common,
        )
    return forms.CharField(max_length=SHORT_TEXT_LENGTH, **common)


class AnswerForm(PlainTextForm, forms.Form):
    """One field per question, named after the question's key."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        may_name: bool = False,
        anonymous: bool = False,
        goal_prompt: str = "",
        **kwargs,
    ):
        """`may_name`: a testimony may carry the person's first name (a
        named survey, not in a youth group); `anonymous`: the answers keep
        no link to the person, so a consent to quote cannot be taken back;
        `goal_prompt`: the group's goal question, asked first (a named
        survey on joining: the goal is kept on the person's membership)."""
        super().__init__(*args, label_suffix="", **kwargs)
        self.questions = questions
        if goal_prompt:
            self.fields[GOAL_FIELD] = forms.CharField(
                label=goal_prompt,
                help_text=_("Your goal for the group, which its facilitators see."),
                required=False,
                max_length=GOAL_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for question in questions:
            self.fields[field_name(question)] = _field(question)
            if question.testimony:
                self.fields[quote_field_name(question)] = _quote_field(
                    question, may_name, anonymous
                )

    def initial_from(self, draft: dict[str, list[str]]) -> dict:
        """A kept draft as the form's initial values: every value ticked of
        a multiple choice, the last of any other field."""
        return {
            name: values
            if isinstance(self.fields[name], forms.MultipleChoiceField)
            else values[-1]
            for name, values in draft.items()
            if name in self.fields and values
        }

    def answers(self) -> list[tuple[Question, list]]:
        """(question, values): numbers for choices, scale and number, the
        text for text questions; questions left empty are left out."""
        found = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, "", []):
                continue
            if question.kind in {SHORT_TEXT, LONG_TEXT}:
                found.append((question, [value.strip()]))
            else:
                found.append((question, value if isinstance(value, list) else [value]))
        return found


def quotes_of(form: AnswerForm) -> dict[str, str]:
    """What each answered testimony question's answer may be quoted as."""
    return {
        question.key: form.cleaned_data.get(quote_field_name(question)) or ""
        for question in form.questions
        if question.testimony
    }


def draft_of(form: AnswerForm) -> dict[str, list[str]]:
    """What was typed, field by field, for the draft; bounded, and without
    characters the database cannot keep (NUL)."""
    return {
        name: [
            value.replace("\x00", "")[:DRAFT_VALUE_LENGTH]
            for value in form.data.getlist(name)[:50]
        ]
        for name in form.fields
        if name in form.data
    }


class AttachForm(forms.Form):
    survey = forms.ModelChoiceField(
        queryset=Survey.objects.none(), label=_("Survey"), empty_label=None
    )
    kind = forms.ChoiceField(choices=Moment.Kind.choices, label=_("When"))

    def __init__(self, *args, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys


def _switch(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[("on", _("On")), ("off", pgettext_lazy("surveys", "Off"))],
        coerce=lambda value: value == "on",
        empty_value=None,
        required=False,
        label=label,
    )


class GroupSettingsForm(forms.Form):
    """One switch at a time (each has its own button on the page)."""

    invitations = _switch(_("Invitations when a survey opens"))
    reminders = _switch(_("Reminders to those who have not answered"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Choose which e-mails to switch."))
        return cleaned

    def chosen(self) -> dict[str, bool]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value is not None
        }


class ShareForm(forms.Form):
    on = TickBox(required=False)


class SessionFilter(forms.Form):
    session = DatabaseIdField(required=False)


REFLECTION_LENGTH = 3000


class ReflectionForm(PlainTextForm, forms.Form):
    went_well = forms.CharField(
        label=_("What went well?"),
        required=False,
        max_length=REFLECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    to_change = forms.CharField(
        label=_("What would you change next time?"),
        required=False,
        max_length=REFLECTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (
            cleaned.get("went_well", "").strip() or cleaned.get("to_change", "").strip()
        ):
            raise forms.ValidationError(_("Write at least one of the two."))
        return cleaned


class StopQuotingForm(forms.Form):
    """Which of a person's own quotable answers no longer may be quoted."""

    answer = forms.ChoiceField()

    def __init__(self, *args, quoted: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [(str(answer.pk), "") for answer in quoted]
