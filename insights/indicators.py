"""Each indicator's actual: counted from what the site records over its
logic model's period (the core measures, narrowed to groups of a kind and
topic, sessions optionally counted by place; the plugins' measures), or the
latest result a lead entered."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Aggregate, Count, Expression, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CURRENT_MEMBER_STATUSES, Membership
from insights.indicator_results import IndicatorResult
from insights.logic_models import Indicator, LogicModel, Stage
from insights.measures import CORE_MEASURES, STANDINGS, plain
from learning.models import Certificate
from lms.hookspecs import Measure, Period
from lms.plugins import collect
from scheduling.models import Attendance, Session
from scheduling.register import PRESENT

# A group's part (e.g. its site) as an expression on its tree path's field.
PartOf = Callable[[str], Expression]


def period_of(logic_model: LogicModel) -> Period:
    """The model's days as times in the site's zone, its last day whole."""
    return Period.of_days(logic_model.starts_on, logic_model.ends_on)


def _groups(indicator: Indicator, program_id: int) -> Q:
    """The indicator's groups, as a filter on a model with a `cohort`."""
    found = Q(cohort__program=program_id)
    if indicator.group_kind:
        found &= Q(cohort__kind=indicator.group_kind)
    if indicator.topic_id:
        # A topic has a row per language: a Spanish group's topic is the
        # translation of the one chosen.
        found &= Q(cohort__topic__translation_key=indicator.topic.translation_key)
    return found


def held_sessions(groups: Q, period: Period | None = None) -> QuerySet[Session]:
    """Sessions of the groups held by now (not cancelled), within `period`."""
    held = Session.objects.filter(
        groups, status=Session.Status.SCHEDULED, starts_at__lte=timezone.now()
    )
    return held if period is None else period.filter(held, "starts_at")


@dataclass(frozen=True)
class CoreCount:
    """One query counting some core measures: the rows it counts (given the
    groups and the period), the rows' path to their group's tree path, and
    the aggregate for each measure."""

    rows: Callable[[Q, Period], QuerySet]
    group_path: str
    measures: dict[str, Aggregate]

    def count(self, groups: Q, period: Period) -> dict[str, int]:
        found = self.rows(groups, period).aggregate(**_aliased(self.measures))
        return {key: found[_alias(key)] for key in self.measures}

    def count_by(self, groups: Q, period: Period, part: Expression) -> dict:
        """The counts of each part (`part` an expression on the group's tree
        path, e.g. its site) apart: part → measure → count."""
        found = (
            self.rows(groups, period)
            .annotate(part=part)
            .order_by()
            .values("part")
            .annotate(**_aliased(self.measures))
        )
        return {
            row["part"]: {key: row[_alias(key)] for key in self.measures}
            for row in found
        }


def _alias(key: str) -> str:
    return key.replace(".", "_")


def _aliased(measures: dict[str, Aggregate]) -> dict[str, Aggregate]:
    return {_alias(key): aggregate for key, aggregate in measures.items()}


def _present(groups: Q, period: Period) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        session__in=held_sessions(groups, period), status__in=PRESENT
    )


def _members(groups: Q, period: Period) -> QuerySet[Membership]:
    """People taking part by the end of the period."""
    members = Membership.objects.filter(
        groups,
        role=Membership.Role.PARTICIPANT,
        status__in=CURRENT_MEMBER_STATUSES,
    )
    return members if period.ends is None else members.filter(joined_at__lt=period.ends)


def _certificates(groups: Q, period: Period) -> QuerySet[Certificate]:
    return period.filter(Certificate.objects.filter(groups), "issued_at")


# The queries counting core measures; attendances, the people who attended
# and the organisations they belong to (by a confirmed affiliation) in one.
CORE_COUNTS = [
    CoreCount(held_sessions, "cohort__path", {"core.sessions": Count("pk")}),
    CoreCount(
        _present,
        "session__cohort__path",
        {
            "core.attendances": Count("pk", distinct=True),
            "core.people_attended": Count("user", distinct=True),
            "core.organisations_attended": Count(
                "user__affiliations__organisation",
                distinct=True,
                filter=Q(user__affiliations__confirmed_at__isnull=False),
            ),
        },
    ),
    CoreCount(_certificates, "cohort__path", {"core.certificates": Count("pk")}),
    CoreCount(
        _members,
        "cohort__path",
        {
            "core.participants": Count("pk"),
            "core.goals_met": Count("pk", filter=Q(goal_met=True)),
        },
    ),
]
# Measures counting people or organisations once however many groups they
# are in: a whole is not the sum of its parts'.
DISTINCT_MEASURES = {"core.people_attended", "core.organisations_attended"}


def _places(groups: Q, period: Period) -> QuerySet[Session]:
    """The held sessions' places, written as people write them."""
    return (
        held_sessions(groups, period)
        .exclude(location_name="")
        .annotate(place=Lower(Trim("location_name")))
    )


def core_value(indicator: Indicator, program_id: int, period: Period) -> int:
    """A core measure of the indicator's groups over the period (a query)."""
    groups = _groups(indicator, program_id)
    if indicator.measure == "core.sessions" and indicator.per_place:
        return _places(groups, period).values("place").distinct().count()
    return _core_count(indicator.measure).count(groups, period)[indicator.measure]


def core_value_by(
    indicator: Indicator, program_id: int, period: Period, part_of: PartOf
) -> dict:
    """A core measure of the indicator's groups over the period for each
    part (`part_of(group path field)` an expression naming a group's part),
    in a query however many parts: part → count; parts with none left out."""
    groups = _groups(indicator, program_id)
    key = indicator.measure
    if key == "core.sessions" and indicator.per_place:
        found: dict = {}
        for row in (
            _places(groups, period)
            .annotate(part=part_of("cohort__path"))
            .order_by()
            .values("part", "place")
            .distinct()
        ):
            found[row["part"]] = found.get(row["part"], 0) + 1
        return found
    core = _core_count(key)
    return {
        part: counts[key]
        for part, counts in core.count_by(
            groups, period, part_of(core.group_path)
        ).items()
    }


def _core_count(key: str) -> CoreCount:
    return next(core for core in CORE_COUNTS if key in core.measures)


def core_values(program_id: int, period: Period) -> dict[str, int]:
    """Every core measure of the program's groups over the period: a query
    for each group of them (CORE_COUNTS)."""
    groups = Q(cohort__program=program_id)
    found: dict[str, int] = {}
    for core in CORE_COUNTS:
        found.update(core.count(groups, period))
    return found


@dataclass(frozen=True)
class Actual:
    """An indicator with its actual (None: nothing yet) and where it stands."""

    indicator: Indicator
    value: Decimal | None
    latest: IndicatorResult | None = None
    measure_unit: str = ""
    # A plugin's measure of each group (group id → value), if it is given
    # and the measure's value for several groups is the sum of theirs.
    summed_by_group: Mapping[int, float] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """The indicator's unit, else its measure's ("hours")."""
        return self.indicator.unit or self.measure_unit

    @property
    def standing(self) -> str:
        return self.indicator.standing(self.value)

    @property
    def progress(self) -> str:
        """ "10 officials (target 8-12)"."""
        reached = f"{self.shown_value} {self.unit}".strip()
        return _("%(reached)s (target %(target)s)") % {
            "reached": reached,
            "target": self.indicator.describe(),
        }

    @property
    def standing_label(self) -> str:
        return str(STANDINGS[self.standing])

    @property
    def shown_value(self) -> Decimal | int | None:
        return plain(self.value)

    @property
    def bar(self) -> dict[str, float]:
        """The progress bar's parts, as percentages of its length: the range
        starts at `low` and ends at `high`; `value` is how far the actual
        reaches. The bar runs a quarter past the range's upper end (past the
        lower one when it has only that) or to the actual, whichever is more."""
        low = self.indicator.target or Decimal(0)
        high = self.indicator.maximum
        top = max(high if high is not None else low, Decimal(1)) * Decimal("1.25")
        top = max(top, self.value or 0)

        def share(number: Decimal) -> float:
            return round(float(100 * number / top), 1)

        start, end = share(low), share(high) if high is not None else 100.0
        return {
            "low": start,
            "width": round(end - start, 1),
            "value": share(self.value or 0),
        }


def actuals(
    logic_model: LogicModel, indicators: list[Indicator] | None = None
) -> list[Actual]:
    """Every indicator of the model (or those given) with its actual: a
    query for each computed core indicator, one call to the plugins for
    theirs, one query for all the entered ones' latest results."""
    if indicators is None:
        indicators = list(logic_model.indicators.select_related("topic"))
    period = period_of(logic_model)
    plugin_values: dict[str, Measure] | None = None
    entered: dict[int, IndicatorResult] = {}
    for result in IndicatorResult.objects.filter(
        indicator__in=[each for each in indicators if each.entered],
        withdrawn_at__isnull=True,
    ).order_by("indicator", "-entered_at", "-pk"):
        entered.setdefault(result.indicator_id, result)
    found = []
    for indicator in indicators:
        if indicator.entered:
            latest = entered.get(indicator.pk)
            value = latest.value if latest else None
            found.append(Actual(indicator, value, latest))
            continue
        if indicator.measure in CORE_MEASURES:
            value = core_value(indicator, logic_model.program_id, period)
            found.append(Actual(indicator, Decimal(value)))
            continue
        if plugin_values is None:
            plugin_values = {
                measure.key: measure
                for measure in plugin_measures(logic_model.program, period)
            }
        measure = plugin_values.get(indicator.measure)
        value = None if measure is None else number_of(measure.value)
        if value is None:  # its plugin is off, failed, or gave no number
            found.append(Actual(indicator, None))
            continue
        found.append(
            Actual(
                indicator,
                value,
                measure_unit=measure.unit,
                summed_by_group=measure.by_group if measure.adds_up else {},
            )
        )
    return found


def number_of(value) -> Decimal | None:
    """A plugin's value as a finite Decimal, or None (text, NaN, infinity)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def plugin_measures(program, period: Period | None) -> list[Measure]:
    return collect("lms_measures", program=program, period=period)


def by_stage(found: list[Actual]) -> list[tuple[str, str, list[Actual]]]:
    """The actuals under each stage (value, label, actuals), in stage order."""
    return [
        (stage.value, stage.label, [a for a in found if a.indicator.stage == stage])
        for stage in Stage
    ]
