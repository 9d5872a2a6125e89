from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from lms_discussions import records
from lms_discussions.access import LABEL, PROGRAM_STATUSES
from lms_discussions.models import Flag, Post, Revision, Thread
from lms_discussions.notices import KINDS
from sdk import (
    CohortPage,
    Membership,
    Panel,
    SessionScheduled,
    Tab,
    hookimpl,
)


@hookimpl
def lms_cohort_tabs(cohort, user):
    if not user.is_authenticated:
        return []
    return [
        Tab(label=_("Discussions"), url=reverse("discussions:group", args=[cohort.pk]))
    ]


@hookimpl
def lms_handle_event(event):
    # Each meeting of a group gets its thread as soon as it is scheduled.
    if isinstance(event, SessionScheduled) and event.cohort_id:
        cohort = CohortPage.objects.filter(pk=event.cohort_id).first()
        if cohort is not None and cohort.uses_plugin(LABEL):
            records.open_session_threads(cohort)


@hookimpl
def lms_notification_kinds():
    return KINDS


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    """My learning: the spaces the person can talk in, in one query."""
    if not user.is_authenticated or cohort is not None:
        return []

    def context():
        places = (
            Membership.objects.filter(
                user=user, status__in=PROGRAM_STATUSES, cohort__live=True
            )
            .select_related("cohort__program")
            .only("status", "cohort__title", "cohort__plugins", "cohort__program")
            .order_by("cohort__title")
        )
        groups, programs = [], {}
        for place in places:
            if place.status != Membership.Status.LEFT and place.cohort.uses_plugin(
                LABEL
            ):
                groups.append(place.cohort)
            if place.cohort.program is not None:
                programs[place.cohort.program.pk] = place.cohort.program
        return {"groups": groups, "programs": list(programs.values())}

    return [Panel(_("Discussions"), "lms_discussions/panel.html", context)]


@hookimpl
def lms_export_user_data(user):
    posts = Post.objects.filter(author=user).select_related("thread")
    return {
        "discussion_posts": [
            {
                "thread": post.thread.title,
                "written": post.created_at.isoformat(),
                "text": post.body,
                "deleted": post.deleted_at is not None,
                "earlier_versions": [
                    revision.body for revision in post.revisions.all()
                ],
            }
            for post in posts.prefetch_related("revisions")
        ],
        "discussion_flags": [
            {"written": flag.created_at.isoformat(), "reason": flag.reason}
            for flag in Flag.objects.filter(flagger=user)
        ],
    }


@hookimpl
def lms_erase_user_data(user):
    """Threads only they wrote in go (a session's thread stays, without
    their posts); where others wrote too, their posts stay without them
    ("Former member") and their earlier versions go."""
    by_others = Post.objects.exclude(author=user)
    Thread.objects.filter(author=user, session__isnull=True).exclude(
        Exists(by_others.filter(thread=OuterRef("pk")))
    ).delete()
    alone = Post.objects.filter(author=user).exclude(
        Exists(by_others.filter(thread=OuterRef("thread")))
    )
    emptied = list(alone.values_list("thread_id", flat=True).distinct())
    alone.delete()
    Thread.objects.filter(pk__in=emptied).update(replies=0)
    Revision.objects.filter(post__author=user).delete()
    Post.objects.filter(author=user).update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    Flag.objects.filter(flagger=user).delete()
