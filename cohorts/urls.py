from django.urls import path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("<int:cohort_id>/join/", views.join_cohort, name="join"),
    path("<int:cohort_id>/join-by-email/", views.join_by_email, name="join_by_email"),
    path("join/<str:token>/", views.confirm_join, name="confirm_join"),
    path("<int:cohort_id>/wrap-up/", views.wrap_up, name="wrap_up"),
    path(
        "<int:cohort_id>/attendance/",
        views.attendance_report,
        name="attendance_report",
    ),
    path("sessions/<int:session_id>/rsvp/", views.rsvp, name="rsvp"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
]
