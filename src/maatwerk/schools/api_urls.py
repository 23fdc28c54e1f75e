from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("schools", api.SchoolViewSet, basename="school")
router.register("licences", api.LicenceViewSet, basename="licence")
router.register("offerings", api.OfferingViewSet, basename="offering")
router.register("packages", api.PackageViewSet, basename="package")
router.register("policies", api.PolicyViewSet, basename="policy")
router.register("partners", api.PartnerViewSet, basename="partner")
router.register("teaching-groups", api.TeachingGroupViewSet, basename="teaching-group")

urlpatterns = [
    path("public/<str:brin>/", api.PublicSchoolView.as_view(), name="school-public"),
    path("imports/", api.ImportView.as_view(), name="school-import"),
    path("exports/<str:kind>/", api.ExportView.as_view(), name="school-export"),
    *router.urls,
]
