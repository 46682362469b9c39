from django.urls import include, path

urlpatterns = [
    path("api/", include("shebao.api.urls")),
    path("", include("shebao.web.urls")),
]
