"""The sectors a coalition guide asks a coalition to bring to its table:
the list a new site starts with, in English and Spanish. Leads add, rename
or remove sectors in the admin."""

from django.db import transaction

from lms_partners.models import Sector

DEFAULT_SECTORS = [
    ("education", "Education", "Educación"),
    ("business", "Business", "Empresas"),
    ("faith", "Faith groups", "Grupos religiosos"),
    ("government", "Government", "Gobierno"),
    ("grassroots", "Grassroots organisations", "Organizaciones de base"),
    ("youth", "Youth", "Jóvenes"),
    ("parents", "Parents", "Madres y padres"),
    ("media", "Media", "Medios de comunicación"),
    ("health", "Health care", "Salud"),
    ("law-enforcement", "Law enforcement", "Seguridad pública"),
    ("civic", "Civic and volunteer groups", "Grupos cívicos y de voluntariado"),
    ("other", "Other", "Otros"),
]


@transaction.atomic
def ensure_default_sectors(locales: dict) -> dict[str, Sector]:
    """The default sectors (English rows, with their Spanish translations
    when Spanish is one of `locales`), made where missing; by slug."""
    made = {}
    for slug, english_name, spanish_name in DEFAULT_SECTORS:
        english, _created = Sector.objects.get_or_create(
            slug=slug, locale=locales["en"], defaults={"name": english_name}
        )
        if "es" in locales and not english.get_translation_or_none(locales["es"]):
            spanish = english.copy_for_translation(locales["es"])
            spanish.name = spanish_name
            spanish.save()
        made[slug] = english
    return made
