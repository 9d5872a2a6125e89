from django.urls import path

from lms_surveys import views

app_name = "surveys"
urlpatterns = [
    path("groups/<id:cohort_id>/", views.group, name="group"),
    path("groups/<id:cohort_id>/attach/", views.attach, name="attach"),
    path("groups/<id:cohort_id>/settings/", views.group_settings, name="settings"),
    path("moments/<id:moment_id>/detach/", views.detach, name="detach"),
    path("moments/<id:moment_id>/share/", views.share, name="share"),
    path("moments/<id:moment_id>/answer/", views.answer, name="answer"),
    path(
        "moments/<id:moment_id>/sessions/<id:session_id>/answer/",
        views.answer,
        name="answer_session",
    ),
    path("moments/<id:moment_id>/results/", views.results_page, name="results"),
    path("moments/<id:moment_id>/results.csv", views.results_csv, name="results_csv"),
    path("sessions/<id:session_id>/reflection/", views.reflection, name="reflection"),
    path("a/<str:token>/", views.answer_by_link, name="answer_by_link"),
]
