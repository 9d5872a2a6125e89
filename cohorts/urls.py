from django.urls import URLPattern, URLResolver, path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("<id:cohort_id>/join/", views.join_cohort, name="join"),
    path("<id:cohort_id>/join-by-email/", views.join_by_email, name="join_by_email"),
    path("join/<str:token>/", views.confirm_join, name="confirm_join"),
    path("<id:cohort_id>/wrap-up/", views.wrap_up, name="wrap_up"),
    path("<id:cohort_id>/leave/", views.leave_cohort, name="leave"),
    path("<id:cohort_id>/members/", views.members, name="members"),
]


def add_patterns(patterns: list[URLPattern | URLResolver]) -> None:
    """Serve a higher app's group pages under /cohorts/ in this namespace, so
    their addresses and names stay those of a group's pages. Called from the
    app's AppConfig.ready(), before any URL is resolved."""
    urlpatterns.extend(patterns)
