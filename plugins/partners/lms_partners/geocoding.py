"""Places put on the map from their address, when the site names a geocoder.

With `geocoder_url` set (the search address of a Nominatim-compatible
service, https), a place of a listed partner saved with an address and no
coordinates is looked up by a background task, and its latitude and
longitude are filled in if the service finds it. A lead's own coordinates
are never replaced, and nothing is asked for an unlisted partner (its
places are not public, and are on no map). Without the setting (the
default, and in tests), nothing leaves the site.

The task looks the place up as it is when it runs: an address changed or
coordinates typed since are left alone. An answer that cannot be read, or
a service that does not answer, leaves the place without coordinates and
logs why; the map then leaves that place out, as before.
"""

from __future__ import annotations

import json
import logging
import time
from decimal import Decimal
from http.client import HTTPException
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from lms_partners.models import Location, Partner

logger = logging.getLogger(__name__)

# Seconds to wait for the service; its answer is read up to this many bytes.
TIMEOUT = 10
MOST_BYTES = 100_000
SIX_PLACES = Decimal("0.000001")
# What a place's address is made of: changed, its coordinates are no longer
# known to be its own.
ADDRESS_FIELDS = ("address", "city", "region", "postal_code")


def geocoder() -> str:
    return apps.get_app_config("partners").plugin_settings["geocoder_url"]


def query_of(place: Location) -> str:
    """The address as a geocoder is asked for it ("" when it has none)."""
    if not (place.address or place.city):
        return ""
    town = " ".join(part for part in (place.region, place.postal_code) if part)
    return ", ".join(part for part in (place.address, place.city, town) if part)


def look_up(query: str) -> tuple[Decimal, Decimal] | None:
    """The first place the geocoder finds for `query`; None if it finds
    none. Raises OSError when it does not answer, ValueError when its answer
    is not one a Nominatim-compatible service gives."""
    request = Request(  # noqa: S310 (an https address: geocoder_problems)
        f"{geocoder()}?{urlencode({'q': query, 'format': 'jsonv2', 'limit': 1})}",
        headers={
            "Accept": "application/json",
            # Nominatim's usage policy asks each application to name itself.
            "User-Agent": "LearningCommons-partners/1 (resource map)",
        },
    )
    _wait_for_turn()
    try:
        with HTTPS_ONLY.open(request, timeout=TIMEOUT) as answer:
            found = json.loads(answer.read(MOST_BYTES))
    # Cut short, or nested past what the reader takes.
    except (HTTPException, RecursionError) as error:
        raise ValueError(f"an answer that cannot be read: {error!r}") from error
    if not isinstance(found, list):
        raise ValueError("the answer is not a list of places")
    if not found:
        return None
    try:
        latitude = Decimal(str(found[0]["lat"])).quantize(SIX_PLACES)
        longitude = Decimal(str(found[0]["lon"])).quantize(SIX_PLACES)
        on_earth = -90 <= latitude <= 90 and -180 <= longitude <= 180
    except (KeyError, TypeError, ArithmeticError) as error:  # NaN among them
        raise ValueError(f"a place without coordinates: {error!r}") from error
    if not on_earth:
        raise ValueError("coordinates off the Earth")
    return latitude, longitude


def _wait_for_turn() -> None:
    """One request a second from the whole site, as Nominatim's usage policy
    asks (an import can make many places at once): the turn is a key in the
    shared cache that lasts a second."""
    while not cache.add("partners:geocoder-turn", True, timeout=1):
        time.sleep(0.1)


class HttpsRedirectsOnly(HTTPRedirectHandler):
    """Addresses never leave by plain http, even when the service redirects."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme != "https":
            raise URLError(f"a redirect away from https: {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


HTTPS_ONLY = build_opener(HttpsRedirectsOnly)


@task()
def geocode(location_id: int, query: str) -> bool:
    """Fill in the place's coordinates if it still has the address `query`
    and none; whether it was."""
    waiting = Location.objects.filter(
        pk=location_id,
        latitude__isnull=True,
        longitude__isnull=True,
        partner__listed=True,
    )
    place = waiting.first()
    if place is None or query_of(place) != query:
        return False
    try:
        found = look_up(query)
    except (OSError, ValueError) as error:
        logger.warning(
            "The geocoder did not place %r: %s",
            query,
            error,
            extra={"fault": "geocoder"},
        )
        return False
    if found is None:
        logger.info("The geocoder found no place for %r", query)
        return False
    latitude, longitude = found
    # Only if nothing changed while the service was asked.
    unchanged = {field: getattr(place, field) for field in ADDRESS_FIELDS}
    return (
        waiting.filter(**unchanged).update(latitude=latitude, longitude=longitude) == 1
    )


def ask_when_saved(instance: Location, **_signal_kwargs) -> None:
    """post_save of a place: look it up once the save is committed, if the
    site has a geocoder and the place an address, no coordinates and a
    listed partner."""
    if (
        not geocoder()
        or instance.latitude is not None
        or instance.longitude is not None
    ):
        return
    query = query_of(instance)
    if query and Partner.objects.filter(pk=instance.partner_id, listed=True).exists():
        transaction.on_commit(lambda: geocode.enqueue(instance.pk, query), robust=True)
