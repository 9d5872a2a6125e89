"""A chapter: one place of the network (a city, a county) with a Wagtail site
of its own — host name, home page, navigation, footer settings, languages —
its own leads and its own collection of images and documents.

Everything else is scoped in the application, not in the schema: a page is
a chapter's when it lies below the chapter's home page (in any language), so
groups, memberships and sessions keyed to pages follow. One account serves
every chapter; a person's role is per group, so they may take part in one
chapter and facilitate in another.
"""

from django.conf import settings
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


class AdoptedCourse(models.Model):
    """A chapter's own copy of one of the network's courses: adapted and
    translated as the chapter likes, and linked to the original so that its
    leads are told when the original changes."""

    course = models.OneToOneField(
        "content.CoursePage",
        verbose_name=_("the chapter's copy"),
        on_delete=models.CASCADE,
        related_name="adoption",
    )
    original = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("original"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    chapter = models.ForeignKey(
        Chapter,
        verbose_name=_("chapter"),
        on_delete=models.CASCADE,
        related_name="adopted_courses",
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted"), auto_now_add=True)
    # When the original (or a module or lesson of it, in any language) was
    # last published after the copy was made, and when the chapter's leads
    # last said they had looked at it.
    original_changed_at = models.DateTimeField(
        _("original changed"), null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("change reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("adopted course")
        verbose_name_plural = _("adopted courses")
        ordering = ["chapter", "course__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "original"], name="one_copy_per_chapter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.chapter}: {self.course_id}"

    @property
    def original_changed(self) -> bool:
        """Whether the original changed since the leads last looked."""
        changed = self.original_changed_at
        return changed is not None and (
            self.reviewed_at is None or changed > self.reviewed_at
        )
