"""Insights' pages, served under /cohorts/ in the "cohorts" URL namespace
(added to cohorts.urls by InsightsConfig.ready), so addresses and names are
those of a group's other pages."""

from django.urls import path

from insights import logic_model_views, views

urlpatterns = [
    path("<id:cohort_id>/reports/", views.cohort_reports, name="reports"),
    path("programs/", views.program_index, name="programs"),
    path(
        "programs/<slug:slug>/reports/", views.program_reports, name="program_reports"
    ),
    path(
        "programs/<slug:slug>/logic-model/",
        logic_model_views.current,
        name="logic_model_current",
    ),
    path(
        "programs/<slug:slug>/logic-models/<id:model_id>/",
        logic_model_views.logic_model,
        name="logic_model",
    ),
    path(
        "programs/<slug:slug>/indicators/<id:indicator_id>/",
        logic_model_views.indicator,
        name="indicator",
    ),
    path(
        "programs/<slug:slug>/results/<id:result_id>/withdraw/",
        logic_model_views.withdraw,
        name="indicator_withdraw",
    ),
    path(
        "programs/<slug:slug>/results/<id:result_id>/evidence/",
        logic_model_views.evidence,
        name="indicator_evidence",
    ),
    path("<id:cohort_id>/dashboard/", views.facilitator_dashboard, name="dashboard"),
    path("<id:cohort_id>/nudge/", views.nudge, name="nudge"),
]
