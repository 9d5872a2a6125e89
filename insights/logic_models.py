"""A program's logic model for a period: what it puts in, what it does, what
that produces and changes, each stage with indicators measured against
targets as funders write them ("8-12", "at least 10", "at most 5"). An
indicator's actual is worked out from what the site records (a measure,
optionally filtered) or entered by a lead, with a note, evidence and history.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from cohorts.models import CohortPage, Program
from cohorts.permissions import led_programs
from content.models import Topic
from insights.measures import (
    FILTERED_MEASURES,
    PLACE_MEASURES,
    indicator_measure_choices,
    measure_choices,
    measure_label,
    plain,
    target_end,
)
from lms.forms import BoundedDateField
from lms.models import InOrder


class Stage(models.TextChoices):
    """The columns of a logic model, left to right."""

    INPUTS = "inputs", _("Inputs")
    ACTIVITIES = "activities", _("Activities")
    OUTPUTS = "outputs", _("Outputs")
    SHORT_TERM = "short_term", _("Short-term outcomes")
    LONG_TERM = "long_term", _("Long-term outcomes")


class LogicModelForm(WagtailAdminModelForm):
    """A lead chooses among the programs they lead; a period's days are
    within the years the site works with (9999-12-31 has no day after it)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "program" in self.fields:
            self.fields["program"].queryset = led_programs(for_user)
        for name in ("starts_on", "ends_on"):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = BoundedDateField(
                    label=old.label,
                    required=False,
                    help_text=old.help_text,
                    widget=old.widget,
                )


class LogicModel(ClusterableModel):
    """A program's logic model for one period, e.g. "2026"."""

    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="logic_models",
    )
    period = models.CharField(
        _("period"),
        max_length=50,
        help_text=_("As the funder names it, e.g. “2026” or “Year 2”."),
    )
    starts_on = models.DateField(
        _("from"),
        null=True,
        blank=True,
        help_text=_(
            "What the site records counts from this day. Empty: from the start."
        ),
    )
    ends_on = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("…up to and including this day. Empty: up to today."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("The change the program works for, in a sentence or two."),
    )

    base_form_class = LogicModelForm
    panels = [
        # A plain list, not Wagtail's chooser: it lists only the lead's programs.
        FieldPanel("program", widget=forms.Select),
        FieldPanel("period"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("summary"),
        InlinePanel(
            "parts",
            heading=_("Inputs, activities, outputs and outcomes"),
            label=_("Part"),
            help_text=_(
                "Each part of the model in a line, e.g. Inputs: “Trainers and "
                "county meeting rooms”; Activities: “Budget trainings”."
            ),
        ),
        InlinePanel(
            "indicators",
            heading=_("Indicators"),
            label=_("Indicator"),
            help_text=_(
                "How each stage is measured. Choose a measure to count it from "
                "what the site records, or leave it empty to enter results yourself."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("logic model")
        verbose_name_plural = _("logic models")
        ordering = ["program__name", "-starts_on", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period"], name="one_logic_model_per_period"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=F("ends_on")),
                name="logic_model_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.period}"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError(
                {"ends_on": _("The period cannot end before it starts.")}
            )


class LogicModelPart(InOrder):
    """One line of a stage: "Trainers and meeting rooms", "Budget trainings"."""

    logic_model = ParentalKey(
        LogicModel, on_delete=models.CASCADE, related_name="parts"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    text = models.CharField(_("text"), max_length=300)

    panels = [FieldPanel("stage"), FieldPanel("text")]

    class Meta(InOrder.Meta):
        verbose_name = _("part")
        verbose_name_plural = _("parts")

    def __str__(self) -> str:
        return self.text


class Indicator(InOrder):
    """How a stage is measured against a range, as funders write it."""

    logic_model = ParentalKey(
        LogicModel, on_delete=models.CASCADE, related_name="indicators"
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.OUTPUTS
    )
    name = models.CharField(
        _("indicator"),
        max_length=200,
        blank=True,
        help_text=_(
            "As the funder writes it, e.g. “Budget trainings in various "
            "locations”. Empty: the measure's name."
        ),
    )
    # Plain text, checked in clean(): what can be measured depends on the
    # plugins installed, which must not be asked during system checks.
    measure = models.CharField(
        _("measured by"),
        max_length=100,
        blank=True,
        help_text=_("Empty: a lead enters each result, with a note and evidence."),
    )
    group_kind = models.CharField(
        _("only groups of the kind"),
        max_length=20,
        choices=CohortPage.Kind.choices,
        blank=True,
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("only groups on the topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    per_place = models.BooleanField(
        _("count places, not sessions"),
        default=False,
        help_text=_("Sessions held: count each place once (“in various locations”)."),
    )
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("e.g. trainings, partners.")
    )
    baseline = target_end(_("baseline"), _("Where it stood before the period."))
    # The ends of the range the indicator aims for.
    target = target_end(
        _("at least"), _("10 for “at least 10”; 8 for a range from 8 to 12.")
    )
    maximum = target_end(
        _("at most"),
        _("12 for a range from 8 to 12; 5 for “at most 5”; empty when more is fine."),
    )

    panels = [
        FieldPanel("stage"),
        FieldPanel("name", widget=forms.Textarea(attrs={"rows": 2})),
        FieldPanel("measure", widget=forms.Select(choices=indicator_measure_choices)),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("group_kind"), FieldPanel("topic")]),
                FieldPanel("per_place"),
            ],
            heading=_("Count only"),
        ),
        FieldRowPanel(
            [
                FieldPanel("baseline"),
                FieldPanel("target"),
                FieldPanel("maximum"),
                FieldPanel("unit"),
            ]
        ),
    ]

    class Meta(InOrder.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=False) | Q(maximum__isnull=False),
                name="indicator_target_has_an_end",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True)
                | Q(maximum__isnull=True)
                | Q(target__lte=F("maximum")),
                name="indicator_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.describe()}"

    @property
    def title(self) -> str:
        return self.name or measure_label(self.measure)

    @property
    def shown_baseline(self) -> Decimal | int | None:
        return plain(self.baseline)

    @property
    def counting(self) -> str:
        """What the site counts, in words: "Sessions held, groups of the
        kind Training, on the topic Budget, each place once"."""
        words = [measure_label(self.measure)]
        if self.group_kind:
            words.append(
                _("groups of the kind %(kind)s")
                % {"kind": self.get_group_kind_display()}
            )
        if self.topic_id:
            words.append(_("on the topic %(topic)s") % {"topic": self.topic.localized})
        if self.per_place:
            words.append(_("each place once"))
        return ", ".join(str(word) for word in words)

    @property
    def entered(self) -> bool:
        """Its results are entered by a lead, not counted by the site."""
        return not self.measure

    def clean(self) -> None:
        super().clean()
        if self.measure and self.measure not in dict(measure_choices()):
            raise ValidationError({"measure": _("Choose one of the measures listed.")})
        if not self.measure and not self.name:
            raise ValidationError(
                {"name": _("Name what a lead will enter, or choose a measure.")}
            )
        filtered = self.group_kind or self.topic_id
        if filtered and self.measure not in FILTERED_MEASURES:
            raise ValidationError(
                {"group_kind": _("Only the site's own measures can be narrowed.")}
            )
        if self.per_place and self.measure not in PLACE_MEASURES:
            raise ValidationError(
                {"per_place": _("Only sessions held can be counted by place.")}
            )
        if self.target is None and self.maximum is None:
            raise ValidationError(
                {"target": _("Give the least, the most, or both (a range).")}
            )
        if None not in (self.target, self.maximum) and self.target > self.maximum:
            raise ValidationError(
                {"maximum": _("The most cannot be less than the least.")}
            )

    def describe(self) -> str:
        """ "8-12", "at least 10" or "at most 5" (600, not 600.00)."""
        low, high = plain(self.target), plain(self.maximum)
        if low is not None and high is not None:
            return str(low) if low == high else f"{low}\u2013{high}"
        if low is not None:
            return _("at least %(number)s") % {"number": low}
        return _("at most %(number)s") % {"number": high}

    def standing(self, value: Decimal | None) -> str:
        """Where a result stands: "not_started" (none yet), "below",
        "within" or "above" the range."""
        if value is None:
            return "not_started"
        if self.target is not None and value < self.target:
            return "below"
        if self.maximum is not None and value > self.maximum:
            return "above"
        return "within"
