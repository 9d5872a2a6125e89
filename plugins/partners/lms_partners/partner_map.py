"""The directory's map: the partners of a page of results, at their places
with coordinates, drawn by Leaflet over tiles from the server the site names
(`map_tiles`). It is progressive enhancement: the list below it holds the
same information, and without a tile server, JavaScript or coordinates no
map is drawn. The tiles come from another origin: the page's content
security policy lets images from that one in."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.apps import apps

TILE_PLACEHOLDERS = ("{z}", "{x}", "{y}")
# A host name (optionally "{s}." in front, Leaflet's subdomains) and port:
# it goes into the page's content security policy as the tiles' origin.
TILE_HOST = re.compile(r"(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


@dataclass(frozen=True)
class Marker:
    name: str
    place: str
    url: str
    lat: float
    lng: float


def tiles() -> str:
    """The tile server's address template, or "" when the site names none."""
    return apps.get_app_config("partners").plugin_settings["map_tiles"]


def attribution() -> str:
    return apps.get_app_config("partners").plugin_settings["map_attribution"]


def tile_problems(template: object) -> list[str]:
    """What is wrong with a `map_tiles` setting: it must be empty or an
    https address with {z}, {x} and {y} in it."""
    if template == "":
        return []
    if (
        not isinstance(template, str)
        or urlsplit(template).scheme != "https"
        or not TILE_HOST.fullmatch(urlsplit(template).netloc)
        or not all(part in template for part in TILE_PLACEHOLDERS)
    ):
        return [
            "'map_tiles' must be empty or an https address with {z}, {x} and {y}, "
            "e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ]
    return []


def geocoder_problems(url: object) -> list[str]:
    """What is wrong with the `geocoder_url` setting (lms_partners.geocoding):
    it must be empty or an https address without a query."""
    if url == "":
        return []
    if not isinstance(url, str) or urlsplit(url).scheme != "https" or "?" in url:
        return [
            "geocoder_url must be an https address without a query, such as "
            "https://nominatim.openstreetmap.org/search"
        ]
    return []


def tile_origin(template: str) -> str:
    """Where the tiles come from, for the page's img-src: the scheme and
    host ({s} subdomains allowed as a wildcard)."""
    parts = urlsplit(template)
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def markers(entries) -> list[dict]:
    """A marker for each place with coordinates of the listed partners on
    the page (`entries`: partner, sectors, address), in list order."""
    return [
        asdict(
            Marker(
                name=partner.organisation.name,
                place=place.where,
                url=url,
                lat=float(place.latitude),
                lng=float(place.longitude),
            )
        )
        for partner, _sectors, url in entries
        for place in partner.locations.all()
        if place.latitude is not None and place.longitude is not None
    ]
