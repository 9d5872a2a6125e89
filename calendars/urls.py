"""Calendar feeds and a session's .ics file, served under /cohorts/ in the
"cohorts" URL namespace (added to cohorts.urls by CalendarsConfig.ready)."""

from django.urls import path

from calendars import views

urlpatterns = [
    path(
        "sessions/<id:session_id>/calendar.ics", views.session_ics, name="session_ics"
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "calendar/<str:token>/<id:cohort_id>.ics",
        views.cohort_calendar_feed,
        name="cohort_calendar_feed",
    ),
]
