from django.urls import path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("<int:cohort_id>/join/", views.join_cohort, name="join"),
    path("sessions/<int:session_id>/rsvp/", views.rsvp, name="rsvp"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
]
