"""Making a chapter in one step, and again without change (`create_chapter`)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from chapters.models import Chapter
from cohorts.models import CatalogueIndexPage
from content.models import HomePage, ProgramSettings
from content.site import ensure_locales
from lms.roles import (
    MEDIA_PERMISSIONS,
    PROGRAM_LEADS,
    grant_media_permissions,
    grant_page_permissions,
    permissions_named,
)

# What a chapter's leads may do beyond their pages and collection: reach the
# admin, ask for translations of their pages, and run their groups' members,
# sessions and announcements (scoped to the groups below their chapter's
# pages by cohorts.permissions.managed_cohorts), and their site's newsletter
# list (scoped by newsletter.models.managed_sites).
CHAPTER_LEAD_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "wagtail_localize.submit_translation",
    *(
        f"{app_label}.{action}_{model}"
        for app_label, model in (
            ("cohorts", "membership"),
            ("scheduling", "session"),
            ("scheduling", "sessionseries"),
            ("notifications", "announcement"),
            ("newsletter", "subscriber"),
            # Their chapter's own programs (cohorts.programs.ProgramForm) and
            # the logic models they are measured against.
            ("cohorts", "program"),
            ("insights", "logicmodel"),
        )
        for action in ("add", "change", "delete", "view")
    ),
]

# The settings of their own site a chapter's leads edit (Wagtail's per-site
# permissions): the program contact in the footer, the logo and colours.
CHAPTER_SITE_SETTINGS = [
    "content.change_programsettings",
    "content.change_brandsettings",
]


@dataclass(frozen=True)
class ChapterWanted:
    name: str
    hostname: str
    languages: Sequence[str]
    port: int = 80

    def clean(self) -> None:
        """Refuse what would make a broken chapter, before anything is made."""
        offered = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        unknown = [code for code in self.languages if code not in offered]
        if unknown:
            raise ValidationError(
                _(
                    "%(unknown)s: not among this installation's languages "
                    "(%(offered)s). Add a language to WAGTAIL_CONTENT_LANGUAGES "
                    "first."
                )
                % {"unknown": ", ".join(unknown), "offered": ", ".join(offered)}
            )
        if settings.LANGUAGE_CODE not in self.languages:
            raise ValidationError(
                _("A chapter's languages include the site's main one (%(code)s).")
                % {"code": settings.LANGUAGE_CODE}
            )
        if not slugify(self.name):
            raise ValidationError(_("A chapter's name needs a letter or a digit."))
        taken = Site.objects.filter(hostname=self.hostname, port=self.port).exclude(
            chapter__slug=slugify(self.name)
        )
        if taken.exists():
            raise ValidationError(
                _("%(host)s:%(port)s is another site's address.")
                % {"host": self.hostname, "port": self.port}
            )


@transaction.atomic
def create_chapter(wanted: ChapterWanted) -> tuple[Chapter, bool]:
    """The chapter named `wanted.name`, made whole (site, home page in each
    of its languages, "Find a group" page, leads group, collection and their
    permissions), and whether it was new. Run again it mends what is missing
    and takes the address and languages given, changing nothing else."""
    wanted.clean()
    slug = slugify(wanted.name)
    chapter = Chapter.objects.select_related("site").filter(slug=slug).first()
    locales = ensure_locales()
    if chapter is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=wanted.name, slug=slug, locale=locales[settings.LANGUAGE_CODE]
            )
        )
        site = Site.objects.create(
            hostname=wanted.hostname,
            port=wanted.port,
            root_page=home,
            site_name=wanted.name,
        )
        # The footer's details, made now: made on the first page view, the
        # write would drop the navigation cache that view had just filled.
        ProgramSettings.objects.create(site=site, organisation_name=wanted.name)
        collection = Collection.get_first_root_node().add_child(name=wanted.name)
        leads, _made = Group.objects.get_or_create(name=f"Chapter leads: {wanted.name}")
        chapter = Chapter.objects.create(
            name=wanted.name,
            slug=slug,
            site=site,
            leads=leads,
            collection=collection,
            languages=list(wanted.languages),
        )
        created = True
    else:
        site = chapter.site
        site.hostname, site.port = wanted.hostname, wanted.port
        site.save()
        chapter.languages = list(wanted.languages)
        chapter.save(update_fields=["languages"])
        home = site.root_page.specific
        created = False
    homes = [home] + [
        _translated(home, locales[code])
        for code in wanted.languages
        if code != settings.LANGUAGE_CODE
    ]
    catalogue = CatalogueIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=CatalogueIndexPage(
                title=_catalogue_title(settings.LANGUAGE_CODE),
                slug="find-a-group",
                locale=home.locale,
                show_in_menus=True,
            )
        )
    for translated_home in homes[1:]:
        language = translated_home.locale.language_code
        if not CatalogueIndexPage.objects.child_of(translated_home).exists():
            _translated(catalogue, translated_home.locale, _catalogue_title(language))
    _grant(chapter, homes)
    return chapter, created


@transaction.atomic
def archive_chapter(chapter: Chapter, archived: bool = True) -> None:
    """An archived chapter keeps its site, pages, groups and their history;
    its leads keep their accounts but no longer edit its pages, images and
    documents or run its groups (until it is taken out of the archive)."""
    if archived:
        if chapter.archived_at is None:
            chapter.archived_at = timezone.now()
            chapter.save(update_fields=["archived_at"])
        GroupPagePermission.objects.filter(group=chapter.leads).delete()
        GroupCollectionPermission.objects.filter(group=chapter.leads).delete()
        GroupSitePermission.objects.filter(group=chapter.leads).delete()
        chapter.leads.permissions.clear()
        return
    chapter.archived_at = None
    chapter.save(update_fields=["archived_at"])
    home = chapter.site.root_page
    _grant(chapter, list(home.get_translations(inclusive=True)))


def _translated(page: Page, locale, title: str | None = None) -> Page:
    """The page's translation into `locale`, made (and published) if missing:
    a translation, so the language links lead from one to the other."""
    found = page.get_translation_or_none(locale)
    if found is None:
        found = page.copy_for_translation(locale)
        if title is not None:
            found.title = title
        found.save_revision().publish()
    return found


def _catalogue_title(language: str) -> str:
    with translation.override(language):
        return _("Find a group")


def complete_leads_permissions(**_kwargs) -> None:
    """Every chapter's leads (not archived) hold the permissions
    CHAPTER_LEAD_PERMISSIONS and CHAPTER_SITE_SETTINGS name now: run after
    every `migrate`, so an upgrade that gives chapter leads more to manage
    reaches the chapters made before it."""
    for chapter in Chapter.objects.filter(archived_at__isnull=True).select_related(
        "leads", "site"
    ):
        _grant_models(chapter)


def _grant_models(chapter: Chapter) -> None:
    chapter.leads.permissions.add(*permissions_named(CHAPTER_LEAD_PERMISSIONS))
    for permission in permissions_named(CHAPTER_SITE_SETTINGS):
        GroupSitePermission.objects.get_or_create(
            group=chapter.leads, site=chapter.site, permission=permission
        )


def _grant(chapter: Chapter, homes: list[Page]) -> None:
    """The chapter's leads edit its pages (in every language), its
    collection's images and documents and its site's settings; nothing else
    in the admin."""
    _grant_models(chapter)
    for home in homes:
        grant_page_permissions(chapter.leads, home)
    grant_media_permissions(
        chapter.leads, chapter.collection, MEDIA_PERMISSIONS[PROGRAM_LEADS]
    )
