"""The program's name and contact details, shown in every page's footer and
in e-mails, with the words that change with the language given per language.

Site settings belong to a site, not a language: one site serves every
language's tree. The contact person's role, the postal address and even the
organisation's name may read differently in Spanish, so a lead may give them
per language; what they leave empty (and the e-mail address, telephone and
support link, which do not change) is shown as set for the site.
"""

import copy

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# The settings' fields that a language may word differently.
WORDED_FIELDS = ("organisation_name", "contact_name", "contact_address")


@register_setting(icon="mail")
class ProgramSettings(ClusterableModel, BaseSiteSetting):
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    donate_url = models.URLField(
        _("donate or support link"),
        blank=True,
        help_text=_("Shown on every page when filled in."),
    )

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Program contact"),
        ),
        FieldPanel("donate_url"),
        InlinePanel(
            "wordings",
            heading=_("In other languages"),
            label=_("Language"),
            help_text=_(
                "The name, contact person and address as pages in another "
                "language show them. Leave a field empty to show it as above."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("program settings")

    def in_language(self, language_code: str) -> "ProgramSettings":
        """These settings as a page in `language_code` shows them (a copy, for
        display only)."""
        wording = next(
            (w for w in self.wordings.all() if w.language == language_code), None
        )
        if wording is None:
            return self
        shown = copy.copy(self)
        for field in WORDED_FIELDS:
            setattr(shown, field, getattr(wording, field) or getattr(self, field))
        return shown


class ProgramSettingsWording(models.Model):
    """The program's name and contact as one language words them."""

    program_settings = ParentalKey(
        ProgramSettings, on_delete=models.CASCADE, related_name="wordings"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.WAGTAIL_CONTENT_LANGUAGES
    )
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)

    panels = [
        FieldPanel("language"),
        FieldPanel("organisation_name"),
        FieldPanel("contact_name"),
        FieldPanel("contact_address"),
    ]

    class Meta:
        verbose_name = _("wording in another language")
        verbose_name_plural = _("wordings in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["program_settings", "language"],
                name="one_program_wording_per_language",
            )
        ]

    def __str__(self) -> str:
        return self.get_language_display()
