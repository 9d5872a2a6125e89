from collections import Counter

from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms_signups.models import Job, Signup, upcoming
from sdk import (
    Measure,
    MemberLeft,
    Panel,
    Session,
    Tab,
    groups_using_plugin,
    hookimpl,
)

LABEL = "signups"


@hookimpl
def lms_cohort_tabs(cohort, user):
    url = reverse("signups:sheet", args=[cohort.pk])
    return [Tab(label=pgettext("signups", "Sign-ups"), url=url)]


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    if not user.is_authenticated:
        return []
    # My learning (cohort None) asks every plugin: show only the groups that
    # switched this one on. A subquery, so the panel stays one query.
    groups = [cohort] if cohort is not None else groups_using_plugin(user, LABEL)

    def context():
        coming = upcoming(Session.objects.filter(cohort__in=groups))
        signups = (
            Signup.objects.filter(user=user, job__session__in=coming)
            .select_related("job__session__cohort")
            .order_by("job__session__starts_at")
        )
        return {"signups": list(signups[:5])}

    return [
        Panel(
            title=_("Your jobs coming up"),
            template="lms_signups/panel.html",
            context=context,
        )
    ]


@hookimpl
def lms_measures(program):
    filled = Counter()
    if program is not None:  # None asks only for the keys and labels
        jobs = (
            Job.objects.filter(session__cohort__program=program)
            .exclude(session__status="cancelled")
            .annotate(taken=Count("signups"))
            .filter(taken__gte=F("places"))
        )
        filled = Counter(jobs.values_list("session__cohort_id", flat=True))
    return [
        Measure(
            key="signups.jobs_filled",
            label=_("Session jobs filled"),
            value=sum(filled.values()),
            unit=_("jobs"),
            by_group=dict(filled),
            adds_up=True,
        )
    ]


@hookimpl
def lms_export_user_data(user):
    signups = Signup.objects.filter(user=user).select_related("job__session__cohort")
    return {
        "jobs": [
            {
                "job": signup.job.title,
                "group": signup.job.session.cohort.title,
                "session": signup.job.session.title,
                "session_starts": signup.job.session.starts_at,
                "signed_up": signup.created_at,
            }
            for signup in signups
        ]
    }


@hookimpl
def lms_erase_user_data(user):
    Signup.objects.filter(user=user).delete()


@hookimpl
def lms_handle_event(event):
    # Someone who leaves a group will not come: free their jobs to come.
    if isinstance(event, MemberLeft):
        coming = upcoming(Session.objects.filter(cohort_id=event.cohort_id))
        Signup.objects.filter(user_id=event.user_id, job__session__in=coming).delete()
