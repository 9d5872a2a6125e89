"""What a chapter's leads manage beyond its pages: the groups below them."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from chapters.models import Chapter


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
