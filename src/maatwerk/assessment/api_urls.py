from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("ptas", api.PtaViewSet, basename="assessment-pta")
router.register("items", api.PtaItemViewSet, basename="assessment-item")
router.register("rubrics", api.RubricViewSet, basename="assessment-rubric")
router.register("results", api.ResultViewSet, basename="assessment-result")
router.register("kern-observations", api.KernObservationViewSet, basename="assessment-kern-observation")
router.register("module-results", api.ModuleResultViewSet, basename="assessment-module-result")
router.register("assignments", api.AssignmentViewSet, basename="assessment-assignment")
urlpatterns = router.urls
