"""Open Badges endpoints: machine-read, so the same address in every language."""

from django.urls import path

from learning import badge_views

app_name = "badges"
urlpatterns = [
    path("issuer.json", badge_views.issuer, name="issuer"),
    path("courses/<id:course_id>.json", badge_views.badge_class, name="badge_class"),
    path("courses/<id:course_id>.svg", badge_views.image, name="image"),
    path("<slug:code>.json", badge_views.assertion, name="assertion"),
]
