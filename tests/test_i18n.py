import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_spanish_home_page_has_spanish_interface_and_content(client, demo_site):
    html = client.get("/es/").content.decode()
    assert '<html lang="es">' in html
    assert "Saltar al contenido principal" in html
    assert "Aprender juntos, organizarnos juntos" in html
    assert "Biblioteca de recursos" in html  # the menu follows the language


def test_language_switcher_links_to_the_translation(client, demo_site):
    html = client.get("/resources/").content.decode()
    assert 'href="/es/resources/" hreflang="es"' in html
    html = client.get("/es/resources/").content.decode()
    assert 'href="/resources/" hreflang="en"' in html


def test_untranslated_page_switches_to_that_languages_home(client, demo_site):
    html = client.get("/county-learning-community/").content.decode()
    assert 'href="/es/" hreflang="es"' in html


def test_non_page_views_switch_language_too(client, demo_site):
    html = client.get("/newsletter/").content.decode()
    assert 'href="/es/newsletter/" hreflang="es"' in html
    assert "Reciba nuestro boletín" in client.get("/es/newsletter/").content.decode()


def test_menu_changes_as_soon_as_a_page_is_published(client, demo_site):
    from tests.factories import StandardPageFactory

    client.get("/")
    StandardPageFactory(parent=demo_site, title="Brand new page", show_in_menus=True)
    assert "Brand new page" in client.get("/").content.decode()


CATALOGUES = [
    settings.BASE_DIR / "lms" / "locale",
    # First-party plugins carry their own catalogues, as any plugin would.
    *sorted(settings.BASE_DIR.glob("plugins/*/lms_*/locale")),
]


@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda path: path.parent.name)
def test_spanish_catalogue_is_complete_and_compiled(locale):
    path = locale / "es" / "LC_MESSAGES"
    catalogue = polib.pofile(str(path / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert untranslated == []
    assert catalogue.fuzzy_entries() == []
    compiled = polib.mofile(str(path / "django.mo"))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue if e.msgstr}
