"""API under /api/v1/students/."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("students", api.StudentViewSet, basename="student")
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("validate", api.ValidationViewSet, basename="programme-validation")
router.register("activities", api.ActivityViewSet, basename="career-activity")
router.register("conversations", api.ConversationViewSet, basename="career-conversation")
urlpatterns = router.urls
