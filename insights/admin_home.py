"""The program lead's admin home: the groups of the programs they lead, what
needs their attention, progress against the programs' targets, and the links
they use most.

Nothing is worked out afresh: who needs a word is each group's Standing (the
facilitator dashboard's, kept a few minutes), progress is the outcomes report.
Leads see numbers only, never names. The queries are bounded: at most
GROUPS_SHOWN groups are looked at closely, whatever the programs hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component

from cohorts import permissions
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership, Program
from insights.dashboard import QUIET_DAYS, Standing, group_standing
from insights.outcomes import outcomes_report
from scheduling.models import Session

GROUPS_SHOWN = 8


@dataclass
class GroupLine:
    cohort: CohortPage
    next_session: datetime | None
    participants: int
    standing: Standing | None  # for groups that have met; None before

    @property
    def attention(self) -> list[str]:
        """What needs the lead's attention, in counts: empty if nothing."""
        notes = [] if self.next_session else [str(_("no session scheduled"))]
        if self.standing is None:
            return notes
        counted = (
            (
                self.standing.missed_two.total,
                ngettext(
                    "%(count)s person missed the last two sessions",
                    "%(count)s people missed the last two sessions",
                    self.standing.missed_two.total,
                ),
            ),
            (
                self.standing.quiet.total,
                ngettext(
                    "%(count)s person quiet for %(days)s days",
                    "%(count)s people quiet for %(days)s days",
                    self.standing.quiet.total,
                ),
            ),
            (
                self.standing.behind.total,
                ngettext(
                    "%(count)s person behind the group's lessons",
                    "%(count)s people behind the group's lessons",
                    self.standing.behind.total,
                ),
            ),
        )
        return notes + [
            text % {"count": count, "days": QUIET_DAYS}
            for count, text in counted
            if count
        ]


@dataclass
class Progress:
    program: Program
    # measure, result, unit, target, percent, standing: targets set only
    rows: list[list]


def group_lines(user, now: datetime | None = None) -> tuple[list[GroupLine], int]:
    """The lead's live groups, soonest session first (groups with none
    scheduled after them), at most GROUPS_SHOWN, and how many there are."""
    now = now or timezone.now()
    groups = (
        permissions.managed_cohorts(user)
        .live()
        .annotate(
            next_session=Min(
                "sessions__starts_at",
                filter=Q(
                    sessions__status=Session.Status.SCHEDULED,
                    sessions__starts_at__gt=now,
                ),
            ),
            has_met=Exists(
                Session.objects.filter(
                    cohort=OuterRef("pk"),
                    status=Session.Status.SCHEDULED,
                    starts_at__lte=now,
                )
            ),
        )
        .order_by(F("next_session").asc(nulls_last=True), "title")
    )
    total = groups.count()
    shown = list(groups[:GROUPS_SHOWN])
    participants = dict(
        Membership.objects.filter(
            cohort__in=[group.pk for group in shown],
            role=Membership.Role.PARTICIPANT,
            status__in=CURRENT_MEMBER_STATUSES,
        )
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    return [
        GroupLine(
            cohort=group,
            next_session=group.next_session,
            participants=participants.get(group.pk, 0),
            standing=group_standing(group, now) if group.has_met else None,
        )
        for group in shown
    ], total


def target_progress(user) -> list[Progress]:
    """Each led program's indicators (of its current logic model), against
    their targets."""
    found = []
    led = permissions.led_programs(user).filter(logic_models__indicators__isnull=False)
    for program in led.distinct():
        report = outcomes_report(program)
        rows = [row for row in report.rows if row[3] is not None]
        found.append(Progress(program, rows))
    return found


class LeadPanel(Component):
    """A panel of the lead's admin home; the homepage view renders it."""

    def __init__(self, user) -> None:
        self.user = user

    class Media:
        css = {"all": ["cohorts/admin_home.css"]}


class GroupsPanel(LeadPanel):
    name = "lms_lead_groups"
    order = 20
    template_name = "cohorts/admin/home_groups.html"

    def __init__(self, user, lines: list[GroupLine], total: int) -> None:
        super().__init__(user)
        self.lines, self.total = lines, total

    def get_context_data(self, parent_context=None):
        return {
            "lines": self.lines,
            "total": self.total,
            "attention": [line for line in self.lines if line.attention],
        }


class TargetsPanel(LeadPanel):
    name = "lms_lead_targets"
    order = 30
    template_name = "cohorts/admin/home_targets.html"

    def get_context_data(self, parent_context=None):
        return {"progress": target_progress(self.user)}


class QuickLinksPanel(LeadPanel):
    name = "lms_lead_links"
    order = 15
    template_name = "cohorts/admin/home_links.html"

    def get_context_data(self, parent_context=None):
        programs = list(permissions.led_programs(self.user).order_by("name"))
        return {
            "programs": [
                (program, reverse("cohorts:program_reports", args=[program.slug]))
                for program in programs
            ],
            "new_group_url": _new_group_url(self.user),
            "sessions_url": reverse("cohort_sessions:index"),
            "reports_url": reverse("cohorts:programs"),
        }


def _new_group_url(user) -> str | None:
    """Wagtail's form for a new group, under the page the lead's groups live
    under (the first one's parent)."""
    first = permissions.managed_cohorts(user).order_by("path").first()
    if first is None:
        return None
    return reverse(
        "wagtailadmin_pages:add", args=("cohorts", "cohortpage", first.get_parent().pk)
    )


def lead_panels(user) -> list[Component]:
    """The panels for a program lead (or a superuser); none for others."""
    if not permissions.led_programs(user).exists():
        return []
    lines, total = group_lines(user)
    return [QuickLinksPanel(user), GroupsPanel(user, lines, total), TargetsPanel(user)]
