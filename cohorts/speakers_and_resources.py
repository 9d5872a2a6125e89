"""What a group's page lists besides its meetings: the library resources it
works with and, for a speaker event, its speakers. Models of the cohorts app
(`cohorts.models` imports them)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel

from lms.models import InOrder


class CohortResource(InOrder):
    """A page from the resource library the group works with."""

    cohort = ParentalKey(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(
        "content.ResourcePage",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(
        _("why it matters here"),
        max_length=250,
        blank=True,
        help_text=_("Optional, e.g. 'Read before the second meeting'."),
    )

    panels = [FieldPanel("resource"), FieldPanel("note")]

    class Meta(InOrder.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")


class Speaker(InOrder):
    cohort = ParentalKey(
        "cohorts.CohortPage", on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt_text = models.CharField(
        _("photo description"),
        max_length=250,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("photo_alt_text"),
    ]

    class Meta(InOrder.Meta):
        verbose_name = _("speaker")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.photo_id and not self.photo_alt_text.strip():
            raise ValidationError(
                {"photo_alt_text": _("Describe the photo, or remove it.")}
            )
