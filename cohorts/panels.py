"""The cohort app's panels on the participant's "My learning" page: their
groups (or the way to find one), and the programs a lead leads.

They come through the same hook as plugins' panels, so the page has one way
of showing boxes; unlike a plugin's, they cannot be switched off.
"""

from collections.abc import Callable

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cohorts import permissions
from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    CatalogueIndexPage,
    CohortPage,
    Membership,
)
from lms import events
from lms.hookspecs import Panel, hookimpl
from lms.versioned_cache import VersionedCache

# More panels about the person's current groups, shown after "My groups" by
# the apps above (the learning app's "My courses"): name -> panels(user,
# cohorts), added in their AppConfig.ready().
group_panels: dict[
    str, Callable[[AbstractBaseUser, list[CohortPage]], list[Panel]]
] = {}


# More for the "My groups" panel from the apps above (scheduling's
# `sessions`, the next ones of those groups with the person's answer):
# name -> context(user, cohorts), added in their AppConfig.ready().
groups_panel_contexts: dict[
    str, Callable[[AbstractBaseUser, list[CohortPage]], dict]
] = {}


def drop_panels_with_memberships(cache: VersionedCache) -> None:
    """Keep a plugin's My learning panels (scoped by the person's id) in step
    with what every such panel hangs on: the person's memberships (joined,
    changed, deleted; a leave, which is a conditional update, by its event
    once it commits) and the group pages (a plugin switched on or off, a
    title, a page unpublished). Call it in the plugin's AppConfig.ready()."""
    cache.invalidate_on(Membership, scope=lambda membership: str(membership.user_id))
    cache.invalidate_on(CohortPage)

    def member_left(sender, event: events.MemberLeft, **kwargs) -> None:
        cache.invalidate_scope(str(event.user_id))

    events.delivered.connect(
        member_left,
        sender=events.MemberLeft,
        weak=False,
        dispatch_uid=f"{cache.namespace}-member-left",
    )


# First on the page: a participant's groups and sessions come before any plugin's.
@hookimpl(tryfirst=True)
def lms_dashboard_panels(user, cohort):
    if cohort is not None:
        return []
    return [*_own_panels(user), _programs_panel(user)]


def _own_panels(user) -> list[Panel]:
    memberships = list(
        Membership.objects.filter(user=user, status__in=CURRENT_MEMBER_STATUSES)
        .select_related("cohort")
        .order_by("cohort__title")
    )
    if not memberships:
        catalogue = CatalogueIndexPage.objects.live().first()
        return [
            Panel(
                _("My groups"),
                "cohorts/panels/no_groups.html",
                {"catalogue": catalogue},
            )
        ]
    cohorts = [membership.cohort for membership in memberships]
    more = [
        panel for panels in group_panels.values() for panel in panels(user, cohorts)
    ]
    return [_groups_panel(user, cohorts), *more]


def _groups_panel(user, cohorts) -> Panel:
    context = {"cohorts": cohorts, "sessions": []}
    for extra in groups_panel_contexts.values():
        context.update(extra(user, cohorts))
    return Panel(
        _("My groups and next sessions"), "cohorts/panels/my_groups.html", context
    )


def _programs_panel(user) -> Panel:
    """A program lead's way to their reports; shown only to leads (and
    superusers), in two queries (the programs, their names in other languages)."""
    programs = list(
        permissions.led_programs(user)
        .order_by("name")
        .only("name", "slug")
        .prefetch_related("names")
    )
    return Panel(
        _("Programs you lead"),
        "cohorts/panels/programs_you_lead.html",
        {"programs": programs},
    )
