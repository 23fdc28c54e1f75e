"""Write paths for the kern: one function per use case, transactional."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from maatwerk.accounts.predicates import require

from .models import FrameworkPublished, FrameworkStatus, KernArea, KernFramework, KernObjective, stable_uuid


@transaction.atomic
def new_version(*, framework: KernFramework, by) -> KernFramework:
    """A concept copy of `framework` with version + 1: the only way to change a published kern."""
    require(by, "kern.change_framework", framework)
    latest = KernFramework.objects.filter(identifier=framework.identifier).order_by("-version").first()
    version = latest.version + 1
    copy = KernFramework.objects.create(
        identifier=framework.identifier, version=version, title=framework.title, status=FrameworkStatus.CONCEPT,
        valid_from=framework.valid_from + 1, source=framework.source, description=framework.description,
    )
    for area in framework.areas.prefetch_related("objectives"):
        new_area = KernArea.objects.create(
            framework=copy, part=area.part, code=area.code, title=area.title, intro=area.intro, order=area.order,
        )
        KernObjective.objects.bulk_create(
            KernObjective(area=new_area, code=o.code, text=o.text, order=o.order,
                          uuid=stable_uuid(copy.identifier, copy.version, o.code))
            for o in area.objectives.all()
        )
    return copy


@transaction.atomic
def publish(*, framework: KernFramework, by) -> KernFramework:
    """Publish a concept version; the previous published version of the same kern is superseded."""
    require(by, "kern.change_framework", framework)
    framework = KernFramework.objects.select_for_update().get(pk=framework.pk)
    if framework.is_published:
        raise FrameworkPublished("Deze versie is al gepubliceerd.")
    for old in KernFramework.objects.filter(identifier=framework.identifier, status=FrameworkStatus.PUBLISHED):
        old.status = FrameworkStatus.SUPERSEDED
        old.save()
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save()
    return framework
