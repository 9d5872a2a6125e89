from django.urls import path

from lms_signups import views

app_name = "signups"
urlpatterns = [
    path("groups/<id:cohort_id>/", views.sheet, name="sheet"),
    path("groups/<id:cohort_id>/jobs/", views.job_action, name="job_action"),
]
