from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("decisions", api.DecisionViewSet, basename="diploma-decision")
router.register("transcripts", api.TranscriptViewSet, basename="diploma-transcript")
router.register("credentials", api.CredentialViewSet, basename="diploma-credential")
router.register("routes", api.RouteViewSet, basename="diploma-route")
urlpatterns = [path("verify/", api.VerifyView.as_view(), name="diploma-verify"), *router.urls]
