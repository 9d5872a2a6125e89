"""Pages shown in the visitor's language while staying themselves.

A group's course is kept by its pages' ids (progress, answers by block id), so
views that show it keep the pages they were given and only take the words,
title and body, from each page's live translation in the active language.
Translations made with `copy_for_translation` (or wagtail-localize) keep the
block ids, so answers still match their questions."""

from collections import defaultdict

from wagtail.models import Locale, Page

from content.models import Topic

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


def in_locale(pages, locale_id: int) -> dict[int, Page]:
    """Each page by its id, as the live version in the locale shows it (one
    query a page type): the page to link to and name where a page points to
    another (a course it builds on, a course in a path) that was chosen in
    another language. What is recorded stays with the page chosen."""
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    shown = {}
    for model, chosen in by_model.items():
        translations = {
            translation.translation_key: translation
            for translation in model.objects.live().filter(
                locale_id=locale_id,
                translation_key__in={page.translation_key for page in chosen},
            )
        }
        for page in chosen:
            shown[page.pk] = translations.get(page.translation_key, page)
    return shown


def show_topics_in_active_language(objects, attribute: str = "topic") -> None:
    """Give each object a `shown_topic`: its topic's row in the active language
    (topics have a row per language sharing a translation key), or its own
    row where that language has none. One query at most, none when every
    topic is already in that language."""
    own = [getattr(item, attribute) for item in objects]
    locale = Locale.get_active()
    keys = {
        topic.translation_key
        for topic in own
        if topic is not None and topic.locale_id != locale.pk
    }
    translations = (
        {
            topic.translation_key: topic
            for topic in Topic.objects.filter(locale=locale, translation_key__in=keys)
        }
        if keys
        else {}
    )
    for item, topic in zip(objects, own, strict=True):
        item.shown_topic = (
            translations.get(topic.translation_key, topic) if topic else None
        )
