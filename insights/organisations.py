"""What each organisation's people did on the site: for a coalition's view
of its partners' participation (through `sdk.organisation_participation`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from insights.indicators import held_sessions
from lms.hookspecs import OrganisationWork, Period
from lms.plugins import collect
from organisations.models import Affiliation
from scheduling.models import Attendance
from scheduling.register import PRESENT


@dataclass(frozen=True)
class Participation:
    """An organisation's confirmed members, and over the period those of
    them who attended a held session, their attendances and the sessions."""

    members: int = 0
    people_attended: int = 0
    attendances: int = 0
    sessions: int = 0


def organisation_participation(
    organisation_ids, period: Period | None = None, program=None
) -> dict[int, Participation]:
    """Each of the organisations' participation, in two queries (by
    affiliations a lead confirmed; a person in two organisations counts for
    both). With a program, only its groups' sessions count as attended."""
    confirmed = Q(confirmed_at__isnull=False)
    members = dict(
        Affiliation.objects.filter(confirmed, organisation_id__in=organisation_ids)
        .values_list("organisation_id")
        .annotate(count=Count("user", distinct=True))
    )
    attended = (
        Attendance.objects.filter(
            session__in=held_sessions(
                Q() if program is None else Q(cohort__program=program), period
            ),
            status__in=PRESENT,
            user__affiliations__organisation_id__in=organisation_ids,
            user__affiliations__confirmed_at__isnull=False,
        )
        .values("user__affiliations__organisation_id")
        .annotate(
            people=Count("user", distinct=True),
            attendances=Count("pk", distinct=True),
            sessions=Count("session", distinct=True),
        )
    )
    found = {pk: Participation(members=count) for pk, count in members.items()}
    for row in attended:
        pk = row["user__affiliations__organisation_id"]
        found[pk] = Participation(
            members=members.get(pk, 0),
            people_attended=row["people"],
            attendances=row["attendances"],
            sessions=row["sessions"],
        )
    return found


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
