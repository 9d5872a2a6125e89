from django.urls import path

from lms_grantwriting import views

app_name = "grantwriting"
urlpatterns = [
    path("workshops/<id:cohort_id>/", views.workshop, name="workshop"),
    path(
        "workshops/<id:cohort_id>/assignments/new/",
        views.new_assignment,
        name="new_assignment",
    ),
    path("workshops/<id:cohort_id>/who-submitted/", views.overview, name="overview"),
    path("assignments/<id:assignment_id>/", views.assignment, name="assignment"),
    path(
        "assignments/<id:assignment_id>/edit/",
        views.edit_assignment,
        name="edit_assignment",
    ),
    path("drafts/<id:draft_id>/", views.draft, name="draft"),
    path(
        "drafts/<id:draft_id>/versions/<id:number>/file/",
        views.version_file,
        name="version_file",
    ),
]
