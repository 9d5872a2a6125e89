"""`/api/v1/` (included by lms.urls by name: the core imports no app)."""

from django.urls import path

from api.v1 import api

urlpatterns = [path("", api.urls)]
