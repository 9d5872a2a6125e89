from datetime import timedelta

from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_grantwriting import access
from lms_grantwriting.api import router
from lms_grantwriting.models import (
    Assignment,
    Draft,
    Feedback,
    Version,
    dashboard_panels,
)
from lms_grantwriting.notices import KINDS
from sdk import (
    CURRENT_MEMBER_STATUSES,
    CalendarItem,
    Measure,
    Panel,
    Report,
    Tab,
    groups_using_plugin,
    hookimpl,
    latest_per_person,
)

UPCOMING_ON_PANEL = 5
# Calendar apps show a deadline as a short event ending when the work is due.
DEADLINE_LENGTH = timedelta(minutes=30)


@hookimpl
def lms_cohort_tabs(cohort, user):
    if not user.is_authenticated:
        return []
    url = reverse("grantwriting:workshop", args=[cohort.pk])
    return [Tab(label=_("Drafts and feedback"), url=url)]


def _members_assignments(user, **conditions):
    """Assignments of the user's groups; `conditions` may name the membership
    (cohort__memberships__…): in the same filter, so it is the user's."""
    return Assignment.objects.filter(
        cohort__memberships__user=user,
        cohort__memberships__status__in=CURRENT_MEMBER_STATUSES,
        **conditions,
    )


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    if not user.is_authenticated:
        return []
    now = timezone.now()

    def context():
        upcoming = _members_assignments(user).filter(due_at__gte=now)
        if cohort is not None:
            upcoming = upcoming.filter(cohort=cohort)
        else:
            # My learning: only the groups that use grantwriting now.
            upcoming = upcoming.filter(
                cohort__in=groups_using_plugin(user, access.LABEL)
            )
        return {
            "assignments": list(
                upcoming.annotate(
                    my_versions=Max(
                        "drafts__versions_made", filter=Q(drafts__author=user)
                    )
                ).order_by("due_at")[:UPCOMING_ON_PANEL]
            )
        }

    return [
        Panel(
            title=_("Grantwriting: coming due"),
            template="lms_grantwriting/panel.html",
            context=context,
            cache=dashboard_panels,
            # A deadline that passed leaves the panel within the hour.
            cache_key=f"{user.pk}:{cohort.pk if cohort else ''}:{now:%Y%m%d%H}",
            cache_scope=str(user.pk),
        )
    ]


@hookimpl
def lms_calendar_events(user):
    # Deadlines from the day the person joined on: one who joined today is
    # not sent the weeks already passed.
    assignments = _members_assignments(
        user,
        cohort__in=groups_using_plugin(user, access.LABEL),
        due_at__gte=F("cohort__memberships__joined_at"),
    )
    return [
        CalendarItem(
            uid=f"grantwriting-assignment-{assignment.pk}@learning-commons",
            title=_("Due: %(title)s") % {"title": assignment.title},
            start=assignment.due_at - DEADLINE_LENGTH,
            end=assignment.due_at,
            url=reverse("grantwriting:assignment", args=[assignment.pk]),
            cohort_id=assignment.cohort_id,
        )
        for assignment in assignments
    ]


@hookimpl
def lms_activity(cohort, since):
    versions = Version.objects.filter(created_at__gte=since)
    if cohort is not None:
        versions = versions.filter(draft__assignment__cohort=cohort)
    return latest_per_person(
        versions, person="draft__author", at="created_at", kind="draft"
    )


@hookimpl
def lms_measures(program):
    finals = Draft.objects.filter(status=Draft.Status.FINAL)
    if program is not None:
        finals = finals.filter(assignment__cohort__program=program)
    return [
        Measure(
            key="grantwriting.final_drafts",
            label=_("Grant drafts finished"),
            value=finals.count(),
            unit=_("drafts"),
        )
    ]


@hookimpl
def lms_reports(cohort):
    drafts = (
        Draft.objects.filter(assignment__cohort=cohort)
        .select_related("assignment", "author")
        .annotate(feedback_count=Count("feedback"))
        .order_by("assignment__due_at", "author__last_name", "pk")
    )
    columns = [
        _("assignment"),
        _("person"),
        _("status"),
        _("versions"),
        _("feedback"),
        _("last change"),
    ]
    rows = [
        [
            draft.assignment.title,
            draft.author.get_full_name() or draft.author.email,
            draft.get_status_display(),
            draft.versions_made,
            draft.feedback_count,
            draft.updated_at.isoformat(),
        ]
        for draft in drafts
    ]
    return [Report(name=_("Grantwriting drafts"), columns=columns, rows=rows)]


@hookimpl
def lms_export_user_data(user):
    drafts = Draft.objects.filter(author=user).select_related("assignment")
    return {
        "grantwriting_drafts": [
            {
                "assignment": draft.assignment.title,
                "status": draft.status,
                "versions": [
                    {
                        "number": version.number,
                        "text": version.text,
                        # Core puts the file itself in the person's download.
                        "file": version.file or None,
                        "submitted": version.created_at.isoformat(),
                    }
                    for version in draft.versions.all()
                ],
            }
            for draft in drafts.prefetch_related("versions")
        ],
        "grantwriting_feedback_given": [
            {"text": feedback.text, "given": feedback.created_at.isoformat()}
            for feedback in Feedback.objects.filter(author=user)
        ],
    }


@hookimpl
def lms_erase_user_data(user):
    # Drafts go with their files; feedback the person gave stays, unsigned,
    # because it belongs to the conversation on someone else's draft.
    Version.objects.filter(draft__author=user).delete()
    Draft.objects.filter(author=user).delete()
    Feedback.objects.filter(author=user).update(author=None)


@hookimpl
def lms_notification_kinds():
    return KINDS


@hookimpl
def lms_api_routes():
    return router
