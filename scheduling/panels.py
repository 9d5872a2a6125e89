"""Scheduling's part of My learning: the next sessions of the person's groups,
shown in the groups panel (`cohorts.panels.groups_panel_contexts`)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cohorts.models import CohortPage
from scheduling.models import RSVP, Session

NEXT_SESSIONS = 5


def next_sessions(user: AbstractBaseUser, cohorts: list[CohortPage]) -> dict:
    answer = RSVP.objects.filter(session=OuterRef("pk"), user=user).values("status")
    sessions = (
        Session.objects.filter(
            cohort__in=cohorts,
            status=Session.Status.SCHEDULED,
            ends_at__gte=timezone.now(),
        )
        .annotate(my_answer=Subquery(answer[:1]))
        .order_by("starts_at")[:NEXT_SESSIONS]
    )
    by_id = {cohort.pk: cohort for cohort in cohorts}
    upcoming = list(sessions)
    for session in upcoming:
        session.cohort = by_id[session.cohort_id]
    return {"sessions": upcoming}
