from django.urls import path

from lms_coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("numbers/", views.program_rollup, name="rollup"),
    path("groups/<id:cohort_id>/", views.group, name="group"),
    path("groups/<id:cohort_id>/log/", views.log_session, name="log"),
    path("sessions/<id:session_id>/", views.session, name="session"),
    path("sessions/<id:session_id>/edit/", views.edit_session, name="edit"),
    path("sessions/<id:session_id>/delete/", views.delete_session, name="delete"),
    path(
        "sessions/<id:session_id>/attachments/",
        views.add_attachment,
        name="add_attachment",
    ),
    path("attachments/<id:attachment_id>/", views.attachment, name="attachment"),
    path("goals/<id:goal_id>/review/", views.goal_review, name="goal_review"),
    path("steps/<id:step_id>/done/", views.step_done, name="step_done"),
]
