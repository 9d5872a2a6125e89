"""The staff roles and the permissions each one needs.

Participants have no group: they never see the admin. Program leads build
content and read subscriber lists; facilitators get the admin for the
operational screens later issues add, plus document and image choosers.
"""

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

PROGRAM_LEADS = "Program leads"
FACILITATORS = "Facilitators"

LEAD_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "content.change_programsettings",
    "content.change_brandsettings",
    "content.add_topic",
    "content.change_topic",
    "content.delete_topic",
    "newsletter.view_subscriber",
    "newsletter.change_subscriber",
    "newsletter.delete_subscriber",
    "wagtail_localize.submit_translation",
    *(
        f"cohorts.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("membership", "program")
    ),
    *(
        f"scheduling.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in ("session", "sessionseries")
    ),
    *(
        f"insights.{action}_logicmodel"
        for action in ("add", "change", "delete", "view")
    ),
    *(
        f"notifications.{action}_announcement"
        for action in ("add", "change", "delete", "view")
    ),
]
FACILITATOR_MODEL_PERMISSIONS = ["wagtailadmin.access_admin"]

LEAD_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]
MEDIA_PERMISSIONS = {
    PROGRAM_LEADS: ["add", "change", "choose"],
    FACILITATORS: ["add", "choose"],
}


def permissions_named(codes: list[str]) -> list[Permission]:
    """The permissions "app_label.codename", in one query."""
    query = Q()
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def ensure_role_groups(using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """Create or complete the staff groups; safe to run any number of times."""
    # post_migrate reaches this app before the apps listed after it, whose
    # permissions would not exist yet.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    leads, _ = Group.objects.get_or_create(name=PROGRAM_LEADS)
    facilitators, _ = Group.objects.get_or_create(name=FACILITATORS)
    leads.permissions.add(*permissions_named(LEAD_MODEL_PERMISSIONS))
    facilitators.permissions.add(*permissions_named(FACILITATOR_MODEL_PERMISSIONS))

    root_page = Page.get_first_root_node()
    if root_page is not None:
        grant_page_permissions(leads, root_page)
    root_collection = Collection.get_first_root_node()
    if root_collection is None:
        return
    for group in (leads, facilitators):
        grant_media_permissions(group, root_collection, MEDIA_PERMISSIONS[group.name])


def grant_page_permissions(group: Group, page, codenames=LEAD_PAGE_PERMISSIONS) -> None:
    """Let `group` do `codenames` to the page and the pages below it."""
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )


def grant_media_permissions(group: Group, collection, actions: list[str]) -> None:
    """Let `group` do `actions` ("add", "change", "choose") to the images and
    documents of the collection and those below it."""
    for action in actions:
        for media in ("image", "document"):
            app_label = "wagtailimages" if media == "image" else "wagtaildocs"
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{media}"
                ),
            )
