"""The network's courses shared with its chapters.

A chapter uses a network course as it is by choosing it for a group (the
page chooser offers the network's pages to every chapter), or adopts it: a
copy of the course, its modules and lessons in the chapter's course library,
live at once, which its leads adapt and translate as they like. The copy
keeps a link to the original (AdoptedCourse); publishing the original again,
or any module or lesson of it in any language, tells the chapter's leads,
until they say they have looked at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, PageViewRestriction

from chapters.access import chapter_ids_for
from chapters.models import AdoptedCourse, Chapter
from content.listings import public
from content.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from content.site import sites_trees


class AdoptionRefused(Exception):
    """Why a course cannot be adopted, said to the lead."""


def network_courses() -> QuerySet[CoursePage]:
    """The live public courses of the network's own pages (in no chapter),
    in the main language: the ones chapters may adopt. A course with any
    private part is not offered: a copy keeps no privacy setting of its
    modules and lessons (nor an alias's, whose copy stands alone), so it
    would show them to everyone on the chapter's site."""
    trees = sites_trees()
    private_below = PageViewRestriction.objects.filter(
        page__path__startswith=OuterRef("path")
    )
    aliases_below = Page.objects.filter(
        path__startswith=OuterRef("path"), alias_of__isnull=False
    )
    courses = (
        public(CoursePage.objects.live())
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(Exists(private_below))
        .exclude(Exists(aliases_below))
    )
    for site_id in Chapter.objects.values_list("site_id", flat=True):
        if site_id in trees:
            courses = courses.exclude(trees[site_id].holds())
    return courses.order_by("title")


def course_library(chapter: Chapter) -> CourseIndexPage:
    """The chapter's course library in its main language, made (live) if it
    has none yet."""
    home = chapter.site.root_page
    found = CourseIndexPage.objects.child_of(home).first()
    if found is not None:
        return found
    library = home.add_child(
        instance=CourseIndexPage(
            title=_("Courses"), slug="courses", locale_id=home.locale_id
        )
    )
    library.save_revision().publish()
    return library


@transaction.atomic
def adopt(original: CoursePage, chapter: Chapter, user) -> AdoptedCourse:
    """The chapter's copy of `original` (live, if `user` may publish in the
    chapter's course library), linked to it; refused if the chapter has one."""
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk)
    if AdoptedCourse.objects.filter(chapter=chapter, original=original).exists():
        raise AdoptionRefused(
            _("%(chapter)s has adopted this course already.") % {"chapter": chapter}
        )
    library = course_library(chapter)
    may_publish = library.permissions_for_user(user).can_publish_subpage()
    copy = original.copy(
        recursive=True,
        to=library,
        update_attrs={"slug": find_available_slug(library, original.slug)},
        keep_live=may_publish,
        user=user,
        copy_revisions=False,
        log_action="wagtail.copy",
    )
    try:
        with transaction.atomic():
            return AdoptedCourse.objects.create(
                course=copy, original=original, chapter=chapter, adopted_by=user
            )
    except IntegrityError as error:  # adopted meanwhile by another lead
        raise AdoptionRefused(
            _("%(chapter)s has adopted this course already.") % {"chapter": chapter}
        ) from error


def original_published(page: Page) -> int:
    """Tell the chapters whose copy came from the course `page` is (or is
    a module or lesson of), in any language: the number of copies told."""
    if not isinstance(page, (CoursePage, ModulePage, LessonPage)):
        return 0
    keys = CoursePage.objects.ancestor_of(page, inclusive=True).values(
        "translation_key"
    )
    return AdoptedCourse.objects.filter(original__translation_key__in=keys).update(
        original_changed_at=timezone.now()
    )


def mark_reviewed(adoption: AdoptedCourse) -> None:
    adoption.reviewed_at = timezone.now()
    adoption.save(update_fields=["reviewed_at"])


def chapters_for(request) -> QuerySet[Chapter]:
    """The chapters the request's person may adopt courses for: those they
    lead (every chapter not archived, for superusers)."""
    return Chapter.objects.filter(pk__in=chapter_ids_for(request))


def adoptions_for(user) -> QuerySet[AdoptedCourse]:
    """The copies of the chapters `user` leads (every chapter's for
    superusers)."""
    found = AdoptedCourse.objects.select_related("course", "original", "chapter")
    if user.is_superuser:
        return found
    return found.filter(chapter__leads__user=user, chapter__archived_at__isnull=True)
