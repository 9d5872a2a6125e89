"""Cached values dropped all at once when anything they were built from changes.

Each cache has a version number in the cache; changing data bumps it, so every
value built before is never read again and expires by its TTL. With several
server processes the cache must be shared (CACHE_URL) for a bump to reach them
all; the TTL bounds staleness otherwise.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class VersionedCache:
    def __init__(self, namespace: str, ttl_seconds: int) -> None:
        self.namespace = namespace
        self.ttl_seconds = ttl_seconds
        self.version_key = f"{namespace}:version"

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        """`build()`'s result, kept until the next invalidation (or the TTL)."""
        return self.get_many([key], lambda missing: {key: build()})[key]

    def get_many(
        self,
        keys: Iterable[str],
        build: Callable[[list[str]], Mapping[str, Any]],
    ) -> dict[str, Any]:
        """The value of every key, from the cache where it has them; one call
        `build(missing_keys)` (returning a value per key) makes the others."""
        version = cache.get_or_set(self.version_key, 1, None)
        prefix = f"{self.namespace}:{version}:"
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
        self._bump()
        transaction.on_commit(self._bump)

    def invalidate_on(self, *models: type) -> None:
        """Invalidate whenever one of these models is saved or deleted."""
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    self.invalidate,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"{self.namespace}-{model._meta}-{signal}",
                )

    def _bump(self) -> None:
        try:
            cache.incr(self.version_key)
        except ValueError:
            cache.set(self.version_key, 1, None)
