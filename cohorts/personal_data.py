"""The cohort app's part of a person's data: groups, join requests, programs
led, and through `export_sections` what the apps above keep. It answers the
personal-data hooks, as plugins do, so the download and erasure
(lms/personal_data.py) treat core and plugins alike.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import ModelLogEntry

from cohorts.membership import leave
from cohorts.models import Membership, PendingJoin, Program
from lms.hookspecs import hookimpl
from lms.personal_data import addresses_of

# More of the person's data kept by the apps above (their answers and
# attendance, lesson progress and certificates, their calendar address,
# announcements they wrote), by name in the download; each app adds its own
# in AppConfig.ready().
export_sections: dict[str, Callable[[AbstractBaseUser], Any]] = {}

# What the apps above give up for the person before they leave their groups
# (scheduling: their seats, to those waiting): name -> step(user), added in
# AppConfig.ready().
erase_steps: dict[str, Callable[[AbstractBaseUser], None]] = {}


def _join_requests(user: AbstractBaseUser):
    """Requests to join by e-mail, which name no account: theirs by address."""
    addresses = addresses_of(user)
    return PendingJoin.objects.filter(
        Q.create([("email__iexact", address) for address in addresses], "OR")
    )


def export(user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "memberships": [
            {
                "group": membership.cohort.title,
                "role": membership.role,
                "status": membership.status,
                "goal": membership.goal,
                "goal_met": membership.goal_met,
                "goal_reflection": membership.goal_reflection,
                "announcement_emails": membership.announcement_emails,
                "joined": membership.joined_at,
            }
            for membership in Membership.objects.filter(user=user).select_related(
                "cohort"
            )
        ],
        "join_requests": [
            {
                "group": pending.cohort.title,
                "email": pending.email,
                "name": pending.name,
                "goal": pending.goal,
                "asked": pending.created_at,
            }
            for pending in _join_requests(user).select_related("cohort")
        ],
        "programs_led": list(
            Program.objects.filter(leads=user).values_list("name", flat=True)
        ),
        **{name: section(user) for name, section in export_sections.items()},
    }


def erase(user: AbstractBaseUser) -> None:
    """Give up seats and places the way the person would, so the people
    waiting get them; the rows themselves go with the account. What others
    rely on stays without the name: announcements they wrote, attendance
    they recorded (both lose their author when the account goes)."""
    for step in erase_steps.values():
        step(user)
    for membership in Membership.objects.filter(user=user).exclude(
        status=Membership.Status.LEFT
    ):
        leave(membership)
    # Wagtail's admin log names each membership as it was then (older labels
    # held the person's name).
    memberships = ContentType.objects.get_for_model(Membership)
    for membership in Membership.objects.filter(user=user).select_related("cohort"):
        ModelLogEntry.objects.filter(
            content_type=memberships, object_id=str(membership.pk)
        ).update(label=str(membership))
    _join_requests(user).delete()


@hookimpl
def lms_export_user_data(user):
    return export(user)


# Last: plugins erase first, while the person's groups still say who they were.
@hookimpl(trylast=True)
def lms_erase_user_data(user):
    erase(user)
