"""A readable diff between two versions of a module, per field, word by word (<del>/<ins>)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maatwerk.domain import LEERWEG_SHORT, Leerweg

from .models import ModuleVersion

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """HTML of `new` against `old`: removed words in <del>, added words in <ins>, the rest as is."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("replace", "delete"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("replace", "insert"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@dataclass
class FieldDiff:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def html(self) -> SafeString:
        return word_diff(self.old, self.new)


def _fields(v: ModuleVersion) -> list[tuple[str, str]]:
    guides = {g.leerweg: g for g in v.guides.all()}
    fields = [
        ("Titel", v.title),
        ("Samenvatting", v.summary),
        ("Soort module", v.get_module_type_display()),
        ("Profielen", ", ".join(p.name for p in v.profielen.all())),
        ("Leerwegen", ", ".join(v.leerwegen) or "niet ingevuld"),
        ("Omvang", f"{v.units} eenheid" if v.units == 1 else f"{v.units} eenheden"),
        ("Eindtermen", "\n".join(f"{o.code} {o.text}" for o in v.objectives.all())),
    ]
    for lw in Leerweg.values:
        g = guides.get(lw)
        fields.append((f"Handreiking {lw} ({LEERWEG_SHORT[lw]})",
                       f"{g.emphasis + ': ' if g and g.emphasis else ''}{g.text if g else ''}"))
    fields += [
        ("Kerndoelen", "\n".join(f"{k.code} {k.text}" for k in v.kern_objectives.all())),
        ("Mbo-kwalificaties", "\n".join(str(q) for q in v.mbo_qualifications.all())),
    ]
    return fields


def compare(old: ModuleVersion, new: ModuleVersion) -> list[FieldDiff]:
    """Every field of both versions (objects come prefetched: see selectors.version_detail_queryset)."""
    return [FieldDiff(label, a, b) for (label, a), (_, b) in zip(_fields(old), _fields(new), strict=True)]
