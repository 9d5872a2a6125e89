"""The footer's program contact in each language: a lead words the contact
person, address and name for another language in the admin's settings, and
pages in that language show them; the rest stays as set for the site."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

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
