from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_discussions.access import LABEL, PROGRAM_STATUSES
from lms_discussions.models import (
    Attachment,
    Flag,
    Post,
    Reaction,
    Reader,
    Revision,
    SpaceFollower,
    Thread,
    dashboard_panels,
)
from lms_discussions.notices import KINDS
from lms_discussions.records import threads_changed
from lms_discussions.session_threads import open_for_group
from sdk import (
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
    if isinstance(event, SessionScheduled):
        open_for_group(event.cohort_id)


@hookimpl
def lms_notification_kinds():
    return KINDS


# Threads quiet for longer are not "new" on My learning, read or not.
NEW_FOR = timedelta(days=30)


def _unread(user, since):
    """Threads with something the person has not read, leaving out muted
    ones and sessions' threads nobody wrote in."""
    read = Reader.objects.filter(thread=OuterRef("pk"), user=user).filter(
        Q(read_at__gte=OuterRef("last_activity_at")) | Q(choice=Reader.Choice.MUTE)
    )
    return (
        Thread.objects.filter(last_activity_at__gte=since)
        .exclude(author=None, replies=0)
        .exclude(Exists(read))
    )


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    """My learning: the person's spaces, with how many threads are new to
    them and how many of their questions got an answer they have not read;
    two plain queries (one with a pair of correlated counts per space cost
    more to build in Python than the rest of the page)."""
    if not user.is_authenticated or cohort is not None:
        return []

    def context():
        places = list(
            Membership.objects.filter(
                user=user, status__in=PROGRAM_STATUSES, cohort__live=True
            )
            .select_related("cohort__program")
            .order_by("cohort__title")
        )
        in_spaces = Q(space__cohort__in=[place.cohort_id for place in places]) | Q(
            space__program__in={place.cohort.program_id for place in places}
        )
        mine = Q(author=user, kind=Thread.Kind.QUESTION, answer__isnull=False)
        news = {
            (row["space__cohort"], row["space__program"]): (row["new"], row["answers"])
            for row in _unread(user, timezone.now() - NEW_FOR)
            .filter(in_spaces)
            .order_by()
            .values("space__cohort", "space__program")
            .annotate(new=Count("pk"), answers=Count("pk", filter=mine))
        }
        groups, programs = [], {}
        for place in places:
            group = place.cohort
            if place.status != Membership.Status.LEFT and group.uses_plugin(LABEL):
                groups.append((group, *news.get((group.pk, None), (0, 0))))
            if group.program is not None:
                programs[group.program.pk] = (
                    group.program,
                    *news.get((None, group.program.pk), (0, 0)),
                )
        return {"groups": groups, "programs": list(programs.values())}

    return [
        Panel(
            _("Discussions"),
            "lms_discussions/panel.html",
            context,
            cache=dashboard_panels,
            cache_key=str(user.pk),
            cache_scope=str(user.pk),
        )
    ]


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
                "files": [file.name for file in post.attachments.all()],
            }
            for post in posts.prefetch_related("revisions", "attachments").order_by(
                "created_at", "pk"
            )
        ],
        "discussion_reactions": [
            {"kind": reaction.kind, "thread": reaction.post.thread.title}
            for reaction in Reaction.objects.filter(user=user).select_related(
                "post__thread"
            )
        ],
        "discussion_spaces_followed": [
            {"space": str(follow.space), "since": follow.created_at.isoformat()}
            for follow in SpaceFollower.objects.filter(user=user).select_related(
                "space__cohort", "space__program"
            )
        ],
        "discussion_threads_followed_or_muted": [
            {"thread": reader.thread.title, "choice": reader.choice}
            for reader in Reader.objects.filter(user=user)
            .exclude(choice=Reader.Choice.DEFAULT)
            .select_related("thread")
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
    Attachment.objects.filter(post__author=user).delete()  # their files go
    Post.objects.filter(author=user).update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    threads_changed()
    Flag.objects.filter(flagger=user).delete()
    Reaction.objects.filter(user=user).delete()
    Reader.objects.filter(user=user).delete()
    SpaceFollower.objects.filter(user=user).delete()
