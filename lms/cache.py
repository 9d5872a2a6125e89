"""A Redis cache that lets the site go on without Redis.

Redis holds only caches and rate-limit counters (sessions are in the
database), so losing it must cost speed, not pages. Django's RedisCache
raises on every call once the server is unreachable; this one answers as an
empty cache: a read is a miss, a write is dropped (`add` says it stored the
value, so nothing waits for a lock nobody holds), and a warning is logged at
most once a minute per process.

Rate-limit counters (allauth's, under `allauth:rl:`: failed logins, sign-ups,
the mail anyone can make the site send) are the exception: a call on one that
Redis does not answer — refused, or slower than the one-second timeout — is
made on a counter kept in this process's memory instead. Limits then hold
per process (each allows the full rate) rather than going away, so slowing
Redis down cannot buy an attacker unlimited password guesses, and nobody is
locked out because Redis is away (docs/deploy.md "Faults").

Each backend instance (Django keeps one per thread and alias) counts the
calls it dropped in `dropped_calls`, so a caller whose write must not be lost
(lms.versioned_cache's version bumps) can tell it was and do it again later.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60
# A Redis that stops answering (a lost network, not a refused connection)
# would otherwise hold every request until the operating system gives up.
DEFAULT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}

# allauth's rate limiter (lms.throttle uses it too) names its counters so.
COUNTER_PREFIX = "allauth:rl:"
# Shared by every backend instance of the process (LocMemCache instances of
# one name share their storage and its lock); 1,000 keys, the oldest culled.
COUNTERS_WHILE_AWAY = LocMemCache(
    "lms.cache.counters-while-away", {"OPTIONS": {"MAX_ENTRIES": 1000}}
)

_warned_at: float | None = None
_warned_lock = threading.Lock()


def warn_unreachable(error: Exception) -> None:
    """Log that Redis is unreachable, once a minute per process at most."""
    global _warned_at
    now = time.monotonic()
    with _warned_lock:
        if _warned_at is not None and now - _warned_at < WARN_EVERY_SECONDS:
            return
        _warned_at = now
    logger.warning(
        "Redis is unreachable; serving without the cache, "
        "rate limits counted per process (%s)",
        type(error).__name__,
        extra={"fault": "cache", "error": str(error)},
    )


class OneClientPerPool(RedisCacheClient):
    """Django's client, making one `redis.Redis` per connection pool rather
    than one per call: making one copies its table of some 170 reply
    parsers, which cost as much as a round trip to Redis, on every call
    (fifteen a page). A `redis.Redis` is safe to share: each command takes
    a connection from the pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = OneClientPerPool
        self.dropped_calls = 0

    def _or(self, answer: Any, method: Callable[..., Any], *args: Any) -> Any:
        """RedisCache's `method(self, *args)`, or when Redis cannot be
        reached: the same call on this process's counters for a rate-limit
        counter (args[0] is the key), else `answer`."""
        try:
            return method(self, *args)
        except UNREACHABLE as error:
            self._dropped(error)
            if args and isinstance(args[0], str) and args[0].startswith(COUNTER_PREFIX):
                return getattr(COUNTERS_WHILE_AWAY, method.__name__)(*args)
            return answer

    def _dropped(self, error: Exception) -> None:
        self.dropped_calls += 1
        warn_unreachable(error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(True, RedisCache.add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, RedisCache.get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or(None, RedisCache.set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, RedisCache.touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or(False, RedisCache.delete, key, version)

    def get_many(self, keys, version=None):
        return self._or({}, RedisCache.get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, RedisCache.has_key, key, version)

    def incr(self, key, delta=1, version=None):
        """Counting needs the stored value: with Redis away there is none, as
        for a missing key (ValueError), and the caller's fallback `set` is
        dropped too."""
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._dropped(error)
            raise ValueError(f"Key {key!r} not found: Redis is unreachable") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), RedisCache.set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._or(None, RedisCache.delete_many, keys, version)

    def clear(self):
        return self._or(False, RedisCache.clear)
