"""Insights' pages, served under /cohorts/ in the "cohorts" URL namespace
(added to cohorts.urls by InsightsConfig.ready), so addresses and names are
those of a group's other pages."""

from django.urls import path

from insights import views

urlpatterns = [
    path("<id:cohort_id>/reports/", views.cohort_reports, name="reports"),
    path("programs/", views.program_index, name="programs"),
    path(
        "programs/<slug:slug>/reports/", views.program_reports, name="program_reports"
    ),
    path("<id:cohort_id>/dashboard/", views.facilitator_dashboard, name="dashboard"),
    path("<id:cohort_id>/nudge/", views.nudge, name="nudge"),
]
