from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("scenarios", api.ScenarioViewSet, basename="insight-scenario")

urlpatterns = [
    path("national/", api.NationalView.as_view(), name="insight-national"),
    path("schools/<str:brin>/", api.SchoolDashboardView.as_view(), name="insight-school"),
    path("what-if/", api.WhatIfView.as_view(), name="insight-whatif"),
    *router.urls,
]
