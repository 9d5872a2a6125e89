"""Cached values dropped all at once when anything they were built from changes.

Each cache has a version number in the cache; changing data bumps it, so every
value built before is never read again and expires by its TTL. A value may also
belong to a scope (one group, say) with a version of its own, so a change
within the scope drops that scope's values and no others. With several
server processes the cache must be shared (CACHE_URL) for a bump to reach them
all; the TTL bounds staleness otherwise.

A bump must not be lost while the cache is unreachable (lms.cache): the
values set before the outage would be read again once it is back. A process
whose bump was dropped keeps it and makes it before its next read of a
version. A version key that is lost (Redis restarted, or the key evicted)
starts again from the time, never from a number values were stored under.
"""

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import BaseCache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_slug_changed, post_page_move

_MISSING = object()
Scopes = str | Sequence[str]

# Version keys whose bump this process could not make, by cache alias.
_unmade_bumps: dict[str, set[str]] = {}
_unmade_bumps_lock = threading.Lock()


def first_version() -> int:
    """A version no value was stored under before: one that starts again
    after the key was lost must not bring back the values of an old one."""
    return time.time_ns()


def dropped_calls(cache: BaseCache) -> int:
    """How many calls this cache answered without reaching its server
    (lms.cache.ForgivingRedisCache); other backends drop none."""
    return getattr(cache, "dropped_calls", 0)


class VersionedCache:
    """Values kept under `namespace` for `ttl_seconds`, dropped when a model
    they were built from changes (`invalidate_on`) or by scope."""

    def __init__(self, namespace: str, ttl_seconds: int, alias: str = "default"):
        self.namespace = namespace
        self.ttl_seconds = ttl_seconds
        self.version_key = f"{namespace}:version"
        self.alias = alias

    @property
    def cache(self) -> BaseCache:
        return caches[self.alias]

    def get(
        self,
        key: str,
        build: Callable[[], Any],
        scope: Scopes = "",
        keep: Callable[[Any], bool] | None = None,
    ) -> Any:
        """`build()`'s result, kept until the next invalidation (or the TTL), or
        until `keep(value)` says it is too old. A value in several scopes is
        dropped when any one of them is."""
        cache_key = self._prefix(scope) + key
        value = self.cache.get(cache_key, _MISSING)
        if value is _MISSING or (keep is not None and not keep(value)):
            value = build()
            self.cache.set(cache_key, value, self.ttl_seconds)
        return value

    def get_many(
        self,
        keys: Iterable[str],
        build: Callable[[list[str]], Mapping[str, Any]],
        scope: Scopes = "",
    ) -> dict[str, Any]:
        """The value of every key, from the cache where it has them; one call
        `build(missing_keys)` (returning a value per key) makes the others."""
        prefix = self._prefix(scope)
        keys = list(keys)
        found = {
            key[len(prefix) :]: value
            for key, value in self.cache.get_many(
                [prefix + key for key in keys]
            ).items()
        }
        missing = [key for key in keys if key not in found]
        if missing:
            built = build(missing)
            self.cache.set_many(
                {prefix + key: built[key] for key in missing}, self.ttl_seconds
            )
            found.update(built)
        return found

    def versioned_key(self, key: str) -> str:
        """`key` under the version of now: a value set there after the next
        invalidation is never read, even if it was built before it."""
        return self._prefix("") + key

    def invalidate(self, **_signal_kwargs: Any) -> None:
        """Drop every value now, and again once the transaction commits (a value
        built in between saw the rows as they were before)."""
        self._bump(self.version_key)
        transaction.on_commit(lambda: self._bump(self.version_key))

    def invalidate_scope(self, *scopes: str) -> None:
        """Like invalidate, for the values of these scopes only."""
        keys = [self._scope_version_key(scope) for scope in scopes]

        def bump() -> None:
            for key in keys:
                self._bump(key)

        bump()
        transaction.on_commit(bump)

    def invalidate_on(
        self, *models: type, scope: Callable[[Any], str | Iterable[str]] | None = None
    ) -> None:
        """Invalidate whenever one of these models is saved or deleted: all
        values, or with `scope` only those of the saved instance's scope (or
        scopes: a record about two people may return both)."""

        def receiver(instance: Any, **signal_kwargs: Any) -> None:
            if scope is None:
                self.invalidate()
                return
            scopes = scope(instance)
            self.invalidate_scope(*([scopes] if isinstance(scopes, str) else scopes))

        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.namespace}-{model._meta}-{signal}",
                )

    def invalidate_on_page_changes(self) -> None:
        """Invalidate whenever a page or site is saved, deleted, moved or renamed,
        for values that show pages' titles, addresses or whether they are live."""

        def receiver(instance: Any, **signal_kwargs: Any) -> None:
            # Page subclasses send post_save with their own class as sender.
            if isinstance(instance, Page | Site):
                self.invalidate()

        for signal in (post_save, post_delete):
            signal.connect(
                receiver, weak=False, dispatch_uid=f"{self.namespace}-pages-{signal}"
            )
        self.invalidate_on_page_moves()

    def invalidate_on_page_moves(self) -> None:
        """Invalidate whenever a page is moved or its slug changes, for values
        that show pages' addresses: descendants' addresses change unsaved."""
        for signal in (post_page_move, page_slug_changed):
            signal.connect(
                self.invalidate,
                weak=False,
                dispatch_uid=f"{self.namespace}-moves-{signal}",
            )

    def _prefix(self, scope: Scopes) -> str:
        scopes = [scope] if isinstance(scope, str) else list(scope)
        scopes = [name for name in scopes if name]
        versions = self._versions(
            [self.version_key, *(self._scope_version_key(name) for name in scopes)]
        )
        return "".join(
            f"{name}:{version}:"
            for name, version in zip([self.namespace, *scopes], versions, strict=True)
        )

    def _scope_version_key(self, scope: str) -> str:
        return f"{self.namespace}:{scope}:version"

    def version_keys(self, scope: Scopes) -> list[str]:
        """The keys of the versions a value of `scope` was built under."""
        scopes = [scope] if isinstance(scope, str) else list(scope)
        return [
            self.version_key,
            *(self._scope_version_key(name) for name in scopes if name),
        ]

    def slot_key(self, key: str, scope: Scopes) -> str:
        """Where `lms.kept_together` keeps the value of `key`: one place whatever
        the versions, which are kept with the value."""
        scopes = [scope] if isinstance(scope, str) else list(scope)
        return ":".join([self.namespace, "kept", *(s for s in scopes if s), key])

    def _versions(self, keys: list[str]) -> list[int]:
        """The versions under these keys, read in one round trip to the cache."""
        self.make_unmade_bumps()
        found = self.cache.get_many(keys)
        self.start_missing_versions(keys, found)
        return [found[key] for key in keys]

    def start_missing_versions(self, keys: Iterable[str], found: dict) -> None:
        """Versions for the keys not in `found`, added to it."""
        for key in keys:
            if key not in found:
                # add() keeps a version another process set in the meantime.
                self.cache.add(key, first_version(), None)
                # 0 is never a version (they start from the time): what is
                # set under it while the cache flickers is never read again.
                found[key] = self.cache.get(key, 0)

    def _bump(self, key: str) -> None:
        """A new version under `key`, or, when the cache cannot be reached,
        one this process makes before it next reads a version."""
        cache = self.cache
        dropped = dropped_calls(cache)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, first_version(), None)
        if dropped_calls(cache) != dropped:
            with _unmade_bumps_lock:
                _unmade_bumps.setdefault(self.alias, set()).add(key)

    def make_unmade_bumps(self) -> None:
        if self.alias not in _unmade_bumps:  # every read passes here: no lock
            return
        with _unmade_bumps_lock:
            keys = _unmade_bumps.pop(self.alias, set())
        for key in keys:
            self._bump(key)
