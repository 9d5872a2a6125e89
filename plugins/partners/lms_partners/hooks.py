"""What the partners plugin gives the rest of the site: measures for a
logic model ("sustain 10 to 15 core partners", "invite 5 to 7 new organisations
to become core partners"). Partners are the site's, not a program's: every
program counts the same ones. And the personal data it keeps: who decided a
correction, the address a visitor left, an entry's contact address."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lms_partners.models import Correction, Partner
from sdk import Measure, hookimpl

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
    ]


@hookimpl
def lms_export_user_data(user) -> dict:
    """Corrections a person decided as a lead, or sent leaving their
    address, and entries whose public contact is their address."""
    return {
        "partner corrections decided": [
            {
                "partner": str(correction.partner),
                "decision": correction.state,
                "at": correction.decided_at.isoformat(),
            }
            for correction in Correction.objects.filter(decided_by=user)
            .select_related("partner__organisation")
            .exclude(decided_at=None)
        ],
        "partner corrections sent": [
            {
                "partner": str(correction.partner),
                "message": correction.message,
                "at": correction.created_at.isoformat(),
            }
            for correction in Correction.objects.filter(
                reply_to__iexact=user.email
            ).select_related("partner__organisation")
        ]
        if user.email
        else [],
        "partner entries with your address as their contact": [
            str(partner)
            for partner in Partner.objects.filter(
                contact_email__iexact=user.email
            ).select_related("organisation")
        ]
        if user.email
        else [],
    }


@hookimpl
def lms_erase_user_data(user) -> None:
    """The decisions stay (the corrections happened) without who made them;
    their address leaves the messages they sent and the entries' contacts."""
    Correction.objects.filter(decided_by=user).update(decided_by=None)
    if user.email:
        Correction.objects.filter(reply_to__iexact=user.email).update(reply_to="")
        Partner.objects.filter(contact_email__iexact=user.email).update(
            contact_email=""
        )
