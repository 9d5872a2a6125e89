from django.urls import path

from lms_toolkits import views

app_name = "toolkits"
urlpatterns = [path("<id:toolkit_id>/tick/", views.tick, name="tick")]
