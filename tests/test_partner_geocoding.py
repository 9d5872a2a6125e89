"""Places put on the map from their address (plugins/partners,
lms_partners.geocoding): only with a geocoder named in the settings, only
for listed partners' places without coordinates, and a service that fails
or answers nonsense leaves the place as it was. No test reaches a real
service: the HTTP call is replaced."""

import io
import json
import logging
from decimal import Decimal
from http.client import IncompleteRead
from urllib.error import URLError
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request

import pytest
from django.apps import apps
from lms_partners import geocoding, reviews
from lms_partners.models import Correction, Location, Partner

from organisations.models import Organisation

pytestmark = pytest.mark.django_db

GEOCODER = "https://geo.example.org/search"
FOUND = [{"lat": "33.9806401", "lon": "-117.3755", "display_name": "Riverside"}]


class Geocoder:
    """Stands for the service: answers `answer` (or raises it) and keeps
    what it was asked."""

    def __init__(self, monkeypatch, answer=FOUND):
        self.answer = answer
        self.asked = []
        monkeypatch.setattr(geocoding, "HTTPS_ONLY", self)

    def open(self, request, timeout):
        self.asked.append(request)
        if isinstance(self.answer, Exception):
            raise self.answer
        body = (
            self.answer if isinstance(self.answer, bytes) else json.dumps(self.answer)
        )
        return io.BytesIO(body.encode() if isinstance(body, str) else body)


@pytest.fixture
def with_geocoder(settings):
    settings.LMS_PLUGINS_CONFIG = {"partners": {"geocoder_url": GEOCODER}}


def partner(listed=True) -> Partner:
    return Partner.objects.create(
        organisation=Organisation.objects.create(name=f"Partner {listed}"),
        listed=listed,
    )


def place(owner: Partner, **fields) -> Location:
    values = {"name": "Hall", "address": "3900 Market St", "city": "Riverside"}
    return Location.objects.create(partner=owner, **{**values, **fields})


def test_without_a_geocoder_nothing_leaves_the_site(
    monkeypatch, django_capture_on_commit_callbacks
):
    service = Geocoder(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        hall = place(partner())
    assert service.asked == []
    hall.refresh_from_db()
    assert hall.latitude is None


def test_a_listed_partner_s_place_saved_without_coordinates_is_placed(
    with_geocoder, monkeypatch, django_capture_on_commit_callbacks
):
    service = Geocoder(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        hall = place(partner(), region="CA", postal_code="92501")
    (request,) = service.asked
    address = urlsplit(request.full_url)
    assert f"{address.scheme}://{address.netloc}{address.path}" == GEOCODER
    assert parse_qs(address.query) == {
        "q": ["3900 Market St, Riverside, CA 92501"],
        "format": ["jsonv2"],
        "limit": ["1"],
    }
    assert "LearningCommons" in request.get_header("User-agent")
    hall.refresh_from_db()
    assert (hall.latitude, hall.longitude) == (
        Decimal("33.980640"),
        Decimal("-117.375500"),
    )


def test_typed_coordinates_unlisted_partners_and_places_without_address_are_not_asked(
    with_geocoder, monkeypatch, django_capture_on_commit_callbacks
):
    service = Geocoder(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        typed = place(partner(), latitude=Decimal("34"), longitude=Decimal("-117"))
        place(partner(listed=False))
        place(partner(), address="", city="")
    assert service.asked == []
    typed.refresh_from_db()
    assert typed.latitude == Decimal("34")


@pytest.mark.parametrize(
    "answer",
    [
        [],  # found nothing
        URLError("Name or service not known"),
        TimeoutError("timed out"),
        b"<html>Too many requests</html>",
        {"error": "Unable to geocode"},
        [{"lat": "north", "lon": "-117"}],
        [{"display_name": "somewhere"}],
        [{"lat": "95", "lon": "-117"}],  # off the Earth
        [{"lat": "NaN", "lon": "-117"}],
        b"[" * 100_000,  # nested past reading
        IncompleteRead(b"[{"),
    ],
)
def test_a_geocoder_that_fails_or_answers_nonsense_leaves_the_place_as_it_was(
    with_geocoder, monkeypatch, caplog, answer
):
    hall = place(partner())  # saved in the test's transaction: nothing asked yet
    service = Geocoder(monkeypatch, answer)
    with caplog.at_level(logging.INFO, logger="lms_partners.geocoding"):
        assert geocoding.geocode.call(hall.pk, geocoding.query_of(hall)) is False
    assert len(service.asked) == 1
    hall.refresh_from_db()
    assert hall.latitude is None and hall.longitude is None
    assert "3900 Market St" in caplog.text


def test_a_place_changed_before_the_task_runs_is_left_to_its_next_look_up(
    with_geocoder, monkeypatch
):
    hall = place(partner())
    asked_for = geocoding.query_of(hall)
    service = Geocoder(monkeypatch)
    Location.objects.filter(pk=hall.pk).update(address="1 Elm St")
    assert geocoding.geocode.call(hall.pk, asked_for) is False
    Location.objects.filter(pk=hall.pk).update(
        latitude=Decimal("1"), longitude=Decimal("2")
    )
    assert geocoding.geocode.call(hall.pk, geocoding.query_of(hall)) is False
    assert service.asked == []


def test_a_place_moved_by_the_organisation_s_review_is_looked_up_again(
    with_geocoder, monkeypatch, django_capture_on_commit_callbacks
):
    owner = partner()
    hall = place(owner, latitude=Decimal("33.1"), longitude=Decimal("-117.1"))
    moved = {**reviews.entry_values(owner)["locations"][0], "address": "2 Elm St"}
    correction = Correction.objects.create(
        partner=owner, source=Correction.Source.CONTACT, changes={"locations": [moved]}
    )
    service = Geocoder(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        reviews.apply(correction.pk, None)
    assert [parse_qs(urlsplit(r.full_url).query)["q"] for r in service.asked] == [
        ["2 Elm St, Riverside"]
    ]
    hall.refresh_from_db()
    assert (hall.latitude, hall.longitude) == (
        Decimal("33.980640"),
        Decimal("-117.375500"),
    )


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("", False),
        (GEOCODER, False),
        ("http://geo.example.org/search", True),
        ("https://geo.example.org/search?key=1", True),
        (42, True),
    ],
)
def test_the_geocoder_setting_is_checked(url, refused):
    config = apps.get_app_config("partners")
    problems = config.setting_problems({**config.default_settings, "geocoder_url": url})
    assert bool(problems) is refused


def test_addresses_leave_by_https_only_and_one_a_second(with_geocoder, monkeypatch):
    """A redirect to plain http is refused; lookups take turns a second apart
    (Nominatim's usage policy), whatever asks for them."""
    handler = geocoding.HttpsRedirectsOnly()
    asked = Request("https://geo.example.org/search?q=x")
    with pytest.raises(URLError):
        handler.redirect_request(
            asked, None, 302, "Found", {}, "http://geo.example.org/"
        )
    assert handler.redirect_request(
        asked, None, 302, "Found", {}, "https://geo2.example.org/search?q=x"
    )
    waits = []
    monkeypatch.setattr(geocoding.time, "sleep", waits.append)
    Geocoder(monkeypatch)
    geocoding.look_up("1 Oak St")
    assert waits == []
    turns = iter([False, False, True])
    monkeypatch.setattr(geocoding.cache, "add", lambda *args, **kwargs: next(turns))
    geocoding.look_up("2 Oak St")
    assert len(waits) == 2  # the turn was taken: it waited for the next
