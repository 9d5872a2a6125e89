"""De-identified numbers about coaching: no names, no note text, ever."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from lms_coaching.models import CoachingSession, Goal, NextStep


@dataclass(frozen=True)
class Rollup:
    sessions: int = 0
    hours: float = 0.0
    people: int = 0
    organisations: int = 0
    goals_set: int = 0
    goals_met: int = 0
    steps_agreed: int = 0
    steps_done: int = 0
    formats: list[tuple[str, int]] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)


def rollup(sessions: QuerySet[CoachingSession]) -> Rollup:
    totals = sessions.aggregate(
        sessions=Count("pk"),
        minutes=Sum("minutes"),
        people=Count("coachee", distinct=True),
    )
    goals = Goal.objects.filter(session__in=sessions).aggregate(
        set=Count("pk"), met=Count("pk", filter=Q(status=Goal.Status.MET))
    )
    steps = NextStep.objects.filter(session__in=sessions).aggregate(
        agreed=Count("pk"), done=Count("done_at")
    )
    format_labels = dict(CoachingSession.Format.choices)
    formats = (
        sessions.order_by().values_list("format").annotate(n=Count("pk")).order_by("-n")
    )
    topics = (
        sessions.order_by()
        .filter(topics__isnull=False)
        .values_list("topics__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "topics__name")
    )
    return Rollup(
        sessions=totals["sessions"],
        hours=round((totals["minutes"] or 0) / 60, 1),
        people=totals["people"],
        organisations=sessions.exclude(organisation=None)
        .values("organisation")
        .distinct()
        .count(),
        goals_set=goals["set"],
        goals_met=goals["met"],
        steps_agreed=steps["agreed"],
        steps_done=steps["done"],
        formats=[(str(format_labels.get(key, key)), n) for key, n in formats],
        topics=list(topics),
    )


@dataclass(frozen=True)
class GroupRow:
    cohort_id: int
    title: str
    sessions: int
    hours: float
    people: int
    goals_set: int
    goals_met: int


def by_group(sessions: QuerySet[CoachingSession]) -> list[GroupRow]:
    """One row per group with coaching among `sessions`, in two queries."""
    goals = {
        row["session__cohort"]: row
        for row in Goal.objects.filter(session__in=sessions)
        .values("session__cohort")
        .annotate(set=Count("pk"), met=Count("pk", filter=Q(status=Goal.Status.MET)))
    }
    rows = (
        sessions.values("cohort", "cohort__title")
        .annotate(
            sessions=Count("pk"),
            minutes=Sum("minutes"),
            people=Count("coachee", distinct=True),
        )
        .order_by("cohort__title", "cohort")
    )
    return [
        GroupRow(
            cohort_id=row["cohort"],
            title=row["cohort__title"],
            sessions=row["sessions"],
            hours=round(row["minutes"] / 60, 1),
            people=row["people"],
            goals_set=goals.get(row["cohort"], {}).get("set", 0),
            goals_met=goals.get(row["cohort"], {}).get("met", 0),
        )
        for row in rows
    ]
