"""A term of a list leads keep in each language (topics, a plugin's
sectors): one row per language, rows of one term sharing a translation key,
each with a slug of its own in its language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin


class TranslatableTerm(TranslatableMixin, models.Model):
    """A term of a list leads keep in each language (abstract): a name and a
    slug, the slug unique within its language (checked in the admin's form
    too, with a message)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The admin's form leaves the locale out, so Django's own check of
        # (slug, locale) never runs there: the database would refuse instead.
        super().clean()
        taken = (
            type(self)
            ._default_manager.filter(locale_id=self.locale_id, slug=self.slug)
            .exclude(pk=self.pk)
        )
        if self.locale_id and self.slug and taken.exists():
            raise ValidationError(
                {"slug": _("Another one in this language has this slug.")}
            )
