"""A program's name in other languages.

A program runs groups in several languages while it is one program (one set
of targets, leads and reports), so it is not a translatable model: its name
is given once, in the language it was started in, and may be given again per
language. Pages in a language the program has a name in show that name.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel


class ProgramName(models.Model):
    program = ParentalKey(
        "cohorts.Program", on_delete=models.CASCADE, related_name="names"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.WAGTAIL_CONTENT_LANGUAGES
    )
    name = models.CharField(_("name"), max_length=200)

    panels = [FieldPanel("language"), FieldPanel("name")]

    class Meta:
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "language"], name="one_program_name_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.name


def program_name(program, language: str | None = None) -> str:
    """`program`'s name in `language` (the active one by default), or the name
    it was given. Reads `program.names.all()`, so a list of programs can
    prefetch "names"."""
    language = language or get_language()
    for name in program.names.all():
        if name.language == language:
            return name.name
    return program.name
