from itertools import count
from uuid import uuid4

import pytest
from django.core.cache import cache

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
