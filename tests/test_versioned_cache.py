from itertools import count

import pytest

from lms.versioned_cache import VersionedCache


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


def test_a_value_can_be_rebuilt_when_it_is_too_old():
    cache = VersionedCache("tests:aged", ttl_seconds=60)
    builds = count(1)
    assert cache.get("key", lambda: next(builds)) == 1
    assert cache.get("key", lambda: next(builds), keep=lambda v: v > 1) == 2
    assert cache.get("key", lambda: next(builds), keep=lambda v: v > 1) == 2
