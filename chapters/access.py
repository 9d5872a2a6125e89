"""What a chapter's leads manage beyond its pages: the groups below them."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page, Site

from chapters.models import Chapter
from lms.roles import PROGRAM_LEADS


def led_chapters(user):
    """The chapters (not archived) whose leads group `user` is in."""
    return Chapter.objects.filter(leads__user=user, archived_at__isnull=True)


def groups_of_led_chapters(user) -> Q:
    """The condition on groups (CohortPage) that they lie below the home page,
    in any language, of a chapter `user` leads: asked inside the caller's
    query, however many chapters there are."""
    homes = Page.objects.filter(
        translation_key__in=led_chapters(user).values(
            "site__root_page__translation_key"
        ),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return Q(Exists(homes))


def leads_a_chapter(user) -> bool:
    return led_chapters(user).exists()


def led_chapter_sites(user):
    """The sites of the chapters `user` leads: their own programs are theirs."""
    return Site.objects.filter(chapter__in=led_chapters(user))


def _among_program_leads(user) -> bool:
    return user.groups.filter(name=PROGRAM_LEADS).exists()


def newsletter_sites(user):
    """The sites whose newsletter lists `user` manages, when leading
    chapters is their only part in running the network (a program lead reads
    the whole list); None: not narrowed here."""
    if _among_program_leads(user) or not leads_a_chapter(user):
        return None
    return led_chapter_sites(user)


def chapter_lead_only(request) -> bool:
    """Leading chapters is the request's person's only part in running the
    network: not a superuser, not among the program leads (who see the
    whole network). Asked of `chapter_ids_for`, kept for the request."""
    return (
        not request.user.is_superuser
        and bool(chapter_ids_for(request))
        and not _among_program_leads(request.user)
    )


def chapter_ids_for(request) -> frozenset[int]:
    """The chapters the request's person may act for in the admin (those they
    lead; every one not archived, for superusers): asked once a request, as
    the admin's menu and home page both ask."""
    found = getattr(request, "_chapter_ids_for", None)
    if found is None:
        user = request.user
        chapters = (
            Chapter.objects.filter(archived_at__isnull=True)
            if user.is_superuser
            else led_chapters(user)
        )
        found = frozenset(chapters.values_list("pk", flat=True))
        request._chapter_ids_for = found
    return found
