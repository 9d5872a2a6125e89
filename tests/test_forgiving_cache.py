"""Redis away: pages are served from the database, nothing raises (lms/cache.py)."""

import logging
from itertools import count
from uuid import uuid4

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from cohorts.models import CatalogueIndexPage
from content.models import LessonPage
from lms import cache as forgiving
from lms.demo import DEMO_PASSWORD
from lms.settings.base import cache_config, cache_of_its_own
from lms.versioned_cache import VersionedCache

# Nothing listens on port 1.
CLOSED_PORT = "redis://127.0.0.1:1/0"
# The shared Redis of the tests, on a database of this file's own.
SHARED = "redis://127.0.0.1:6379/9"


def caches_at(url: str) -> dict:
    default = cache_config(url)
    return {
        "default": default,
        "pages": cache_of_its_own(default, "pages"),
        "catalogue": cache_of_its_own(default, "catalogue"),
    }


@pytest.fixture
def warned_never(monkeypatch):
    monkeypatch.setattr(forgiving, "_warned_at", None)


@pytest.fixture
def redis_away(settings, warned_never):
    settings.CACHES = caches_at(CLOSED_PORT)


@pytest.mark.backend_independent
def test_a_redis_url_gets_the_forgiving_backend():
    assert cache_config(SHARED)["BACKEND"] == "lms.cache.ForgivingRedisCache"
    # A Redis that stops answering holds a request a second at the most.
    backend = forgiving.ForgivingRedisCache(SHARED, cache_config(SHARED))
    assert backend._cache._pool_options["socket_timeout"] == 1
    assert backend._cache._pool_options["socket_connect_timeout"] == 1
    assert "Forgiving" not in cache_config("locmemcache://")["BACKEND"]


@pytest.mark.backend_independent
def test_one_redis_client_serves_every_call():
    backend = forgiving.ForgivingRedisCache(SHARED, cache_config(SHARED))
    key = f"tests:one-client:{uuid4().hex}"
    backend.set(key, "kept", 60)
    assert backend.get_many([key]) == {key: "kept"}
    assert backend.add(f"{key}:n", 1, 60)
    assert backend.incr(f"{key}:n") == 2
    backend.delete_many([key, f"{key}:n"])
    # Made once, not for every call (each making copied its reply parsers).
    assert backend._cache.get_client() is backend._cache.get_client(write=True)
    assert len(backend._cache._clients) == 1


@pytest.mark.backend_independent
def test_an_unreachable_redis_is_an_empty_cache(redis_away, caplog):
    cache = caches["default"]
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("key") is False
    cache.set("key", 1)
    assert cache.add("lock", True) is True  # nobody waits for a lock
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    cache.delete_many(["a"])
    assert cache.delete("key") is False
    assert cache.touch("key") is False
    with pytest.raises(ValueError, match="unreachable"):
        cache.incr("counter")
    assert cache.get_or_set("key", 7) == 7
    assert cache.dropped_calls >= 11  # one a call, get_or_set makes several


@pytest.mark.backend_independent
def test_the_warning_is_logged_once_a_minute(redis_away, caplog, monkeypatch):
    cache = caches["default"]
    for _ in range(5):
        cache.get("key")
        cache.set("key", 1)
    warnings = [r for r in caplog.records if r.name == "lms.cache"]
    assert [(r.levelno, r.fault) for r in warnings] == [(logging.WARNING, "cache")]
    monkeypatch.setattr(forgiving, "_warned_at", forgiving._warned_at - 61)
    cache.get("key")
    assert len([r for r in caplog.records if r.name == "lms.cache"]) == 2


@pytest.fixture
def demo_visitor(demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 300  # the page cache is asked too
    return Client()


@pytest.mark.parametrize(
    "page",
    [
        lambda: "/",
        lambda: CatalogueIndexPage.objects.live().first().url,
        lambda: CatalogueIndexPage.objects.live().first().url + "?kind=circle",
        lambda: LessonPage.objects.live().public().first().url,
    ],
)
def test_pages_are_served_while_redis_is_away(demo_visitor, redis_away, page):
    assert demo_visitor.get(page()).status_code == 200


def test_signing_in_works_while_redis_is_away(demo_visitor, redis_away):
    for password in ("wrong", "wrong again", DEMO_PASSWORD):
        response = demo_visitor.post(
            "/accounts/login/", {"login": "lead@example.org", "password": password}
        )
    assert response.status_code == 302
    assert demo_visitor.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("fault", [redis.ConnectionError, redis.TimeoutError])
def test_failed_logins_are_still_limited_while_redis_fails(
    demo_visitor, settings, monkeypatch, warned_never, fault
):
    """Refused or merely slow (past the one-second timeout): the counters of
    failed logins move to this process, so guessing stays limited."""
    settings.CACHES = caches_at(SHARED)

    def failing(*args, **kwargs):
        raise fault("Redis did not answer")

    monkeypatch.setattr(caches["default"]._cache, "get_client", failing)
    guesses = [
        demo_visitor.post(
            "/accounts/login/", {"login": "lead@example.org", "password": f"guess {n}"}
        )
        for n in range(6)
    ]
    assert all(guess.status_code == 200 for guess in guesses)
    right = demo_visitor.post(
        "/accounts/login/", {"login": "lead@example.org", "password": DEMO_PASSWORD}
    )
    assert right.status_code != 302, "the sixth try got in: nothing was counted"
    assert "Too many failed login attempts" in right.content.decode()
    # Back to answering, Redis counts again from its own (empty) record: keys
    # of their own, not a flush of the database other tests' workers use.
    monkeypatch.undo()
    settings.CACHES = caches_at(f"{SHARED}?key_prefix=tests-{uuid4().hex}")
    forgiving.COUNTERS_WHILE_AWAY.clear()
    assert (
        demo_visitor.post(
            "/accounts/login/", {"login": "lead@example.org", "password": DEMO_PASSWORD}
        ).status_code
        == 302
    )


def cut_off(cache, monkeypatch) -> None:
    """Every call from now on finds Redis unreachable."""

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(cache._cache, "get_client", refused)


@pytest.mark.django_db
def test_a_bump_lost_in_an_outage_is_made_when_redis_is_back(
    settings, monkeypatch, warned_never
):
    settings.CACHES = caches_at(SHARED)
    kept = VersionedCache(f"tests:outage:{uuid4().hex}", ttl_seconds=60)
    builds = count(1)
    assert kept.get("key", lambda: next(builds)) == 1
    with monkeypatch.context() as outage:
        cut_off(kept.cache, outage)
        kept.invalidate()  # a save while Redis is away
        assert kept.get("key", lambda: next(builds)) == 2  # built, not kept
    # Redis is back with what it held: the value from before is old.
    assert kept.get("key", lambda: next(builds)) == 3
    assert kept.get("key", lambda: next(builds)) == 3


@pytest.mark.django_db
def test_a_version_lost_with_its_key_never_brings_back_old_values(settings):
    settings.CACHES = caches_at(SHARED)
    kept = VersionedCache(f"tests:evicted:{uuid4().hex}", ttl_seconds=60)
    builds = count(1)
    assert kept.get("key", lambda: next(builds)) == 1
    kept.invalidate()
    assert kept.get("key", lambda: next(builds)) == 2
    # Redis restarted from an older snapshot, or evicted the version key.
    kept.cache.delete(kept.version_key)
    assert kept.get("key", lambda: next(builds)) == 3


@pytest.mark.django_db
def test_readyz_tells_redis_is_away(client, redis_away):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_catalogues_filter_fields_are_kept_apart_from_rate_limit_counters(
    client, home_page
):
    catalogue = CatalogueIndexPage(title="Find a group", slug="find-a-group")
    home_page.add_child(instance=catalogue)
    assert client.get(catalogue.url + "?kind=circle").status_code == 200
    assert not any("filter-fields" in key for key in caches["default"]._cache)
    assert any("filter-fields" in key for key in caches["catalogue"]._cache)
