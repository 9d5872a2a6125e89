"""The production settings, telling whether a page came from the page cache
(X-Page-Cache): `make bench-http` checks that the cached lesson really does.
Nothing else differs from lms.settings.production."""

from lms.settings.production import *  # noqa: F403

PAGE_CACHE_HEADER = True
