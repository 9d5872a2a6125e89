from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from lms import views
from lms.plugins import plugin_url_patterns

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("badges/", include("cohorts.badge_urls")),
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
    path("accounts/", include("allauth.urls")),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("cohorts/", include("cohorts.urls")),
    path("newsletter/", include("newsletter.urls")),
    path("patterns/", include("content.urls")),
    *plugin_url_patterns(),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
