"""What a program can be measured by (the core's measures and those plugins
offer), and how targets and results are written."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.plugins import collect

# What every program can be measured by, besides what plugins measure. Each
# counts within the logic model's period and may be narrowed to groups of a
# kind and a topic (FILTERED_MEASURES).
CORE_MEASURES = {
    "core.participants": _("People taking part"),
    "core.sessions": _("Sessions held"),
    "core.attendances": _("Attendances (present or late)"),
    "core.people_attended": _("People who attended"),
    # By the people who attended and belong to one (confirmed by a lead).
    "core.organisations_attended": _("Organisations represented at sessions"),
    "core.certificates": _("Course certificates earned"),
    "core.goals_met": _("People who met their goal"),
}
FILTERED_MEASURES = set(CORE_MEASURES)
# Sessions can be counted once per place they were held in: "trainings in
# various locations" counts the locations.
PLACE_MEASURES = {"core.sessions"}


# Where a result stands against its indicator's range.
STANDINGS = {
    "not_started": _("Not started"),
    "below": _("Below the target"),
    "within": _("On target"),
    "above": _("Above the target"),
}


def measure_choices() -> list[tuple[str, str]]:
    """Core measures and those installed plugins offer (asked with no program)."""
    offered = [
        (measure.key, measure.label)
        for measure in collect("lms_measures", program=None, period=None)
    ]
    return [*CORE_MEASURES.items(), *offered]


def indicator_measure_choices() -> list[tuple[str, str]]:
    return [("", _("— entered by a lead —")), *measure_choices()]


def measure_label(key: str) -> str:
    """A measure's name; plugins are asked only for theirs (an indicator's
    title is shown several times a page)."""
    if key in CORE_MEASURES:
        return str(CORE_MEASURES[key])
    return str(dict(measure_choices()).get(key, key))


def target_end(verbose_name, help_text) -> models.DecimalField:
    """One end of a target's range, or a baseline: a number of 0 or more."""
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


def plain(number: Decimal | None) -> Decimal | int | None:
    """600, not 600.00: most targets are counts."""
    if number is None or number != int(number):
        return number
    return int(number)
