"""The admin of a chapter's leads holds only their chapter.

Wagtail already limits the explorer and the admin's page search to pages a
person may explore, and the image and document choosers to collections they
may choose from; its page chooser lists every page, so other chapters' pages
are taken out of it here.
"""

from django.db.models import Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

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
