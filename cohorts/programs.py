"""Programs: the funded work that runs groups, who leads it, and the targets
it is measured against. Models of the cohorts app (`cohorts.models` imports
them)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cohorts.reminders import validate_reminder_hours
from lms.people import staff_label
from lms.plugins import collect
from lms.roles import PROGRAM_LEADS


class ProgramQuerySet(models.QuerySet):
    def led_by(self, user) -> "ProgramQuerySet":
        """The programs `user` leads; every program for superusers."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(leads=user)


class ProgramForm(WagtailAdminModelForm):
    """Only superusers name a program's leads, so leads cannot add themselves
    to another's program; a lead who starts a program leads it."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if not (for_user is not None and for_user.is_superuser):
            self.fields.pop("leads", None)
        elif "leads" in self.fields:
            self.fields["leads"].queryset = get_user_model().objects.filter(
                groups__name=PROGRAM_LEADS
            )
            self.fields["leads"].label_from_instance = staff_label
            self.fields["leads"].help_text = _(
                "People in the Program leads group. They manage this program's "
                "groups in the admin and read its reports; nothing of other programs."
            )

    def save(self, commit=True):
        creating = self.instance._state.adding
        program = super().save(commit=commit)
        lead = self.for_user
        if commit and creating and lead is not None and not lead.is_superuser:
            # A lead who starts a program leads it, or it would vanish from them.
            program.leads.add(lead)
        return program


class Program(ClusterableModel):
    """A funded program that runs cohorts, e.g. "Learning Community 2021"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    reminder_hours = models.CharField(
        _("reminders"),
        max_length=50,
        default="24, 1",
        validators=[validate_reminder_hours],
        help_text=_(
            "Hours before each session when members get a reminder e-mail, "
            "separated by commas, e.g. '24, 1' or '48, 2, 0.5'. Leave empty "
            "for no reminders."
        ),
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("program leads"),
        blank=True,
        related_name="led_programs",
        help_text=_(
            "They manage this program's groups in the admin and read its "
            "reports; nothing of other programs."
        ),
    )

    objects = ProgramQuerySet.as_manager()
    base_form_class = ProgramForm

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("reminder_hours"),
        FieldPanel("leads"),
        InlinePanel(
            "names",
            heading=_("Name in other languages"),
            label=_("Name"),
            help_text=_(
                "Pages in that language show this name; pages in the others "
                "the name above."
            ),
        ),
        InlinePanel("targets", label=_("Targets")),
    ]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# What every program can be measured by, besides what plugins measure.
CORE_MEASURES = {
    "core.participants": _("People taking part"),
    "core.sessions": _("Sessions held"),
    "core.attendances": _("Attendances (present or late)"),
    "core.certificates": _("Course certificates earned"),
    "core.goals_met": _("People who met their goal"),
}


def measure_choices() -> list[tuple[str, str]]:
    """Core measures and those installed plugins offer (asked with no program)."""
    offered = [
        (measure.key, measure.label)
        for measure in collect("lms_measures", program=None)
    ]
    return [*CORE_MEASURES.items(), *offered]


def _target_end(verbose_name: str, help_text: str) -> models.DecimalField:
    """One end of a target's range; either end may be left open."""
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


class OutcomeTarget(Orderable):
    """What the program aims for on one measure, as funders write it: at
    least 10, 8-12, or at most 5 (e.g. "host 5-8 budget trainings")."""

    program = ParentalKey(Program, on_delete=models.CASCADE, related_name="targets")
    # Plain text, checked in clean(): what can be measured depends on the
    # plugins installed, which must not be asked during system checks.
    measure = models.CharField(_("measure"), max_length=100)
    # The lower end; the field kept its first name.
    target = _target_end(
        _("at least"), _("10 for “at least 10”; 8 for a range from 8 to 12.")
    )
    maximum = _target_end(
        _("at most"),
        _("12 for a range from 8 to 12; 5 for “at most 5”; empty when more is fine."),
    )

    panels = [
        FieldPanel("measure", widget=forms.Select(choices=measure_choices)),
        FieldPanel("target"),
        FieldPanel("maximum"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "measure"], name="one_target_per_measure"
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False) | Q(maximum__isnull=False),
                name="target_has_an_end",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True)
                | Q(maximum__isnull=True)
                | Q(target__lte=F("maximum")),
                name="target_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.describe()}"

    def clean(self) -> None:
        super().clean()
        if self.measure not in dict(measure_choices()):
            raise ValidationError({"measure": _("Choose one of the measures listed.")})
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
        low, high = _plain(self.target), _plain(self.maximum)
        if low is not None and high is not None:
            return str(low) if low == high else f"{low}\u2013{high}"
        if low is not None:
            return _("at least %(number)s") % {"number": low}
        return _("at most %(number)s") % {"number": high}

    def standing(self, value: Decimal) -> str:
        """Where a result stands: "below", "within" or "above" the range."""
        if self.target is not None and value < self.target:
            return "below"
        if self.maximum is not None and value > self.maximum:
            return "above"
        return "within"


def _plain(number: Decimal | None) -> Decimal | int | None:
    """600, not 600.00: most targets are counts."""
    if number is None or number != int(number):
        return number
    return int(number)
