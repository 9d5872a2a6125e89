from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.versioned_cache import VersionedCache

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
