"""What the partners plugin gives the rest of the site: measures for a
logic model ("sustain 10 to 15 core partners", "invite 5 to 7 new organisations
to become core partners", "partners attending"). Partners are the site's,
not a program's: every program counts the same ones, but a partner attends
a program when its people come to that program's sessions. And the
personal data it keeps: who decided a correction, the address a visitor
left, an entry's contact address."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lms_partners.models import Correction, Partner
from sdk import Measure, addresses_of, hookimpl, organisations_attending

JOINING = [Partner.Status.INVITED, Partner.Status.CORE]


@hookimpl
def lms_measures(program, period):
    since = Q(status__in=JOINING, status_since__isnull=False)
    if period is not None and period.starts is not None:
        since &= Q(status_since__gte=period.starts.date())
    if period is not None and period.ends is not None:
        since &= Q(status_since__lt=period.ends.date())
    counts = Partner.objects.aggregate(
        core=Count("pk", filter=Q(status=Partner.Status.CORE)),
        joining=Count("pk", filter=since),
    )
    attending = 0
    if program is not None:
        attending = organisations_attending(
            Partner.objects.values("organisation"), period, program=program
        )
    return [
        Measure(
            key="partners.core",
            label=_("Core partners"),
            value=counts["core"],
            unit=_("organisations"),
        ),
        Measure(
            key="partners.joining",
            label=_("Organisations invited or become core partners in the period"),
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
