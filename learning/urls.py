"""A group's course and the certificates it gives, served under /cohorts/ in
the "cohorts" URL namespace (added to cohorts.urls by LearningConfig.ready)."""

from django.urls import path

from learning import views

urlpatterns = [
    path("<id:cohort_id>/course/", views.course, name="course"),
    path("certificates/<slug:code>/", views.verify_certificate, name="certificate"),
    path(
        "certificates/<slug:code>/pdf/", views.certificate_pdf, name="certificate_pdf"
    ),
    path("<id:cohort_id>/course/<id:lesson_id>/", views.lesson, name="lesson"),
]
