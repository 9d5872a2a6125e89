"""The program in each language. The footer's contact: a lead words the contact
person, address and name for another language in the admin's settings, and
pages in that language show them; the rest stays as set for the site."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cohorts.program_names import program_name
from content.models import ProgramSettings
from content.site import ensure_locales, program_settings
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_home(home_page):
    spanish = home_page.copy_for_translation(ensure_locales()["es"])
    spanish.save_revision().publish()
    return spanish


def footer(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<footer class="site-footer">') :]


def test_a_lead_words_the_contact_in_spanish_and_spanish_pages_show_it(
    client, home_page, spanish_home
):
    site = home_page.get_site()
    ensure_role_groups()
    client.force_login(UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)]))
    url = f"/admin/settings/content/programsettings/{site.pk}/"
    form = client.get(url).content.decode()
    assert "In other languages" in form
    response = client.post(
        url,
        {
            "organisation_name": "Learning Commons",
            "contact_name": "Maya Torres, Program Lead",
            "contact_email": "programs@example.org",
            "contact_phone": "+1 555 0100",
            "contact_address": "Riverside Community Hall",
            "donate_url": "",
            "wordings-TOTAL_FORMS": "1",
            "wordings-INITIAL_FORMS": "0",
            "wordings-MIN_NUM_FORMS": "0",
            "wordings-MAX_NUM_FORMS": "1000",
            "wordings-0-language": "es",
            "wordings-0-organisation_name": "",
            "wordings-0-contact_name": "Maya Torres, responsable de programas",
            "wordings-0-contact_address": "Salón Comunitario de Riverside",
            "wordings-0-id": "",
            "wordings-0-ORDER": "1",
            "wordings-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()

    english = footer(client, "/")
    assert "Maya Torres, Program Lead" in english
    assert "Riverside Community Hall" in english
    spanish = footer(client, "/es/")
    assert "Maya Torres, responsable de programas" in spanish
    assert "Salón Comunitario de Riverside" in spanish
    assert "Program Lead" not in spanish and "Community Hall" not in spanish
    # Left empty or not worded per language: as set for the site.
    assert "programs@example.org" in spanish and "+1 555 0100" in spanish
    with translation.override("es"):
        assert program_settings(site).organisation_name == "Learning Commons"


def test_a_language_nobody_worded_shows_the_sites_contact(
    client, home_page, spanish_home
):
    settings = ProgramSettings.for_site(home_page.get_site())
    settings.contact_name = "Maya Torres, Program Lead"
    settings.save()
    assert "Maya Torres, Program Lead" in footer(client, "/es/")


def test_the_demo_s_spanish_pages_give_the_contact_in_spanish(client, demo_site):
    spanish = footer(client, "/es/find-a-group/")
    assert "Maya Torres, responsable de programas" in spanish
    assert "Program Lead" not in spanish
    assert "Maya Torres, Program Lead" in footer(client, "/find-a-group/")


def test_a_program_named_in_spanish_is_so_named_on_spanish_pages(client, demo_site):
    """The demo's county program was started in English and named in Spanish
    too; the budget campaign the other way round."""
    client.login(email="lead@example.org", password="learning-commons-demo")
    county_es = "Comunidad de Aprendizaje del Condado de Riverside 2026"
    county_en = "Riverside County Learning Community 2026"
    spanish = client.get("/es/dashboard/").content.decode()
    assert f"Informes de {county_es}" in spanish and county_en not in spanish
    english = client.get("/dashboard/").content.decode()
    assert f"Reports for {county_en}" in english
    assert "Reports for Fair Budgets Campaign 2026" in english
    assert "Campaña por Presupuestos Justos 2026" not in english
    programs = client.get("/es/cohorts/programs/").content.decode()
    assert county_es in programs and county_en not in programs
    report = client.get("/es/cohorts/programs/learning-community-2026/reports/")
    assert f"<h1>{county_es}</h1>" in report.content.decode()
    assert f"Descargar {county_es} como CSV" in report.content.decode()
    assert county_en not in report.content.decode()
    training = "/es/fair-budgets/capacitacion-presupuesto-riverside/"
    assert (
        "· Campaña por Presupuestos Justos 2026 ·"
        in client.get(training).content.decode()
    )


def test_a_lead_names_a_program_in_another_language_in_the_admin(admin_client):
    from cohorts.models import Program

    program = Program.objects.create(name="Budget School", slug="budget-school")
    url = f"/admin/snippets/cohorts/program/edit/{program.pk}/"
    assert "Name in other languages" in admin_client.get(url).content.decode()
    data = nested_form_data(
        {
            "name": "Budget School",
            "slug": "budget-school",
            "description": "",
            "reminder_hours": "24, 1",
            "names": inline_formset(
                [{"language": "es", "name": "Escuela de Presupuestos"}]
            ),
            "targets": inline_formset([]),
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    with translation.override("es"):
        assert program_name(program) == "Escuela de Presupuestos"
    assert program_name(program, "en") == "Budget School"
