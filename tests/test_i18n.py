import re

import polib
import pytest
from django.conf import settings

from tests.helpers import site_address

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
    # A group meets in one language: its page has no other version.
    circle = "/county-learning-community/grantwriting-circle/"
    html = client.get(circle).content.decode()
    assert 'href="/es/?untranslated=1" hreflang="es"' in html
    training = "/es/fair-budgets/capacitacion-presupuesto-riverside/"
    html = client.get(training).content.decode()
    assert '<html lang="es">' in html
    assert 'href="/?untranslated=1" hreflang="en"' in html
    said = "has no version in this language yet"
    assert said in client.get("/?untranslated=1").content.decode()
    assert said not in client.get("/").content.decode()


def test_spanish_journey_finds_a_group_and_its_course(client, demo_site):
    from cohorts.models import CohortPage

    spanish_home = client.get("/es/").content.decode()
    for url in ("/es/find-a-group/", "/es/courses/", "/es/toolkits/"):
        assert f'href="{url}"' in spanish_home
        assert client.get(url).status_code == 200
    english = client.get("/find-a-group/").content.decode()
    assert 'href="/es/find-a-group/" hreflang="es"' in english
    spanish = client.get("/es/find-a-group/?topic=grantwriting").content.decode()
    assert "Buscar un grupo" in spanish and "Grantwriting learning circle" in spanish
    assert "Listo para pedir una subvención" in spanish

    circle = CohortPage.objects.get(slug="grantwriting-circle")
    client.login(email="participant@example.org", password="learning-commons-demo")
    course = f"/cohorts/{circle.pk}/course/"
    html = client.get(course).content.decode()
    assert f'href="/es{course}" hreflang="es"' in html
    assert "Why this work matters" in html
    html = client.get(f"/es{course}").content.decode()
    assert f'href="{course}" hreflang="en"' in html
    assert "Por qué importa este trabajo" in html
    assert "Why this work matters" not in html
    lesson = circle.course.lessons().first()
    html = client.get(f"/es{course}{lesson.pk}/").content.decode()
    assert f'href="{course}{lesson.pk}/" hreflang="en"' in html
    assert "¿Qué va en una declaración de necesidad?" in html
    assert "Una cita de alguien afectado" in html


def test_every_demo_page_but_the_groups_has_its_spanish_version(demo_site):
    """Groups meet in one language and live in that language's tree only;
    every other page of the demo is in both."""
    from wagtail.models import Locale, Page

    from cohorts.models import CohortPage

    spanish = Locale.objects.get(language_code="es")
    pages = Page.objects.live().filter(depth__gt=1).not_type(CohortPage)
    untranslated = [
        page.url_path
        for page in pages.filter(locale__language_code="en")
        if not page.has_translation(spanish)
    ]
    assert untranslated == []
    groups = CohortPage.objects.live()
    assert groups.filter(locale=spanish, language="es").exists()
    assert not groups.exclude(locale=spanish).filter(language="es").exists()


def test_the_switcher_of_every_demo_page_lands_on_its_translation(client, demo_site):
    """Both ways, for every page but the groups (each in one language's tree)."""
    from wagtail.models import Locale, Page

    from cohorts.models import CohortPage

    client.login(email="participant@example.org", password="learning-commons-demo")
    spanish = Locale.objects.get(language_code="es")
    pages = Page.objects.live().filter(depth__gt=1, locale__language_code="en")
    checked = 0
    # Each site's pages at its host name (the chapters' too).
    for page in pages.not_type(CohortPage):
        translation = page.get_translation(spanish)
        (host, english_url), (_host, spanish_url) = map(
            site_address, (page, translation)
        )
        for url, other, code in (
            (english_url, spanish_url, "es"),
            (spanish_url, english_url, "en"),
        ):
            html = client.get(url, HTTP_HOST=host).content.decode()
            assert f'href="{other}" hreflang="{code}"' in html, (host, url)
        checked += 1
    assert checked >= 42


def test_spanish_pages_show_the_pages_they_point_to_in_spanish(client, demo_site):
    """A path's courses, the course a course builds on, a toolkit's related
    resources, and My learning's courses and toolkits were chosen in English;
    Spanish pages name and link their Spanish versions."""
    path = client.get("/es/find-a-group/ready-to-apply/").content.decode()
    assert 'href="/es/courses/grantwriting-basics/">Fundamentos de la' in path
    assert "Narrativas del presupuesto" in path
    assert "Empiece aquí si nunca ha escrito una propuesta." in path
    assert "Complete primero: Fundamentos de la redacción de subvenciones" in path
    for english in ("Grantwriting basics", "Budget narratives", "Start here"):
        assert english not in path
    english_path = client.get("/find-a-group/ready-to-apply/").content.decode()
    assert 'href="/courses/grantwriting-basics/">Grantwriting basics' in english_path

    course = client.get("/es/courses/budget-narratives/").content.decode()
    assert (
        '<a href="/es/courses/grantwriting-basics/">Fundamentos de la redacción'
        in course
    )
    toolkit = client.get("/es/toolkits/partnership-agreements/").content.decode()
    assert 'href="/es/resources/legal-toolkit-collaboration/">Guía legal' in toolkit
    assert "Legal toolkit for community collaboration" not in toolkit

    client.login(email="participant@example.org", password="learning-commons-demo")
    mine = client.get("/es/dashboard/").content.decode()
    assert "Fundamentos de la redacción de subvenciones</a>" in mine
    assert 'href="/es/toolkits/partnership-agreements/">Acuerdos de' in mine
    assert "Grantwriting basics" not in mine
    assert "Partnership agreements for coalitions" not in mine
    english = client.get("/dashboard/").content.decode()
    assert "Grantwriting basics</a>" in english
    assert "Partnership agreements for coalitions</a>" in english


def test_the_spanish_toolkit_is_spanish_to_its_steps_and_checklist(client, demo_site):
    html = client.get("/es/toolkits/partnership-agreements/").content.decode()
    assert "Acuerdos de colaboración para coaliciones" in html
    assert "Haga una lista de cada aliado" in html  # a step's paragraph
    assert "Cada aliado está en el mapa de aliados" in html  # a checklist item
    assert "List every partner" not in html and "partner map" not in html
    assert ">Colaboración<" in html  # its topics, in Spanish


def test_catalogue_lists_every_groups_language_its_own_first(client, demo_site):
    english = client.get("/find-a-group/").content.decode()
    spanish = client.get("/es/find-a-group/").content.decode()
    circle, training = "Grantwriting learning circle", "Capacitación sobre el"
    assert english.index(circle) < english.index(training)
    assert spanish.index(training) < spanish.index(circle)
    assert "Meets in Spanish" in english and "Meets in English" in english
    assert 'lang="es"><a href="/es/fair-budgets/capacitacion' in english
    only_spanish = client.get("/find-a-group/?language=es").content.decode()
    assert training in only_spanish and circle not in only_spanish


def test_spanish_catalogue_names_topics_in_spanish(client, demo_site):
    html = client.get("/es/find-a-group/").content.decode()
    assert '<span class="tag">Redacción de subvenciones</span>' in html
    assert '<span class="tag">Grantwriting</span>' not in html
    html = client.get("/find-a-group/").content.decode()
    assert '<span class="tag">Public budgets</span>' in html
    assert '<span class="tag">Presupuestos públicos</span>' not in html


def test_a_spent_join_link_offers_the_catalogue_in_its_language(client, demo_site):
    html = client.get("/es/cohorts/join/spent-or-forged/").content.decode()
    assert 'href="/es/find-a-group/"' in html
    html = client.get("/cohorts/join/spent-or-forged/").content.decode()
    assert 'href="/find-a-group/"' in html


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


@pytest.mark.backend_independent
@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda path: path.parent.name)
def test_spanish_catalogue_is_complete_and_compiled(locale):
    path = locale / "es" / "LC_MESSAGES"
    catalogue = polib.pofile(str(path / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert untranslated == []
    assert catalogue.fuzzy_entries() == []
    compiled = polib.mofile(str(path / "django.mo"))
    assert {e.msgid for e in compiled} >= {e.msgid for e in catalogue if e.msgstr}


# The site speaks to people as "usted"; these words belong to "tú".
INFORMAL = re.compile(r"\b(tu|tus|ti|contigo)\b", re.IGNORECASE)


@pytest.mark.backend_independent
@pytest.mark.parametrize("locale", CATALOGUES, ids=lambda path: path.parent.name)
def test_spanish_speaks_to_people_one_way(locale):
    catalogue = polib.pofile(str(locale / "es" / "LC_MESSAGES" / "django.po"))
    informal = [
        entry.msgid
        for entry in catalogue
        if any(
            INFORMAL.search(text)
            for text in [entry.msgstr, *entry.msgstr_plural.values()]
        )
    ]
    assert informal == []
