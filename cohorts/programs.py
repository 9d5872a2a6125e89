"""Programs: the funded work that runs groups, and who leads it. Models of
the cohorts app (`cohorts.models` imports them). What a program is measured
against is its logic models' (insights)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel

from cohorts.reminders import validate_reminder_hours
from lms.people import staff_label
from lms.roles import PROGRAM_LEADS


@dataclass(frozen=True)
class GroupManagers:
    """People who manage groups other than as a program's leads (a chapter's
    leads manage the groups below their chapter's pages): `groups(user)` is
    the condition on the groups (CohortPage) they manage, asked inside the
    caller's query; `includes(user)` whether they are such a manager at all
    (even with no group yet). They file groups under any program."""

    groups: Callable[..., models.Q]
    includes: Callable[..., bool]


# Filled by the apps that have such managers, in their AppConfig.ready().
group_managers: list[GroupManagers] = []


class ProgramQuerySet(models.QuerySet):
    def led_by(self, user) -> "ProgramQuerySet":
        """The programs `user` leads; every program for superusers."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(leads=user)

    def for_groups_of(self, user) -> "ProgramQuerySet":
        """The programs `user` may file a group under: those they lead, or
        every one (the network's programs) for other managers of groups."""
        if user.is_authenticated and any(
            managers.includes(user) for managers in group_managers
        ):
            return self
        return self.led_by(user)


class ProgramForm(WagtailAdminModelForm):
    """Only superusers name a program's leads, so leads cannot add themselves
    to another's program; a lead who starts a program leads it."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if not (for_user is not None and for_user.is_superuser):
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
        if commit and creating and lead is not None and not lead.is_superuser:
            # A lead who starts a program leads it, or it would vanish from them.
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
