"""What each organisation's people did on the site: for a coalition's view
of its partners' participation (through `sdk.organisation_participation`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from insights.indicators import held_sessions
from lms.hookspecs import OrganisationWork, Period
from lms.plugins import collect
from organisations.models import Affiliation
from scheduling.models import Attendance, CoHost
from scheduling.register import PRESENT


@dataclass(frozen=True)
class Participation:
    """An organisation's confirmed members, and over the period those of
    them who attended a held session, their attendances, the sessions, and
    the held sessions it co-hosted."""

    members: int = 0
    people_attended: int = 0
    attendances: int = 0
    sessions: int = 0
    co_hosted: int = 0


def organisation_participation(
    organisation_ids, period: Period | None = None
) -> dict[int, Participation]:
    """Each of the organisations' participation, in three queries (by
    affiliations a lead confirmed; a person in two organisations counts for
    both)."""
    confirmed = Q(confirmed_at__isnull=False)
    held = held_sessions(Q(), period)
    members = dict(
        Affiliation.objects.filter(confirmed, organisation_id__in=organisation_ids)
        .values_list("organisation_id")
        .annotate(count=Count("user", distinct=True))
    )
    attended = _by_organisation(_attended_by_members(organisation_ids, held)).annotate(
        people=Count("user", distinct=True),
        attendances=Count("pk", distinct=True),
        sessions=Count("session", distinct=True),
    )
    co_hosted = dict(
        CoHost.objects.filter(organisation_id__in=organisation_ids, session__in=held)
        .values_list("organisation_id")
        .annotate(count=Count("session", distinct=True))
        .order_by()
    )
    found = {
        pk: Participation(members=members.get(pk, 0), co_hosted=co_hosted.get(pk, 0))
        for pk in {*members, *co_hosted}
    }
    for row in attended:
        pk = row["user__affiliations__organisation_id"]
        found[pk] = Participation(
            members=members.get(pk, 0),
            people_attended=row["people"],
            attendances=row["attendances"],
            sessions=row["sessions"],
            co_hosted=co_hosted.get(pk, 0),
        )
    return found


def organisations_attending(
    organisation_ids, period: Period | None = None, program=None
) -> int:
    """How many of the organisations had a confirmed member attend a held
    session in the period (of the program's groups, with one): one query."""
    held = held_sessions(Q() if program is None else Q(cohort__program=program), period)
    attended = _attended_by_members(organisation_ids, held)
    return _by_organisation(attended).distinct().count()


def _attended_by_members(organisation_ids, held):
    """Attendances at the `held` sessions of the organisations' members (by
    an affiliation a lead confirmed)."""
    return Attendance.objects.filter(
        session__in=held,
        status__in=PRESENT,
        user__affiliations__organisation_id__in=organisation_ids,
        user__affiliations__confirmed_at__isnull=False,
    )


def _by_organisation(attendances):
    return attendances.values("user__affiliations__organisation_id")


def organisation_work(
    organisation_ids, period: Period | None = None
) -> list[OrganisationWork]:
    """What the plugins did with each of the organisations over the period
    (`lms_organisation_work`), a kind of work each."""
    return collect(
        "lms_organisation_work",
        organisation_ids=list(organisation_ids),
        period=period,
    )
