"""The production settings, telling whether a page came from the page cache
(X-Page-Cache): `make bench-http` checks that the cached lesson really does.
And the API's rate limits lifted: wrk asks far more than any one caller may.
Nothing else differs from lms.settings.production."""

from lms.settings.production import *  # noqa: F403

PAGE_CACHE_HEADER = True
API_RATE_LIMIT = API_ANONYMOUS_RATE_LIMIT = "10000000/min"
