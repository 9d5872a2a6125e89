from django.urls import path

from lms_coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("numbers/", views.program_rollup, name="rollup"),
    path("groups/<int:cohort_id>/", views.group, name="group"),
    path("groups/<int:cohort_id>/log/", views.log_session, name="log"),
    path("sessions/<int:session_id>/", views.session, name="session"),
    path("sessions/<int:session_id>/edit/", views.edit_session, name="edit"),
    path("sessions/<int:session_id>/delete/", views.delete_session, name="delete"),
    path(
        "sessions/<int:session_id>/attachments/",
        views.add_attachment,
        name="add_attachment",
    ),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("goals/<int:goal_id>/review/", views.goal_review, name="goal_review"),
    path("steps/<int:step_id>/done/", views.step_done, name="step_done"),
]
