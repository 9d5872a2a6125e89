"""The admin of a chapter's leads holds only their chapter.

Wagtail already limits the explorer and the admin's page search to pages a
person may explore, and the image and document choosers to collections they
may choose from; its page chooser lists every page, so other chapters' pages
are taken out of it here.
"""

from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from chapters import admin_views, courses
from chapters.access import chapter_ids_for, chapter_lead_only
from chapters.models import Chapter
from content.site import sites_trees


@hooks.register("construct_page_chooser_queryset")
def hide_other_chapters(pages, request):
    return pages.exclude(other_chapters(request.user))


def other_chapters(user) -> Q:
    """The condition that a page is of a chapter `user` may not explore (its
    home page in no language explorable to them): none for superusers."""
    if user.is_superuser:
        return Q(pk__in=[])
    trees = sites_trees()
    homes = dict(Chapter.objects.values_list("site__root_page_id", "site_id"))
    explorable = set(
        PagePermissionPolicy()
        .explorable_instances(user)
        .filter(pk__in=homes)
        .values_list("pk", flat=True)
    )
    hidden = Q(pk__in=[])
    for home, site in homes.items():
        if home not in explorable and site in trees:
            hidden |= trees[site].holds()
    return hidden


@hooks.register("register_admin_urls")
def shared_courses_urls():
    patterns = [
        path("", admin_views.shared_courses, name="index"),
        path("<id:course_id>/adopt/", admin_views.adopt, name="adopt"),
        path(
            "copies/<id:adoption_id>/reviewed/", admin_views.reviewed, name="reviewed"
        ),
    ]
    return [
        path(
            "chapters/courses/",
            include((patterns, "shared_courses"), namespace="shared_courses"),
        )
    ]


class ChapterLeadsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(chapter_ids_for(request))


@hooks.register("register_admin_menu_item")
def shared_courses_menu_item():
    return ChapterLeadsMenuItem(
        _("Shared courses"),
        reverse("shared_courses:index"),
        icon_name="doc-full-inverse",
        order=220,
    )


class ChangedOriginalsPanel(Component):
    """On the admin's home: the chapter's copies whose original changed."""

    name = "changed-originals"
    order = 25
    template_name = "chapters/admin/home_changed_originals.html"

    def __init__(self, changed: list) -> None:
        self.changed = changed

    def get_context_data(self, parent_context=None):
        return {"changed": self.changed}


@hooks.register("construct_homepage_panels")
def add_changed_originals(request, panels) -> None:
    if not chapter_ids_for(request):
        return
    changed = [
        adoption
        for adoption in courses.adoptions_for(request.user).filter(
            original_changed_at__isnull=False
        )
        if adoption.original_changed
    ]
    if changed:
        panels.append(ChangedOriginalsPanel(changed))


class OwnPagesSummaryItem(PagesSummaryItem):
    """The admin home's page count as the pages the person may edit.

    Wagtail counts every page below the lowest page above all of theirs:
    for a chapter's leads, whose pages are in every language, the tree's
    root, so the count was the whole network's."""

    def get_context_data(self, parent_context):
        user = self.request.user
        site = get_site_for_user(user)
        return {
            "root_page": site["root_page"],
            "total_pages": PagePermissionPolicy()
            .instances_user_has_permission_for(user, "change")
            .count(),
            "site_name": site["site_name"],
        }


@hooks.register("construct_homepage_summary_items", order=100)
def count_own_pages(request, items) -> None:
    """After Wagtail's own hook has added its item (order 100: later)."""
    if request.user.is_superuser or not chapter_ids_for(request):
        return
    items[:] = [
        OwnPagesSummaryItem(request) if type(item) is PagesSummaryItem else item
        for item in items
    ]


@hooks.register("construct_reports_menu")
def hide_whole_network_reports(request, menu_items) -> None:
    """Not offered what chapters.admin_views refuses them."""
    if chapter_lead_only(request):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
