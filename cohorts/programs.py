"""Programs: the funded work that runs groups, and who leads it. Models of
the cohorts app (`cohorts.models` imports them). What a program is measured
against is its logic models' (insights)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Site

from cohorts.reminders import validate_reminder_hours
from lms.people import staff_label
from lms.roles import PROGRAM_LEADS


@dataclass(frozen=True)
class GroupManagers:
    """People who manage groups other than as a program's leads (a chapter's
    leads manage the groups below their chapter's pages): `groups(user)` is
    the condition on the groups (CohortPage) they manage, asked inside the
    caller's query; `includes(user)` whether they are such a manager at all
    (even with no group yet); `sites(user)`, the sites (a QuerySet) whose
    own programs they lead. They file groups under the network's programs
    (those of no site) and their sites' own."""

    groups: Callable[..., models.Q]
    includes: Callable[..., bool]
    sites: Callable[..., models.QuerySet]


# Filled by the apps that have such managers, in their AppConfig.ready().
group_managers: list[GroupManagers] = []


class ProgramQuerySet(models.QuerySet):
    def led_by(self, user) -> "ProgramQuerySet":
        """The programs `user` leads (named among their leads, or their
        chapter's own); every program for superusers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        named = Program.leads.through.objects.filter(user=user).values("program")
        return self.filter(Q(pk__in=named) | Q(site__in=sites_with_own_programs(user)))

    def for_groups_of(self, user) -> "ProgramQuerySet":
        """The programs `user` may file a group under: those they lead; for
        other managers of groups, the network's too (those of no site)."""
        if user.is_authenticated and any(
            managers.includes(user) for managers in group_managers
        ):
            led = self.led_by(user).values("pk")
            return self.filter(Q(site__isnull=True) | Q(pk__in=led))
        return self.led_by(user)


def sites_with_own_programs(user) -> models.QuerySet:
    """The sites whose own programs `user` leads (a chapter's leads: their
    chapters')."""
    found = Site.objects.none()
    for managers in group_managers:
        found |= managers.sites(user)
    return found


class ProgramForm(WagtailAdminModelForm):
    """Only superusers name a program's leads, so leads cannot add themselves
    to another's program; a lead who starts a program leads it. A chapter's
    leads start their chapter's own programs; other leads, the network's."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        superuser = for_user is not None and for_user.is_superuser
        if "site" in self.fields and not superuser:
            sites = sites_with_own_programs(for_user)
            # A program's place (the network's, or a chapter's) is set when
            # it starts: a lead editing it never moves it to their chapter.
            theirs = list(sites) if self.instance._state.adding else []
            if theirs:
                field = self.fields["site"]
                field.queryset = sites
                field.required = True
                field.help_text = _("Your chapter: its leads lead the program.")
                if len(theirs) == 1:
                    self.initial["site"] = theirs[0].pk
            else:
                self.fields.pop("site")
        if not superuser:
            self.fields.pop("leads", None)
        elif "leads" in self.fields:
            self.fields["leads"].queryset = get_user_model().objects.filter(
                groups__name=PROGRAM_LEADS
            )
            self.fields["leads"].label_from_instance = staff_label
            self.fields["leads"].help_text = _(
                "People in the Program leads group. They manage this program's "
                "groups in the admin and read its reports; nothing of other programs."
            )

    def save(self, commit=True):
        creating = self.instance._state.adding
        program = super().save(commit=commit)
        lead = self.for_user
        if (
            commit
            and creating
            and lead is not None
            and not lead.is_superuser
            and program.site_id is None
        ):
            # A lead who starts a program leads it, or it would vanish from
            # them (a chapter's program is its leads' already).
            program.leads.add(lead)
        return program


class Program(ClusterableModel):
    """A funded program that runs cohorts, e.g. "Learning Community 2021"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    reminder_hours = models.CharField(
        _("reminders"),
        max_length=50,
        default="24, 1",
        validators=[validate_reminder_hours],
        help_text=_(
            "Hours before each session when members get a reminder e-mail, "
            "separated by commas, e.g. '24, 1' or '48, 2, 0.5'. Leave empty "
            "for no reminders."
        ),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("chapter's site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A chapter's own program: its leads lead it. Empty: one of the "
            "network's, which every chapter may run groups under."
        ),
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("program leads"),
        blank=True,
        related_name="led_programs",
        help_text=_(
            "They manage this program's groups in the admin and read its "
            "reports; nothing of other programs."
        ),
    )

    objects = ProgramQuerySet.as_manager()
    base_form_class = ProgramForm

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("reminder_hours"),
        FieldPanel("site"),
        FieldPanel("leads"),
        InlinePanel(
            "names",
            heading=_("Name in other languages"),
            label=_("Name"),
            help_text=_(
                "Pages in that language show this name; pages in the others "
                "the name above."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
