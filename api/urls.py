from django.urls import path

from api import views

urlpatterns = [
    path("", views.api_tokens, name="api_tokens"),
    path("<id:token_id>/revoke/", views.revoke_token, name="api_token_revoke"),
]
