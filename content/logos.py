"""A logo with the words that say what it shows, for people who cannot see
it: the site's brand and a partner's directory entry hold one each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def logo_field(help_text: str) -> models.ForeignKey:
    """A model's logo: an image like any other in Wagtail, public once
    uploaded (never a private file)."""
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def logo_alt_field() -> models.CharField:
    """The logo's text alternative, shown in place of the image."""
    return models.CharField(
        _("logo's text alternative"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the logo says, for people who cannot see it, e.g. the words "
            "written in it. Needed with a logo."
        ),
    )


def logo_without_words(logo_id: int | None, alt: str) -> dict[str, str]:
    """The form error of a logo given without its text alternative, if so."""
    if logo_id and not alt.strip():
        return {"logo_alt": _("Say what the logo shows, for people who cannot see it.")}
    return {}
