from django.urls import path

from shebao.api.endpoints import api

urlpatterns = [path("", api.urls)]
