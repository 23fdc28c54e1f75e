"""The kern: the versioned competency framework every module and assessment links to.

Seed: "De kern" and the Bijlage of the July 2023 SPV advice. A published framework is
immutable: its areas and objectives cannot change; a change is a new version (see
`services.new_version`).
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models

from maatwerk.accounts.scoping import Tenancy

#: Namespace for the stable CASE identifiers of the kern (uuid5 of framework/version/code).
KERN_NAMESPACE = uuid.UUID("6f0c7a52-3f43-5d0e-9d5e-4d6b2a1e7c01")


def stable_uuid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(KERN_NAMESPACE, "/".join(str(p) for p in parts))


class FrameworkStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    PUBLISHED = "published", "gepubliceerd"
    SUPERSEDED = "superseded", "vervangen"


class KernPart(models.TextChoices):
    GENERAL_SKILLS = "general_skills", "Algemene (beroeps)vaardigheden"
    PROCESS_WORK = "process_work", "Procesmatig werken"
    LOB = "lob", "Loopbaanoriëntatie en -begeleiding (LOB)"


class FrameworkPublished(ValidationError):
    """Raised when anything of a published framework would change."""

    code = "kern_framework_published"

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "Deze versie van de kern is gepubliceerd en kan niet meer worden gewijzigd. "
            "Maak een nieuwe versie.",
            code=self.code,
        )


class KernFramework(models.Model):
    identifier = models.SlugField("identificatie", max_length=80)
    uuid = models.UUIDField("CASE-identifier", unique=True, editable=False)
    title = models.CharField("titel", max_length=200)
    version = models.PositiveIntegerField("versie", default=1)
    status = models.CharField("status", max_length=12, choices=FrameworkStatus.choices, default=FrameworkStatus.CONCEPT)
    valid_from = models.PositiveSmallIntegerField("geldig vanaf schooljaar")
    source = models.CharField("bron", max_length=300, blank=True)
    description = models.TextField("toelichting", blank=True)
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "kernraamwerk"
        verbose_name_plural = "kernraamwerken"
        ordering = ["identifier", "-version"]
        constraints = [models.UniqueConstraint(fields=["identifier", "version"], name="kern_framework_version")]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status != FrameworkStatus.CONCEPT

    def save(self, *args, **kwargs):
        if self.uuid is None:
            self.uuid = stable_uuid(self.identifier, self.version)
        if self.pk:
            stored = KernFramework.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != FrameworkStatus.CONCEPT:
                changed = {k for k, v in stored.items() if getattr(self, k) != v}
                # A published framework may only move on to "superseded".
                if changed - {"status"} or self.status == FrameworkStatus.CONCEPT:
                    raise FrameworkPublished()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise FrameworkPublished("Een gepubliceerde versie van de kern kan niet worden verwijderd.")
        return super().delete(*args, **kwargs)


class _FrameworkChild(models.Model):
    """Areas and objectives are frozen with their framework."""

    class Meta:
        abstract = True

    def _framework(self) -> KernFramework:  # pragma: no cover - overridden
        raise NotImplementedError

    def _guard(self) -> None:
        framework = KernFramework.objects.filter(pk=self._framework_id()).only("status").first()
        if framework is not None and framework.is_published:
            raise FrameworkPublished()

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)


class KernArea(_FrameworkChild):
    framework = models.ForeignKey(KernFramework, on_delete=models.CASCADE, related_name="areas", verbose_name="kern")
    part = models.CharField("onderdeel", max_length=20, choices=KernPart.choices)
    code = models.CharField("code", max_length=20)
    title = models.CharField("titel", max_length=200)
    intro = models.TextField("inleiding", blank=True)
    order = models.PositiveSmallIntegerField("volgorde")
    uuid = models.UUIDField("CASE-identifier", unique=True, editable=False)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "kerngebied"
        verbose_name_plural = "kerngebieden"
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="kern_area_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _framework_id(self) -> int:
        return self.framework_id

    def save(self, *args, **kwargs):
        if self.uuid is None:
            self.uuid = stable_uuid(self.framework.identifier, self.framework.version, self.code)
        super().save(*args, **kwargs)


class KernObjective(_FrameworkChild):
    area = models.ForeignKey(KernArea, on_delete=models.CASCADE, related_name="objectives", verbose_name="gebied")
    code = models.CharField("code", max_length=20)
    text = models.TextField("doel")
    order = models.PositiveSmallIntegerField("volgorde")
    uuid = models.UUIDField("CASE-identifier", unique=True, editable=False)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "kerndoel"
        verbose_name_plural = "kerndoelen"
        ordering = ["area__framework", "area__order", "order"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="kern_objective_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def _framework_id(self) -> int:
        return KernArea.objects.filter(pk=self.area_id).values_list("framework_id", flat=True).first()

    def save(self, *args, **kwargs):
        if self.uuid is None:
            fw = self.area.framework
            self.uuid = stable_uuid(fw.identifier, fw.version, self.code)
        super().save(*args, **kwargs)
