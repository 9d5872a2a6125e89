from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from sdk import VersionedCache

# Each person's panel of notes, kept until any note is saved or deleted.
note_panels = VersionedCache("example:note-panels", ttl_seconds=3600)


class ReadingNote(models.Model):
    """Personal data: the plugin must export and erase it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reading note")

    def __str__(self) -> str:
        return self.text[:50]


class ReadingListPage(Page):
    """A page type of the plugin's own, which leads add at the top of the site."""

    parent_page_types = ["content.HomePage"]
    subpage_types = []
    template = "lms_example_plugin/reading_list_page.html"

    books = RichTextField(_("books and articles"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("books")]

    class Meta:
        verbose_name = _("reading list")
