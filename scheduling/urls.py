"""Served under /cohorts/ in the `cohorts` namespace (added by
SchedulingConfig.ready()), so the addresses and URL names stay those of a
group's pages."""

from django.urls import path

from scheduling import views

urlpatterns = [
    path(
        "<id:cohort_id>/attendance/",
        views.attendance_report,
        name="attendance_report",
    ),
    path("sessions/<id:session_id>/rsvp/", views.rsvp, name="rsvp"),
    path("sessions/<id:session_id>/attendance/", views.attendance, name="attendance"),
]
