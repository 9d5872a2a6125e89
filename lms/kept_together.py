"""Values of several versioned caches (lms.versioned_cache) read in one
round trip to the cache, for a page showing many cached pieces at once (My
learning's panels), where `VersionedCache.get` makes two round trips each.

A value is kept with the versions it was built under and read only while
they are all current, so an invalidation drops it as it drops a value of
`get` (the two are kept apart: a value kept here is read only here).

Kept apart from lms.versioned_cache, which imports Wagtail's models: this
module is imported before the apps are loaded (lms.panels by sdk.testing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.core.cache import caches

if TYPE_CHECKING:
    from lms.versioned_cache import Scopes, VersionedCache

MISSING = object()  # what the cache holds for a value it does not have


@dataclass
class Kept:
    """One value asked of `read_together`: `value` is what the cache holds
    for it, or MISSING; `keep_together` stores the value built instead."""

    cache: VersionedCache
    slot: str
    versions: tuple[int, ...]
    value: Any = MISSING

    @property
    def found(self) -> bool:
        return self.value is not MISSING


def read_together(wanted: Sequence[tuple[VersionedCache, str, Scopes]]) -> list[Kept]:
    """The values under (cache, key, scope), read in one round trip per
    cache alias: their versions and the values at once. Build the missing
    ones and give them to `keep_together`."""
    kept: list[Kept] = []
    by_alias: dict[str, list[int]] = {}
    for position, (cache, key, scope) in enumerate(wanted):
        by_alias.setdefault(cache.alias, []).append(position)
        kept.append(Kept(cache, cache.slot_key(key, scope), ()))
    for positions in by_alias.values():
        one_of_them = wanted[positions[0]][0]
        one_of_them.make_unmade_bumps()
        version_keys = {
            position: wanted[position][0].version_keys(wanted[position][2])
            for position in positions
        }
        every_version = list(dict.fromkeys(chain(*version_keys.values())))
        found = one_of_them.cache.get_many(
            [*every_version, *(kept[position].slot for position in positions)]
        )
        one_of_them.start_missing_versions(every_version, found)
        for position in positions:
            one = kept[position]
            one.versions = tuple(found[key] for key in version_keys[position])
            value = found.get(one.slot)
            if (
                isinstance(value, tuple)
                and len(value) == 2
                and value[0] == one.versions
            ):
                one.value = value[1]
    return kept


def keep_together(built: Iterable[tuple[Kept, Any]]) -> None:
    """Store values built for `read_together`'s misses, each with the
    versions it was read under: a value built across an invalidation is
    never read (its versions are no longer current)."""
    by_cache: dict[tuple[str, int], dict[str, Any]] = {}
    for kept, value in built:
        key = (kept.cache.alias, kept.cache.ttl_seconds)
        by_cache.setdefault(key, {})[kept.slot] = (kept.versions, value)
    for (alias, ttl_seconds), values in by_cache.items():
        caches[alias].set_many(values, ttl_seconds)
