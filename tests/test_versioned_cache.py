from itertools import count
from uuid import uuid4

import pytest
from django.core.cache import cache

from lms.kept_together import keep_together, read_together
from lms.settings.base import cache_config
from lms.versioned_cache import VersionedCache
from tests.helpers import run_python

SHARED_CACHE = "redis://127.0.0.1:6379/1"


@pytest.mark.django_db  # invalidating also waits for the transaction to commit
def test_a_scope_is_dropped_alone_and_with_everything():
    cache = VersionedCache("tests:scoped", ttl_seconds=60)
    builds = count(1)

    def value(scope):
        return cache.get("key", lambda: next(builds), scope=scope)

    assert (value("a"), value("b"), value("a"), value("b")) == (1, 2, 1, 2)
    cache.invalidate_scope("a")
    assert (value("a"), value("b")) == (3, 2)
    cache.invalidate()
    assert (value("a"), value("b")) == (4, 5)


@pytest.mark.django_db
def test_a_value_in_several_scopes_is_dropped_with_any_of_them():
    cache = VersionedCache("tests:multi", ttl_seconds=60)
    builds = count(1)

    def value(*scopes):
        return cache.get("key", lambda: next(builds), scope=scopes)

    assert (value("me", "a"), value("me", "b"), value("me", "a")) == (1, 2, 1)
    cache.invalidate_scope("b")
    assert (value("me", "a"), value("me", "b")) == (1, 3)
    cache.invalidate_scope("me")
    assert (value("me", "a"), value("me", "b")) == (4, 5)
    assert value() == 6  # no scope at all is a value of its own


@pytest.mark.backend_independent
def test_a_value_can_be_rebuilt_when_it_is_too_old():
    cache = VersionedCache("tests:aged", ttl_seconds=60)
    builds = count(1)
    assert cache.get("key", lambda: next(builds)) == 1
    assert cache.get("key", lambda: next(builds), keep=lambda v: v > 1) == 2
    assert cache.get("key", lambda: next(builds), keep=lambda v: v > 1) == 2


@pytest.mark.backend_independent
def test_a_change_in_one_process_reaches_the_others_through_a_shared_cache(settings):
    settings.CACHES = {"default": cache_config(SHARED_CACHE)}
    # A namespace of its own: other runs may share the Redis server.
    namespace = f"tests:processes:{uuid4().hex}"
    kept = VersionedCache(namespace, ttl_seconds=60)
    builds = count(1)

    def value():
        return kept.get("key", lambda: next(builds), scope=["me", "my-group"])

    assert (value(), value()) == (1, 1)
    bump = (
        "import django; django.setup()\n"
        "from lms.versioned_cache import VersionedCache\n"
        f"VersionedCache({namespace!r}, 60).invalidate_scope('my-group')\n"
    )
    other_process = run_python(
        "-c",
        bump,
        env={"CACHE_URL": SHARED_CACHE, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
    )
    assert other_process.returncode == 0, other_process.stderr
    assert value() == 2
    cache.delete_many(f"{namespace}:{name}version" for name in ("", "me:", "my-group:"))


@pytest.mark.django_db
def test_values_of_several_caches_are_read_together_in_one_round_trip(monkeypatch):
    first = VersionedCache("tests:together-a", ttl_seconds=60)
    second = VersionedCache("tests:together-b", ttl_seconds=60)
    wanted = [(first, "k", "me"), (second, "k", "me"), (second, "k", "you")]
    builds = count(1)

    def read() -> list:
        kept = read_together(wanted)
        keep_together((one, next(builds)) for one in kept if not one.found)
        return [one.value if one.found else None for one in kept]

    assert read() == [None, None, None]  # built: 1, 2, 3
    calls, inside = [], []

    def counted(name, method):
        def call(*args, **kwargs):
            # Round trips only: locmem's get_many calls its own get per key.
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    assert read() == [1, 2, 3]
    assert calls == ["get_many"]
    monkeypatch.undo()

    second.invalidate_scope("you")
    assert read() == [1, 2, None]  # built again: 4
    first.invalidate()
    assert read() == [None, 2, 4]  # built again: 5
    # A value built before an invalidation is never read after it.
    stale = read_together(wanted[:1])
    second.invalidate_scope("me")
    first.invalidate_scope("me")
    keep_together([(stale[0], "stale")])
    assert read_together(wanted[:1])[0].found is False
