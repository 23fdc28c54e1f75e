from django.urls import path

from . import views

app_name = "kern"
urlpatterns = [
    path("", views.detail, name="detail"),
    path("versie/<int:pk>/", views.version, name="version"),
]
