"""Running a cohort again: a copy of its page and schedule for a new term."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from cohorts.permissions import STAFF_ROLES
from cohorts.signals import term_copied


def first_meeting_day(cohort: CohortPage) -> date | None:
    # Sessions are the scheduling app's: read through the group's relation.
    first = cohort.sessions.order_by("starts_at").values_list("starts_at", flat=True)
    start = first.first()
    return start.astimezone(ZoneInfo(cohort.time_zone)).date() if start else None


@transaction.atomic
def duplicate_for_new_term(
    cohort: CohortPage,
    *,
    title: str,
    slug: str,
    first_meeting: date,
    user: AbstractBaseUser,
) -> CohortPage:
    """A draft copy of the cohort with its schedule moved to start on
    `first_meeting`, keeping every meeting's local time and weekday gaps (the
    apps above copy their part on `term_copied`: scheduling the meetings).

    Facilitators and leads come along; participants join the new term
    themselves. Skipped dates are left out: holidays differ from term to term.
    """
    new = cohort.copy(
        update_attrs={"title": title, "slug": slug, "draft_title": title},
        keep_live=False,
        copy_revisions=False,
        user=user,
    )
    old_first = first_meeting_day(cohort)
    shift = timedelta(days=(first_meeting - old_first).days if old_first else 0)
    zone = ZoneInfo(cohort.time_zone)

    def moved(moment: datetime) -> datetime:
        # Shift the local wall-clock time, so 18:00 stays 18:00 across DST.
        local = moment.astimezone(zone).replace(tzinfo=None) + shift
        return local.replace(tzinfo=zone)

    term_copied.send(
        sender=CohortPage, cohort=new, source=cohort, moved=moved, shift=shift
    )
    Membership.objects.bulk_create(
        Membership(cohort=new, user_id=staff.user_id, role=staff.role)
        for staff in cohort.memberships.filter(
            role__in=STAFF_ROLES, status__in=CURRENT_MEMBER_STATUSES
        )
    )
    return new
