"""Leads set the site's logo and two brand colours; the colours are refused
when text would be hard to read with them (WCAG 2.1 contrast, 4.5:1)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.images import get_image_model

from content.brand import BrandSettings, contrast_ratio
from content.demo import logo_png
from lms.roles import PROGRAM_LEADS, ensure_role_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def settings_url(site) -> str:
    return f"/admin/settings/content/brandsettings/{site.pk}/"


def post_brand(client, site, **data):
    form = {"primary_colour": "#0b5a8a", "accent_colour": "#0b5a8a", "logo_alt": ""}
    return client.post(settings_url(site), {**form, **data})


def test_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_low_contrast_colour_is_refused_with_a_message_and_nothing_saved(
    client, home_page
):
    site = home_page.get_site()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = post_brand(client, site, primary_colour="#ffcc00")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This colour is too light to read" in page
    assert "needs at least 4.5:1" in page
    # On white it passes (4.54) but not on the header's light grey (4.19).
    response = post_brand(client, site, accent_colour="#767676")
    assert "4.19:1" in response.content.decode()
    assert BrandSettings.for_site(site).primary_colour == "#0b5a8a"
    assert BrandSettings.for_site(site).accent_colour == "#0b5a8a"


def test_the_colours_reach_the_page(client, home_page):
    site = home_page.get_site()
    ensure_role_groups()
    client.force_login(UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)]))
    response = post_brand(
        client, site, primary_colour="#00695c", accent_colour="#b3261e"
    )
    assert response.status_code == 302
    client.logout()
    page = BeautifulSoup(client.get(home_page.url).content, "html.parser")
    link = page.find("link", href=lambda h: h and h.startswith("/brand.css?v="))
    stylesheet = client.get(link["href"])
    assert stylesheet["Content-Type"].startswith("text/css")
    css = stylesheet.content.decode()
    assert "--accent: #00695c;" in css and "--brand-accent: #b3261e;" in css
    assert "immutable" in stylesheet["Cache-Control"]


def test_the_design_system_s_colours_need_no_stylesheet(client, home_page):
    page = client.get(home_page.url).content.decode()
    assert "/brand.css" not in page


def test_the_logo_renders_with_its_alt_text_and_needs_one(client, home_page):
    site = home_page.get_site()
    logo = get_image_model().objects.create(
        title="logo", file=ContentFile(logo_png(), name="logo.png")
    )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = post_brand(client, site, logo=logo.pk)
    assert "Say what the logo shows" in response.content.decode()
    assert BrandSettings.for_site(site).logo is None
    response = post_brand(client, site, logo=logo.pk, logo_alt="Riverside Commons")
    assert response.status_code == 302
    client.logout()
    page = BeautifulSoup(client.get(home_page.url).content, "html.parser")
    image = page.select_one("header .site-name img.site-logo")
    assert image["alt"] == "Riverside Commons"
    assert image["height"] == "48"
