from django.urls import path

from lms_grantwriting import views

app_name = "grantwriting"
urlpatterns = [
    path("workshops/<int:cohort_id>/", views.workshop, name="workshop"),
    path(
        "workshops/<int:cohort_id>/assignments/new/",
        views.new_assignment,
        name="new_assignment",
    ),
    path("workshops/<int:cohort_id>/who-submitted/", views.overview, name="overview"),
    path("assignments/<int:assignment_id>/", views.assignment, name="assignment"),
    path(
        "assignments/<int:assignment_id>/edit/",
        views.edit_assignment,
        name="edit_assignment",
    ),
    path("drafts/<int:draft_id>/", views.draft, name="draft"),
    path(
        "drafts/<int:draft_id>/versions/<int:number>/file/",
        views.version_file,
        name="version_file",
    ),
]
