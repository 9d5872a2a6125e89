from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends whose entries each process keeps for itself.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs) -> list[Warning]:
    """Kept pages, panels and calendar feeds are dropped by bumping a version in
    the cache: a bump in one server process must reach the others."""
    if settings.CACHES["default"]["BACKEND"] not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The cache is kept in each server process, so a change made through "
            "one process shows in pages and calendar feeds served by another "
            "only when their copies expire (up to a day).",
            hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
            id="lms.W001",
        )
    ]


@register(Tags.caches, deploy=True)
def page_cache_is_shared(app_configs, **kwargs) -> list[Warning]:
    """A page made private or unpublished through one process must stop being
    served from the page cache by all of them."""
    if (
        not settings.PAGE_CACHE_SECONDS
        or settings.CACHES["pages"]["BACKEND"] not in PROCESS_LOCAL_CACHES
    ):
        return []
    return [
        Warning(
            "The page cache is on but kept in each server process: a page made "
            "private or unpublished through one process is still shown by the "
            "others to visitors who are not signed in, for up to "
            f"PAGE_CACHE_SECONDS ({settings.PAGE_CACHE_SECONDS} s).",
            hint="Set CACHE_URL to a shared cache (redis://…), or run one "
            "process only, or set PAGE_CACHE_SECONDS=0.",
            id="lms.W002",
        )
    ]
