from django.urls import path

from content import views

urlpatterns = [path("", views.patterns, name="patterns")]
