"""Notifications' pages, a group's announcements among them, served under
/cohorts/ in the "cohorts" URL namespace (added to cohorts.urls by
NotificationsConfig.ready), so their addresses and names are those of a
group's other pages."""

from django.urls import path

from notifications import inbox_views, views

urlpatterns = [
    path("<id:cohort_id>/announcements/", views.announcements, name="announcements"),
    path("my-emails/", views.email_settings, name="email_settings"),
    path(
        "my-emails/notifications/",
        inbox_views.notification_choices,
        name="notification_choices",
    ),
    path("inbox/", inbox_views.inbox_page, name="inbox"),
    path("inbox/read-all/", inbox_views.mark_all_read, name="inbox_read_all"),
    path(
        "inbox/<id:notification_id>/open/",
        inbox_views.open_notification,
        name="open_notification",
    ),
    path("my-emails/calendar/", views.calendar_address, name="calendar_address"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("answer/<str:token>/", views.answer_by_link, name="answer_by_link"),
]
