"""What the partners plugin gives the rest of the site: measures for a
logic model ("sustain 10 to 15 core partners", "invite 5 to 7 new organisations
to become core partners"). Partners are the site's, not a program's: every
program counts the same ones."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lms_partners.models import Partner
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
