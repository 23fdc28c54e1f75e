from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("modules", api.ModuleViewSet, basename="catalog-module")
router.register("versions", api.ModuleVersionViewSet, basename="catalog-version")
router.register("objectives", api.ObjectiveViewSet, basename="catalog-objective")
router.register("proposals", api.ProposalViewSet, basename="catalog-proposal")
router.register("reviews", api.ReviewViewSet, basename="catalog-review")
router.register("usage-reports", api.UsageReportViewSet, basename="catalog-usage-report")
urlpatterns = router.urls
