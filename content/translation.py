"""Pages shown in the visitor's language while staying themselves.

A group's course is kept by its pages' ids (progress, answers by block id), so
views that show it keep the pages they were given and only take the words,
title and body, from each page's live translation in the active language.
Translations made with `copy_for_translation` (or wagtail-localize) keep the
block ids, so answers still match their questions."""

from collections import defaultdict

from wagtail.models import Locale, Page

SHOWN_FIELDS = ("title", "intro", "body")


def show_in_active_language(pages: list[Page]) -> None:
    """Put each page's translation's words in place of its own (one query a
    page type); pages with no live translation keep theirs."""
    locale = Locale.get_active()
    by_model = defaultdict(list)
    for page in pages:
        if page is not None and page.locale_id != locale.pk:
            by_model[type(page)].append(page)
    for model, originals in by_model.items():
        translations = {
            translation.translation_key: translation
            for translation in model.objects.live().filter(
                locale=locale,
                translation_key__in=[page.translation_key for page in originals],
            )
        }
        for page in originals:
            translation = translations.get(page.translation_key)
            for field in SHOWN_FIELDS if translation else ():
                if hasattr(translation, field):
                    setattr(page, field, getattr(translation, field))
