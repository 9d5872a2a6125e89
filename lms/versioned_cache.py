"""Cached values dropped all at once when anything they were built from changes.

Each cache has a version number in the cache; changing data bumps it, so every
value built before is never read again and expires by its TTL. A value may also
belong to a scope (one group, say) with a version of its own, so a change
within the scope drops that scope's values and no others. With several
server processes the cache must be shared (CACHE_URL) for a bump to reach them
all; the TTL bounds staleness otherwise.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

_MISSING = object()


class VersionedCache:
    def __init__(self, namespace: str, ttl_seconds: int) -> None:
        self.namespace = namespace
        self.ttl_seconds = ttl_seconds
        self.version_key = f"{namespace}:version"

    def get(
        self,
        key: str,
        build: Callable[[], Any],
        scope: str = "",
        keep: Callable[[Any], bool] | None = None,
    ) -> Any:
        """`build()`'s result, kept until the next invalidation (or the TTL), or
        until `keep(value)` says it is too old."""
        cache_key = self._prefix(scope) + key
        value = cache.get(cache_key, _MISSING)
        if value is _MISSING or (keep is not None and not keep(value)):
            value = build()
            cache.set(cache_key, value, self.ttl_seconds)
        return value

    def get_many(
        self,
        keys: Iterable[str],
        build: Callable[[list[str]], Mapping[str, Any]],
        scope: str = "",
    ) -> dict[str, Any]:
        """The value of every key, from the cache where it has them; one call
        `build(missing_keys)` (returning a value per key) makes the others."""
        prefix = self._prefix(scope)
        keys = list(keys)
        found = {
            key[len(prefix) :]: value
            for key, value in cache.get_many([prefix + key for key in keys]).items()
        }
        missing = [key for key in keys if key not in found]
        if missing:
            built = build(missing)
            cache.set_many(
                {prefix + key: built[key] for key in missing}, self.ttl_seconds
            )
            found.update(built)
        return found

    def invalidate(self, **_signal_kwargs: Any) -> None:
        """Drop every value now, and again once the transaction commits (a value
        built in between saw the rows as they were before)."""
        self._bump(self.version_key)
        transaction.on_commit(lambda: self._bump(self.version_key))

    def invalidate_scope(self, scope: str) -> None:
        """Like invalidate, for the values of one scope only."""
        key = self._scope_version_key(scope)
        self._bump(key)
        transaction.on_commit(lambda: self._bump(key))

    def invalidate_on(
        self, *models: type, scope: Callable[[Any], str] | None = None
    ) -> None:
        """Invalidate whenever one of these models is saved or deleted: all
        values, or with `scope` only those of the saved instance's scope."""

        def receiver(instance: Any, **signal_kwargs: Any) -> None:
            if scope is None:
                self.invalidate()
            else:
                self.invalidate_scope(scope(instance))

        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.namespace}-{model._meta}-{signal}",
                )

    def _prefix(self, scope: str) -> str:
        prefix = f"{self.namespace}:{self._version(self.version_key)}:"
        if scope:
            prefix += f"{scope}:{self._version(self._scope_version_key(scope))}:"
        return prefix

    def _scope_version_key(self, scope: str) -> str:
        return f"{self.namespace}:{scope}:version"

    @staticmethod
    def _version(key: str) -> int:
        return cache.get_or_set(key, 1, None)

    @staticmethod
    def _bump(key: str) -> None:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)
