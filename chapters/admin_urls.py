"""Admin addresses of Wagtail's that a chapter's leads would otherwise see
the whole network through: the page explorer, kept to the pages a person may
explore, and the page types report, kept from chapter leads; and the
deletion of a site, which a chapter's would fail. Placed before
Wagtail's own addresses (lms.urls), which they take the place of."""

from django.urls import path

from chapters.admin_views import (
    explorer_index,
    explorer_results,
    page_types_usage,
    page_types_usage_results,
    site_delete,
)

urlpatterns = [
    path("pages/<int:parent_page_id>/", explorer_index),
    path("pages/<int:parent_page_id>/results/", explorer_results),
    path("reports/page-types-usage/", page_types_usage),
    path("reports/page-types-usage/results/", page_types_usage_results),
    path("sites/delete/<str:pk>/", site_delete),
]
