"""The menukaart (national module catalogue). The catalogue issue adds modules and versions."""

from __future__ import annotations

from django.db import models

from maatwerk.accounts.scoping import Tenancy


class Profiel(models.Model):
    """A beroepsgericht profiel (Uitvoeringsbesluit WVO 2020 art. 2.21 lid 1)."""

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("naam", max_length=100)
    abbreviation = models.CharField("afkorting", max_length=10)
    source = models.CharField("bron", max_length=200, blank=True)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "profiel"
        verbose_name_plural = "profielen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
