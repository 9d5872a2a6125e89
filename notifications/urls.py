"""Notifications' pages, served under /cohorts/ in the "cohorts" URL namespace
(added to cohorts.urls by NotificationsConfig.ready). A group's announcements
are a route of its page (CohortPage.announcements_page)."""

from django.urls import path

from notifications import views

urlpatterns = [
    path("my-emails/", views.email_settings, name="email_settings"),
    path("my-emails/calendar/", views.calendar_address, name="calendar_address"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("answer/<str:token>/", views.answer_by_link, name="answer_by_link"),
]
