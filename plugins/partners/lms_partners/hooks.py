"""What the partners plugin gives the rest of the site: measures for a
logic model ("sustain 10 to 15 core partners", "invite 5 to 7 new organisations
to become core partners", "partners attending"). Partners are the site's,
not a program's: every program counts the same ones, but a partner attends
a program when its people come to that program's sessions. And the
personal data it keeps: who decided a correction, the address a visitor
left, an entry's contact address."""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_partners.models import Correction, Partner, StatusChange
from sdk import Measure, addresses_of, hookimpl, organisations_attending

JOINING = [Partner.Status.INVITED, Partner.Status.CORE]


def last_days(period) -> tuple[date | None, date]:
    """The period's first and last days (no first: from the beginning; the
    last no later than today, the latest the history knows)."""
    today = timezone.localdate()
    first = None
    if period is not None and period.starts is not None:
        first = timezone.localdate(period.starts)
    last = today
    if period is not None and period.ends is not None:
        last = min(today, timezone.localdate(period.ends - timedelta(microseconds=1)))
    return first, last


def _status_on(day: date) -> Subquery:
    """Each partner's status at the end of `day`, from its history."""
    return Subquery(
        StatusChange.objects.filter(partner=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-pk")
        .values("status")[:1]
    )


def partnership_counts(first: date | None, last: date) -> dict[str, int]:
    """In one query: `core`, the partners core at the start of the period and
    all through it (with no first day: core partners at its end); and
    `joining`, the organisations first invited (or made core partners) in
    the period, whatever they became since."""
    core = Q(at_end=Partner.Status.CORE)
    joined = Q(joined__isnull=False, joined__lte=last)
    facts = {
        "at_end": _status_on(last),
        "joined": Subquery(
            StatusChange.objects.filter(partner=OuterRef("pk"), status__in=JOINING)
            .order_by("on")
            .values("on")[:1]
        ),
    }
    if first is not None:
        core &= Q(at_start=Partner.Status.CORE, left_core=False)
        joined &= Q(joined__gte=first)
        facts["at_start"] = _status_on(first)
        facts["left_core"] = Exists(
            StatusChange.objects.filter(
                partner=OuterRef("pk"), on__gt=first, on__lte=last
            ).exclude(status=Partner.Status.CORE)
        )
    return Partner.objects.annotate(**facts).aggregate(
        core=Count("pk", filter=core), joining=Count("pk", filter=joined)
    )


@hookimpl
def lms_measures(program, period):
    first, last = last_days(period)
    counts = partnership_counts(first, last)
    attending = 0
    if program is not None:
        attending = organisations_attending(
            Partner.objects.values("organisation"), period, program=program
        )
    return [
        Measure(
            key="partners.core",
            label=_("Core partners all through the period"),
            value=counts["core"],
            unit=_("organisations"),
        ),
        Measure(
            key="partners.joining",
            label=_("Organisations first invited or made core partners in the period"),
            value=counts["joining"],
            unit=_("organisations"),
        ),
        Measure(
            key="partners.attending",
            label=_("Partners whose people attended the program's sessions"),
            value=attending,
            unit=_("organisations"),
        ),
    ]


def _any_of(addresses: set[str], field: str) -> Q:
    return Q.create([(f"{field}__iexact", each) for each in addresses], "OR")


@hookimpl
def lms_export_user_data(user) -> dict:
    """Corrections a person decided as a lead, or sent leaving one of their
    addresses, and entries whose public contact is one of their addresses."""
    addresses = addresses_of(user) - {""}  # an account without one: none
    sent = Correction.objects.none()
    contact_of = Partner.objects.none()
    if addresses:
        sent = Correction.objects.filter(_any_of(addresses, "reply_to"))
        contact_of = Partner.objects.filter(_any_of(addresses, "contact_email"))
    decided = Correction.objects.filter(decided_by=user).exclude(decided_at=None)
    return {
        "partner corrections decided": [
            {
                "partner": str(correction.partner),
                "decision": correction.state,
                "at": correction.decided_at.isoformat(),
            }
            for correction in decided.select_related("partner__organisation")
        ],
        "partner corrections sent": [
            {
                "partner": str(correction.partner),
                "message": correction.message,
                "at": correction.created_at.isoformat(),
            }
            for correction in sent.select_related("partner__organisation")
        ],
        "partner entries with your address as their contact": [
            str(partner) for partner in contact_of.select_related("organisation")
        ],
    }


@hookimpl
def lms_erase_user_data(user) -> None:
    """The decisions stay (the corrections happened) without who made them;
    their addresses leave the messages they sent and the entries' contacts
    (the entry then has no contact to review it until a lead adds one)."""
    Correction.objects.filter(decided_by=user).update(decided_by=None)
    addresses = addresses_of(user) - {""}  # an account without one: none
    if addresses:
        Correction.objects.filter(_any_of(addresses, "reply_to")).update(reply_to="")
        Partner.objects.filter(_any_of(addresses, "contact_email")).update(
            contact_email=""
        )
