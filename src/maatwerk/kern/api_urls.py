from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("frameworks", api.KernFrameworkViewSet, basename="kern-framework")
router.register("areas", api.KernAreaViewSet, basename="kern-area")
router.register("objectives", api.KernObjectiveViewSet, basename="kern-objective")
urlpatterns = router.urls
