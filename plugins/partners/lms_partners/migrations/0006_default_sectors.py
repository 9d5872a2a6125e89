"""The twelve sectors a coalition guide asks for, made once on a new site (in
each of English and Spanish whose locale exists then: a site that adds Spanish
later gets its names from `ensure_default_sectors` or a lead). A site whose
leads already keep sectors is left as it is."""

import uuid

from django.db import migrations

# As lms_partners.sectors.DEFAULT_SECTORS when this migration was written: a
# migration keeps its own copy, so a later change to the list is a new one.
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


def make_default_sectors(apps, schema_editor):
    Sector = apps.get_model("partners", "Sector")
    Locale = apps.get_model("wagtailcore", "Locale")
    if Sector.objects.exists():
        return
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return
    spanish = Locale.objects.filter(language_code="es").first()
    for slug, english_name, spanish_name in DEFAULT_SECTORS:
        key = uuid.uuid4()
        Sector.objects.create(
            translation_key=key, locale=english, slug=slug, name=english_name
        )
        if spanish is not None:
            Sector.objects.create(
                translation_key=key, locale=spanish, slug=slug, name=spanish_name
            )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_partner_logo"),
    ]

    operations = [
        migrations.RunPython(make_default_sectors, migrations.RunPython.noop),
    ]
