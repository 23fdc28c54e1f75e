"""Saved what-if scenarios: what a steward computed for a change of the pilot parameters, kept as it was.

A scenario is never changed after it is saved (history kept: running the same question again makes a new
row, so earlier results stay comparable). Its summary holds only aggregate counts, never a student."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from maatwerk.accounts.scoping import Tenancy


class ScenarioFrozen(ValueError):
    """A saved scenario does not change; compute it again and save a new one."""


class Scenario(models.Model):
    name = models.CharField("naam", max_length=200)
    regulation_id = models.CharField("regeling", max_length=50)
    overrides = models.JSONField("gewijzigde parameters", default=dict)
    summary = models.JSONField("uitkomst", default=dict, help_text="Alleen totalen, nooit een leerling.")
    exam_year = models.PositiveSmallIntegerField("examenjaar", null=True, blank=True)
    note = models.TextField("toelichting", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="door")
    created_at = models.DateTimeField("berekend op", auto_now_add=True)

    tenancy = Tenancy(steward=True)

    class Meta:
        verbose_name = "wat-als-scenario"
        verbose_name_plural = "wat-als-scenario's"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None and Scenario.objects.filter(pk=self.pk).exists():
            raise ScenarioFrozen("Een bewaard scenario verandert niet meer; bereken het opnieuw en bewaar het apart.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ScenarioFrozen("Bewaarde scenario's blijven bewaard (geschiedenis).")
