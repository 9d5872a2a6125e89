from django.urls import path

from lms_discussions import views

app_name = "discussions"
urlpatterns = [
    path("groups/<id:cohort_id>/", views.group, name="group"),
    path("groups/<id:cohort_id>/new/", views.new_in_group, name="new_in_group"),
    path(
        "groups/<id:cohort_id>/moderation/",
        views.moderation_group,
        name="moderation_group",
    ),
    path("groups/<id:cohort_id>/follow/", views.follow_group, name="follow_group"),
    path("groups/<id:cohort_id>/people/", views.people_in_group, name="people_group"),
    path("programs/<id:program_id>/", views.program, name="program"),
    path("programs/<id:program_id>/new/", views.new_in_program, name="new_in_program"),
    path(
        "programs/<id:program_id>/moderation/",
        views.moderation_program,
        name="moderation_program",
    ),
    path(
        "programs/<id:program_id>/follow/",
        views.follow_program,
        name="follow_program",
    ),
    path(
        "programs/<id:program_id>/people/",
        views.people_in_program,
        name="people_program",
    ),
    path("threads/<id:thread_id>/", views.thread, name="thread"),
    path("threads/<id:thread_id>/reply/", views.reply, name="reply"),
    path("threads/<id:thread_id>/pin/", views.pin_thread, name="pin"),
    path("threads/<id:thread_id>/lock/", views.lock_thread, name="lock"),
    path("threads/<id:thread_id>/move/", views.move_thread, name="move"),
    path("threads/<id:thread_id>/follow/", views.follow, name="follow"),
    path("posts/<id:post_id>/react/", views.react, name="react"),
    path("posts/<id:post_id>/edit/", views.edit_post, name="edit"),
    path("posts/<id:post_id>/delete/", views.delete_post, name="delete"),
    path("posts/<id:post_id>/history/", views.history, name="history"),
    path("posts/<id:post_id>/answer/", views.answer, name="answer"),
    path("posts/<id:post_id>/flag/", views.flag_post, name="flag"),
    path("posts/<id:post_id>/hide/", views.hide_post, name="hide"),
    path("files/<id:attachment_id>/", views.attachment, name="attachment"),
]
