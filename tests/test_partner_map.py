"""The partners directory's map (lms_partners.partner_map): progressive
enhancement over the list, drawn only when the site names a tile server
(tests run with none), from the listed partners of the page shown, with the
tile server's origin let in by the page's content security policy."""

import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from lms_partners import partner_map
from lms_partners.directory import PartnerDirectoryPage
from lms_partners.models import Location

from sdk.testing import check_plugin
from tests.test_partners import partner

pytestmark = pytest.mark.django_db

TILES = "https://tile.example.org/{z}/{x}/{y}.png"


@pytest.fixture
def directory(home_page):
    return home_page.add_child(
        instance=PartnerDirectoryPage(title="Partners", slug="partners")
    )


@pytest.fixture
def places():
    school = partner("Lincoln School")
    Location.objects.create(
        partner=school,
        name="Main hall",
        city="Riverside",
        latitude=Decimal("33.953350"),
        longitude=Decimal("-117.396156"),
    )
    Location.objects.create(partner=school, name="Annex", city="Riverside")
    hidden = partner("Quiet Watch", listed=False)
    Location.objects.create(
        partner=hidden,
        name="Back room",
        latitude=Decimal("34.0"),
        longitude=Decimal("-117.0"),
    )
    return school


def map_data(html: str) -> dict:
    found = re.search(
        r'<script id="partner-map-data" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    return json.loads(found.group(1)) if found else {}


def test_without_a_tile_server_the_list_alone_says_where(client, directory, places):
    html = client.get(directory.url).content.decode()
    assert "partner-map" not in html and "leaflet" not in html
    assert "Where: Annex, Riverside; Main hall, Riverside" in html
    assert "Back room" not in html


def test_with_a_tile_server_the_listed_partners_are_mapped(
    client, directory, places, settings
):
    settings.LMS_PLUGINS_CONFIG = {
        "partners": {"map_tiles": TILES, "map_attribution": "© Example maps"}
    }
    answer = client.get(directory.url)
    html = answer.content.decode()
    assert 'aria-label="Map of the partners listed below"' in html
    shown = map_data(html)
    assert (shown["tiles"], shown["attribution"]) == (TILES, "© Example maps")
    assert shown["markers"] == [
        {
            "name": "Lincoln School",
            "place": "Main hall, Riverside",
            "url": directory.url + "lincoln-school/",
            "lat": 33.95335,
            "lng": -117.396156,
        }
    ]
    policy = answer["Content-Security-Policy"]
    images = next(part for part in policy.split(";") if "img-src" in part)
    assert "https://tile.example.org" in images
    assert "https://tile.example.org" not in policy.replace(images, "")
    # Filtered to nothing: no map. A partner's own page draws none and lets
    # no tiles in.
    empty = client.get(directory.url + "?q=nothing-matches").content.decode()
    assert "partner-map" not in empty
    own = client.get(directory.url + "lincoln-school/")
    assert own.status_code == 200
    assert "tile.example.org" not in own["Content-Security-Policy"]


def test_a_copy_from_the_page_cache_still_lets_the_tiles_in(
    directory, places, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.LMS_PLUGINS_CONFIG = {"partners": {"map_tiles": TILES}}
    Client().get(directory.url)
    kept = Client().get(directory.url)
    assert kept["X-Page-Cache"] == "hit"
    assert "https://tile.example.org" in kept["Content-Security-Policy"]
    assert map_data(kept.content.decode())["markers"]


@pytest.mark.parametrize(
    "tiles",
    [
        "http://tile.example.org/{z}/{x}/{y}.png",
        "https://tile.example.org/tiles.png",
        "javascript:alert(1)//{z}{x}{y}",
        "https:///{z}/{x}/{y}",
        "https://x.org;script-src 'unsafe-inline' */{z}/{x}/{y}.png",
        "https://user:secret@tile.example.org/{z}/{x}/{y}.png",
        "https://tile{s}.example.org/{z}/{x}/{y}.png",
        7,
    ],
)
def test_a_tile_server_that_is_not_https_with_z_x_y_stops_start_up(settings, tiles):
    config = apps.get_app_config("partners")
    settings.LMS_PLUGINS_CONFIG = {"partners": {"map_tiles": tiles}}
    with pytest.raises(ImproperlyConfigured, match="map_tiles"):
        config.ready()
    settings.LMS_PLUGINS_CONFIG = {"partners": {"map_tiles": TILES}}
    config.ready()
    subdomains = "https://{s}.tile.example.org:8443/{z}/{x}/{y}.png"
    settings.LMS_PLUGINS_CONFIG = {"partners": {"map_tiles": subdomains}}
    config.ready()
    assert partner_map.tile_origin(subdomains) == "https://*.tile.example.org:8443"


def test_the_plugin_still_meets_the_plugin_contract():
    assert check_plugin("partners") == []
