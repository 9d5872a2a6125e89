from django.urls import path

from lms_example_plugin import views

app_name = "example"
urlpatterns = [path("", views.notes, name="notes")]
