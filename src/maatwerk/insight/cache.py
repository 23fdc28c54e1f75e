"""A short cache of computed dashboards, dropped when the data under them changes.

Dashboards are aggregates over many rows; a steward or school leader who opens one twice, or downloads its
CSV and PDF after looking at it, should not wait twice. A dashboard is kept for
``settings.MAATWERK["INSIGHT_CACHE_SECONDS"]`` (default 300; 0 switches caching off) under a key with a
data version. Every save or delete of a model the dashboards read (and the m2m changes of routes and
package qualifications) raises the version, so the next request computes afresh. Bulk writes that send no
signals (the benchmark generator, raw imports) are covered by the time limit. The cache is Django's
(`CACHES`; the default local-memory cache is per process, so another worker may show a dashboard up to the
time limit old: the page says when it was computed).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "insight:data-version"
MODELS = (
    "students.Student", "students.Programme", "students.ProgrammeItem", "students.CareerActivity",
    "diploma.ExamDecision", "diploma.ContinuousRoute", "catalog.ModuleUsageReport", "catalog.Module",
    "catalog.ModuleVersion", "catalog.Review", "schools.Package", "schools.Offering", "schools.SchoolPolicy",
    "schools.Licence", "assessment.PtaItem", "assessment.Result", "assessment.Pta", "assessment.SubjectGrade",
    "assessment.ModuleResult",
)


def seconds() -> int:
    from django.conf import settings

    return int(getattr(settings, "MAATWERK", {}).get("INSIGHT_CACHE_SECONDS", 300))


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached(key: str, build):
    ttl = seconds()
    if ttl <= 0:
        return build()
    full = f"insight:{key}:{version()}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, ttl)
    return value


def connect() -> None:
    from django.apps import apps

    for label in MODELS:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"insight-save-{label}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"insight-delete-{label}")
    route = apps.get_model("diploma.ContinuousRoute")
    package = apps.get_model("schools.Package")
    for through in (route.students.through, route.modules.through, package.mbo_qualifications.through):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"insight-m2m-{through._meta.label}")
