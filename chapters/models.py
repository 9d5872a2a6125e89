"""A chapter: one place of the network (a city, a county) with a Wagtail site
of its own — host name, home page, navigation, footer settings, languages —
its own leads and its own collection of images and documents.

Everything else is scoped in the application, not in the schema: a page is
a chapter's when it lies below the chapter's home page (in any language), so
groups, memberships and sessions keyed to pages follow. One account serves
every chapter; a person's role is per group, so they may take part in one
chapter and facilitate in another.
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, Site


class Chapter(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    site = models.OneToOneField(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="chapter"
    )
    leads = models.OneToOneField(
        Group,
        verbose_name=_("leads"),
        on_delete=models.PROTECT,
        related_name="led_chapter",
        help_text=_(
            "People in this group edit the chapter's pages, images and "
            "documents in the admin, and nothing of other chapters."
        ),
    )
    collection = models.OneToOneField(
        Collection,
        verbose_name=_("collection"),
        on_delete=models.PROTECT,
        related_name="chapter",
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_("The language codes of the chapter's pages, main one first."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
