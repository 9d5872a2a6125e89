from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from lms import health, outage, personal_data_views, views
from lms.plugins import plugin_url_patterns

urlpatterns = [
    # One way in: the admin's own login and password reset would skip
    # allauth's verification and rate limits, so they lead to allauth's.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="admin_password_reset",
    ),
    # The explorer kept to pages a person may explore (chapters.admin_urls).
    path("admin/", include("chapters.admin_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("badges/", include("learning.badge_urls")),
    path("favicon.ico", views.favicon),
    # Also answered by lms.health.HealthCheckMiddleware, before host checks.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("brand.css", include("content.brand_urls")),
    path("api/v1/", include("api.v1_urls")),
]

if settings.DEBUG:
    # Images only: documents must go through Wagtail's permission-checked view.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += i18n_patterns(
    path("accounts/your-data/", personal_data_views.your_data, name="your_data"),
    path(
        "accounts/your-data/download/",
        personal_data_views.download_your_data,
        name="download_your_data",
    ),
    path(
        "accounts/your-data/delete/",
        personal_data_views.delete_account,
        name="delete_account",
    ),
    path(
        "accounts/deleted/",
        personal_data_views.account_deleted,
        name="account_deleted",
    ),
    path("accounts/organisations/", include("organisations.urls")),
    path("accounts/api-tokens/", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("cohorts/", include("cohorts.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("patterns/", include("content.urls")),
    *plugin_url_patterns(),
    # Wagtail's own front-end login (for pages private to logged-in users)
    # would skip allauth too.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A database that cannot be reached is a 503 page; anything else, the 500 page.
handler500 = outage.server_error
