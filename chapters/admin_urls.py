"""The admin's page explorer, kept to the pages a person may explore: placed
before Wagtail's own addresses (lms.urls), which they take the place of."""

from django.urls import path

from chapters.admin_views import explorer_index, explorer_results

urlpatterns = [
    path("pages/<int:parent_page_id>/", explorer_index),
    path("pages/<int:parent_page_id>/results/", explorer_results),
]
