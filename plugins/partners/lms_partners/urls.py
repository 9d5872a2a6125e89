from django.urls import path

from lms_partners import views

app_name = "partners"
urlpatterns = [
    path("hsds.zip", views.hsds_export, name="hsds_export"),
    path("coalition/", views.coalition_view, name="coalition"),
    path("review/<str:token>/", views.review, name="review"),
    path("<uuid:organisation>/correction/", views.suggest, name="suggest"),
]
