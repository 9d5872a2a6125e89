"""Who may read, write and moderate in which space: every view and hook asks here.

- A group's space: the group's current members (any role) read and write;
  its facilitators and leads, its program's leads and superusers moderate
  (the last two without being members). Nobody else learns it exists (404).
- A program's space: everyone who is or was in one of its groups (active,
  completed or departed) and its leads. Its leads and superusers moderate.
  Participants of youth groups read it but do not post there, so adults
  outside their group never see a youth member's post; an adult-only space
  needs no youth names rule (names are shown in full).
- Names go through `shown_name` with the space's group, so youth members are
  first names to other members and full names to the group's staff.
"""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_discussions.models import Post, Space, Thread
from sdk import (
    CURRENT_MEMBER_STATUSES,
    CohortPage,
    Membership,
    Program,
    admitted_by_privacy,
    leads_cohort,
    led_programs,
    plugin_space,
    privacy_refuses,
    shown_name,
    staff_role,
)

LABEL = "discussions"
# The program's space counts people who left its groups: they were part of it.
PROGRAM_STATUSES = [*CURRENT_MEMBER_STATUSES, Membership.Status.LEFT]


@dataclass(frozen=True)
class Seat:
    """A person in a space: what they may do there."""

    space: Space
    cohort: CohortPage | None
    program: Program | None
    moderates: bool
    may_post: bool
    # Runs the group itself (its staff, superusers): the group's staff tabs.
    runs_group: bool = False

    @property
    def to_staff(self) -> bool:
        """Moderators run the space: they see youth members' full names."""
        return self.moderates

    def name(self, person: AbstractBaseUser | None) -> str:
        if person is None:
            return _("Former member")
        return shown_name(person, self.cohort, to_staff=self.to_staff)

    def title(self) -> str:
        return self.cohort.title if self.cohort else self.program.name


def _group_moderator(user, cohort: CohortPage, request: HttpRequest) -> bool:
    """A program lead or superuser outside the group, admitted by its page."""
    return (
        cohort.uses_plugin(LABEL)
        and leads_cohort(user, cohort)
        and not privacy_refuses(cohort, request)
    )


def group_seat(request: HttpRequest, cohort_id: int) -> Seat:
    user = request.user
    try:
        cohort, found = plugin_space(user, cohort_id, LABEL, request)
    except Http404:
        cohort = CohortPage.objects.live().filter(pk=cohort_id).first()
        if cohort is None or not _group_moderator(user, cohort, request):
            raise
        found = None
    moderates = found is None or staff_role(found) or leads_cohort(user, cohort)
    # Made when its first thread is (records.start_thread): a GET writes nothing.
    space = Space.objects.filter(cohort=cohort).first() or Space(cohort=cohort)
    runs_group = staff_role(found) or user.is_superuser
    return Seat(
        space, cohort, None, moderates=moderates, may_post=True, runs_group=runs_group
    )


def program_seat(request: HttpRequest, program_id: int) -> Seat:
    user = request.user
    program = Program.objects.filter(pk=program_id).first()
    if program is None or not user.is_authenticated:
        raise Http404
    if user.is_superuser or led_programs(user).filter(pk=program.pk).exists():
        moderates = may_post = True
    else:
        places = list(
            Membership.objects.filter(
                user=user,
                status__in=PROGRAM_STATUSES,
                cohort__program=program,
                cohort__live=True,
            ).values_list("role", "cohort__is_youth")
        )
        if not places:
            raise Http404
        moderates = False
        # A youth group's participant never posts here under their name,
        # whatever other places they hold in the program.
        may_post = not any(
            youth and role == Membership.Role.PARTICIPANT for role, youth in places
        )
    space = Space.objects.filter(program=program).first() or Space(program=program)
    return Seat(space, None, program, moderates=moderates, may_post=may_post)


def seat_in(request: HttpRequest, space: Space) -> Seat:
    if space.cohort_id:
        return group_seat(request, space.cohort_id)
    return program_seat(request, space.program_id)


def thread_for(request: HttpRequest, thread_id: int) -> tuple[Thread, Seat]:
    """A thread of a space the person is in; 404 for everyone else."""
    thread = (
        Thread.objects.select_related("space", "session").filter(pk=thread_id).first()
    )
    if thread is None:
        raise Http404
    return thread, seat_in(request, thread.space)


def post_for(request: HttpRequest, post_id: int) -> tuple[Post, Seat]:
    post = (
        Post.objects.select_related("thread__space", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    return post, seat_in(request, post.thread.space)


def people_in(space: Space, *, by_privacy: bool = True) -> Q:
    """Who is in the space (this module's rule, on the user model, for many
    people at once): a group's current members, a program's members past and
    present, its leads, superusers; in a group's space, only those its
    page's privacy settings admit (unless `by_privacy` is False: who belongs
    to it, whether or not its page lets them in now)."""
    if space.cohort_id:
        program_id = space.cohort.program_id
        places = Membership.objects.filter(
            cohort_id=space.cohort_id, status__in=CURRENT_MEMBER_STATUSES
        )
        admitted = admitted_by_privacy(space.cohort) if by_privacy else Q()
    else:
        program_id = space.program_id
        places = Membership.objects.filter(
            cohort__program_id=program_id,
            cohort__live=True,
            status__in=PROGRAM_STATUSES,
        )
        admitted = Q()
    return admitted & (
        Q(pk__in=places.values("user_id"))
        | Q(pk__in=Program.objects.filter(pk=program_id).values("leads"))
        | Q(is_superuser=True)
    )


def nameable(space: Space) -> Q:
    """Whom a post's mention names to its readers: the people in the space,
    but in a program's space not the participants of its youth groups, who
    read it and never post there, so that no adult outside their group sees
    their names (a thread moved here keeps their mentions unnamed). Who
    belongs to a group is named whatever its page's privacy says now: that
    decides who reads the space, not whose name may be read in it."""
    people = people_in(space, by_privacy=False)
    if space.cohort_id:
        return people
    youth = Membership.objects.filter(
        cohort__program_id=space.program_id,
        cohort__is_youth=True,
        role=Membership.Role.PARTICIPANT,
        status__in=PROGRAM_STATUSES,
    )
    return people & ~Q(pk__in=youth.values("user_id"))


def mentionable(space: Space, author) -> Q:
    """Whom `author` may mention in the space (and find in the list of
    people): the active people it names, not a superuser who is in it only
    by being one; in a program's space, of its members past and present only
    those the author knows of already — who wrote in the space, the
    program's leads, the members of the author's own groups — so that the
    list does not spell out every group's members to everyone."""
    program_id = space.cohort.program_id if space.cohort_id else space.program_id
    leads = Program.objects.filter(pk=program_id).values("leads")
    in_it = Q(pk__in=leads) | Q(
        pk__in=Membership.objects.filter(
            status__in=CURRENT_MEMBER_STATUSES,
            **(
                {"cohort_id": space.cohort_id}
                if space.cohort_id
                else {
                    "cohort__in": Membership.objects.filter(
                        user=author,
                        status__in=PROGRAM_STATUSES,
                        cohort__program_id=program_id,
                    ).values("cohort_id")
                }
            ),
        ).values("user_id")
    )
    if space.program_id and space.pk is not None:
        in_it |= Q(pk__in=Post.objects.filter(thread__space=space).values("author_id"))
    return people_in(space) & nameable(space) & Q(is_active=True) & in_it


def setting(name: str) -> int:
    """One of the plugin's settings (apps.py lists them with their defaults)."""
    return int(apps.get_app_config(LABEL).plugin_settings[name])


def is_new_here(seat: Seat, user) -> bool:
    """New to the space: in their first `new_member_days` there (counted from
    joining its group, or their first group of the program) or before their
    `new_member_posts`-th post in it. Moderators are never new."""
    if seat.moderates:
        return False
    places = Membership.objects.filter(user=user)
    if seat.cohort is not None:
        places = places.filter(cohort=seat.cohort)
    else:
        places = places.filter(cohort__program=seat.program)
    first = places.order_by("joined_at").values_list("joined_at", flat=True).first()
    since = timezone.now() - timedelta(days=setting("new_member_days"))
    if first is None or first > since:
        return True
    written = 0
    if seat.space.pk is not None:  # a space without threads has no row yet
        written = Post.objects.filter(
            thread__space_id=seat.space.pk, author=user, deleted_at=None
        ).count()
    return written < setting("new_member_posts")


def move_targets(request: HttpRequest, seat: Seat) -> list[Seat]:
    """The other spaces of the program a moderator may move one of this
    space's threads to: those they moderate too. None out of a youth group:
    its members' posts never reach adults outside it."""
    if seat.cohort is not None and seat.cohort.is_youth:
        return []
    program_id = seat.cohort.program_id if seat.cohort else seat.program.pk
    if program_id is None:
        return []
    here = seat.cohort.pk if seat.cohort else None
    places = [] if here is None else [(program_seat, program_id)]
    places += [
        (group_seat, cohort.pk)
        for cohort in CohortPage.objects.live()
        .filter(program_id=program_id)
        .exclude(pk=here)
        .order_by("title")
        if cohort.uses_plugin(LABEL)
    ]
    targets = []
    for seat_of, place in places:
        with contextlib.suppress(Http404):  # not theirs
            targets.append(seat_of(request, place))
    return [target for target in targets if target.moderates]
