from django.urls import path

from content import views

urlpatterns = [path("", views.brand_stylesheet, name="brand_stylesheet")]
