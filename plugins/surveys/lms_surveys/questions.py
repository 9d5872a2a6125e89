"""The question types a survey is built from, as StreamField blocks.

Each question is a block of the survey's `questions` stream. Its block id is
the question's key: answers are stored under it, and Wagtail Localize keeps
block ids when it translates a survey, so an answer given in Spanish counts
with the English ones. Choices are stored by position for the same reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks

SCALE = "scale"
SINGLE = "single_choice"
MULTIPLE = "multiple_choice"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
NUMBER = "number"
GOAL_MET = "goal_met"

SCALE_POINTS = (1, 2, 3, 4, 5)
# "Goal met" answers, stored as 0, 1, 2.
GOAL_LEVELS = (_("Not at all"), _("Somewhat"), _("Completely"))
GOAL_COMPLETELY = 2
# Kinds whose answers are counted per choice; averaged; listed as text.
CHOICE_KINDS = {SCALE, SINGLE, MULTIPLE, GOAL_MET}
AVERAGED_KINDS = {SCALE, NUMBER}
TEXT_KINDS = {SHORT_TEXT, LONG_TEXT}


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=pgettext_lazy("surveys", "Question"), max_length=300)
    help = blocks.CharBlock(label=_("Help text"), required=False, max_length=300)
    required = blocks.BooleanBlock(label=_("An answer is required"), required=False)


class ScaleBlock(QuestionBlock):
    low_label = blocks.CharBlock(
        label=_("Label of 1"),
        required=False,
        max_length=60,
        help_text=_("e.g. Not confident"),
    )
    high_label = blocks.CharBlock(
        label=_("Label of 5"),
        required=False,
        max_length=60,
        help_text=_("e.g. Very confident"),
    )
    measure = blocks.BooleanBlock(
        label=_("Report its average as the program's survey measure"), required=False
    )

    class Meta:
        icon = "list-ol"
        label = _("Scale 1 to 5")


class ChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("Choice")),
        label=_("Choices"),
        min_num=2,
    )

    class Meta:
        icon = "list-ul"


class NumberBlock(QuestionBlock):
    minimum = blocks.IntegerBlock(label=_("Smallest answer"), required=False)
    maximum = blocks.IntegerBlock(label=_("Largest answer"), required=False)

    class Meta:
        icon = "decimal"
        label = _("Number")


class LongTextBlock(QuestionBlock):
    testimony = blocks.BooleanBlock(
        label=_("Ask whether the answer may be quoted to funders"),
        required=False,
        help_text=_(
            "People choose: not quoted, quoted without their name, or with "
            "their first name (never in an anonymous survey or a youth group)."
        ),
    )

    class Meta:
        icon = "doc-full"
        label = _("Long text")


class QuestionsBlock(blocks.StreamBlock):
    scale = ScaleBlock()
    single_choice = ChoiceBlock(label=_("Single choice"))
    multiple_choice = ChoiceBlock(label=_("Multiple choice"))
    short_text = QuestionBlock(label=_("Short text"), icon="pilcrow")
    long_text = LongTextBlock()
    number = NumberBlock()
    goal_met = QuestionBlock(
        label=pgettext_lazy("surveys", "Goal met"), icon="tick-inverse"
    )


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""
    minimum: int | None = None
    maximum: int | None = None
    measure: bool = False
    testimony: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """What each stored number of a choice kind stands for."""
        if self.kind == SCALE:
            return tuple(str(point) for point in SCALE_POINTS)
        if self.kind == GOAL_MET:
            return tuple(str(level) for level in GOAL_LEVELS)
        return self.choices

    @property
    def values(self) -> tuple[int, ...]:
        if self.kind == SCALE:
            return SCALE_POINTS
        return tuple(range(len(self.labels)))


def questions_of(stream) -> list[Question]:
    found = []
    for child in stream:
        value = child.value
        found.append(
            Question(
                key=child.id,
                kind=child.block_type,
                text=value.get("text", ""),
                help=value.get("help", "") or "",
                required=bool(value.get("required")),
                choices=tuple(value.get("choices") or ()),
                low_label=value.get("low_label", "") or "",
                high_label=value.get("high_label", "") or "",
                minimum=value.get("minimum"),
                maximum=value.get("maximum"),
                measure=bool(value.get("measure")),
                testimony=child.block_type == LONG_TEXT
                and bool(value.get("testimony")),
            )
        )
    return found
