"""Each indicator's actual: counted from what the site records over its
logic model's period (the core measures, narrowed to groups of a kind and
topic, sessions optionally counted by place; the plugins' measures), or the
latest result a lead entered."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q, QuerySet
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


def core_value(indicator: Indicator, program_id: int, period: Period) -> int:
    """A core measure of the indicator's groups over the period (a query)."""
    groups = _groups(indicator, program_id)
    key = indicator.measure
    if key == "core.sessions" and indicator.per_place:
        places = (
            held_sessions(groups, period)
            .exclude(location_name="")
            .annotate(place=Lower(Trim("location_name")))
        )
        return places.values("place").distinct().count()
    counted = next(counts for counts, keys in CORE_COUNTS if key in keys)(
        groups, period
    )
    return counted[key]


def _sessions(groups: Q, period: Period) -> dict[str, int]:
    return {"core.sessions": held_sessions(groups, period).count()}


def _attendance(groups: Q, period: Period) -> dict[str, int]:
    """Attendances, the people who attended and the organisations they
    belong to (by a confirmed affiliation), in one query."""
    present = Attendance.objects.filter(
        session__in=held_sessions(groups, period), status__in=PRESENT
    )
    confirmed = Q(user__affiliations__confirmed_at__isnull=False)
    counts = present.aggregate(
        attendances=Count("pk", distinct=True),
        people=Count("user", distinct=True),
        organisations=Count(
            "user__affiliations__organisation", distinct=True, filter=confirmed
        ),
    )
    return {
        "core.attendances": counts["attendances"],
        "core.people_attended": counts["people"],
        "core.organisations_attended": counts["organisations"],
    }


def _certificates(groups: Q, period: Period) -> dict[str, int]:
    return {
        "core.certificates": period.filter(
            Certificate.objects.filter(groups), "issued_at"
        ).count()
    }


def _members(groups: Q, period: Period) -> dict[str, int]:
    """People taking part (by the end of the period) and those of them who
    met their goal, in one query."""
    members = Membership.objects.filter(
        groups,
        role=Membership.Role.PARTICIPANT,
        status__in=CURRENT_MEMBER_STATUSES,
    )
    if period.ends is not None:
        members = members.filter(joined_at__lt=period.ends)
    counts = members.aggregate(
        participants=Count("pk"), goals_met=Count("pk", filter=Q(goal_met=True))
    )
    return {
        "core.participants": counts["participants"],
        "core.goals_met": counts["goals_met"],
    }


# Each query counting core measures, with the measures it counts.
CORE_COUNTS = [
    (_sessions, {"core.sessions"}),
    (
        _attendance,
        {"core.attendances", "core.people_attended", "core.organisations_attended"},
    ),
    (_certificates, {"core.certificates"}),
    (_members, {"core.participants", "core.goals_met"}),
]


def core_values(program_id: int, period: Period) -> dict[str, int]:
    """Every core measure of the program's groups over the period: a query
    for each group of them (CORE_COUNTS)."""
    groups = Q(cohort__program=program_id)
    found: dict[str, int] = {}
    for counts, _keys in CORE_COUNTS:
        found.update(counts(groups, period))
    return found


@dataclass(frozen=True)
class Actual:
    """An indicator with its actual (None: nothing yet) and where it stands."""

    indicator: Indicator
    value: Decimal | None
    latest: IndicatorResult | None = None
    measure_unit: str = ""

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
        found.append(Actual(indicator, value, measure_unit=measure.unit))
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
