"""Hostile text in every field a school or a steward types: names, titles, notes, reflections.

* HTML: every page (every URL pattern with a GET in accounts/policy.py), for every relation that may read
  it, shows `<script>` and attribute-breaking text escaped, never as markup (pages, SVG pictures, the HTML
  that becomes a PDF).
* Spreadsheets: every answer that is a CSV or XLSX file (found by asking every page and API operation, so
  a new export is covered without a change here) holds no cell that a spreadsheet would run as a formula:
  a text starting with = + - @ (or a tab or carriage return) is written as '=..., see web/tabular.py
  safe_cell; XLSX files hold no formulas at all.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from maatwerk.accounts import policy
from maatwerk.accounts.policy import ALLOW, RELATIONS
from maatwerk.web.tabular import FORMULA_START
from tests.security.routes import api_url, page_url

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><svg onload=alert(2)>'
RAW = ("<script>alert(1)", "<svg onload=alert(2)")
ESCAPED = "&lt;script&gt;alert(1)"
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")


def hostile(start: str, size: int = 0) -> str:
    """A text that starts like a formula and carries markup; cut to `size` for short fields."""
    text = f'{start}HYPERLINK("https://evil.example"){SCRIPT}{ATTRIBUTE}'
    return text[:size] if size else text


def prepare_world(w):
    """Every text field that pages and exports show gets hostile text (queryset.update: no model guard)."""
    from maatwerk.accounts.models import User
    from maatwerk.assessment.models import Pta, PtaItem, Result, RubricCriterion, RubricLevel
    from maatwerk.catalog.models import ModuleObjective, ModuleProposal, ModuleVersion
    from maatwerk.diploma.models import ContinuousRoute
    from maatwerk.schools.models import Offering, Package, Partner, School, TeachingGroup
    from maatwerk.students.models import CareerActivity, CareerConversation, ConversationReflection, Student

    a = w["a"]["school"]
    starts = "=+-@"
    for i, student in enumerate(Student.objects.filter(school=a)):
        Student.objects.filter(pk=student.pk).update(first_name=hostile(starts[i % 4], 100),
                                                     last_name=hostile(starts[(i + 1) % 4], 150),
                                                     class_name=w["target"]["class_name"])
    for i, user in enumerate(User.objects.all()):
        User.objects.filter(pk=user.pk).update(first_name=hostile(starts[i % 4], 100), last_name=hostile("@", 150))
    School.objects.filter(pk=a.pk).update(name=hostile("+", 200), description=hostile("="), region=hostile("-", 100))
    Partner.objects.filter(school=a).update(name=hostile("=", 200), description=hostile("@"))
    Package.objects.filter(school=a).update(name=hostile("-", 200), description=hostile("="),
                                            regional_rationale=hostile("+"))
    Offering.objects.filter(school=a).update(note=hostile("@"))
    TeachingGroup.objects.filter(school=a).update(name=hostile("=", 50), schedule=hostile("+", 200))
    ModuleVersion.objects.update(title=hostile("=", 200), summary=hostile("+"))
    ModuleObjective.objects.update(text=hostile("-"))
    Pta.objects.filter(school=a).update(title=hostile("=", 200), resit_rules=hostile("@"))
    PtaItem.objects.filter(pta__school=a).update(title=hostile("+", 200), description=hostile("="))
    RubricCriterion.objects.update(text=hostile("-", 300))
    RubricLevel.objects.update(descriptor=hostile("@"))
    Result.objects.update(comment=hostile("="))
    CareerActivity.objects.update(title=hostile("=", 200), goals=hostile("+"), results=hostile("-"),
                                  evaluation=hostile("@"), follow_up=hostile("="))
    CareerConversation.objects.update(participants=hostile("+", 300), agreements=hostile("="),
                                      next_steps=hostile("-"))
    ConversationReflection.objects.update(text=hostile("@"))
    ModuleProposal.objects.update(title=hostile("=", 200), summary=hostile("+"), rationale=hostile("-"))
    ContinuousRoute.objects.update(name=hostile("@", 200), description=hostile("="))
    for obj in w["target"].values():  # the targets are read again by the URLs (names in URLs: codes, ids)
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()


def _readers(access) -> list[str]:
    return [r for r in RELATIONS if access[r] == ALLOW]


def _targets(world, relation):
    return world["unassigned"] if relation == policy.ASSESSOR_UNASSIGNED else world["target"]


def _get(world, relation, url):
    from tests.security.test_authz_matrix import _restore

    response = world["clients"][relation].get(url)
    _restore(world, relation)
    return response


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content


@pytest.fixture(autouse=True)
def _no_layout(monkeypatch, settings, world):
    from tests.security.test_authz_matrix import _pdfs_without_layout

    settings.MEDIA_ROOT = world["media"]
    _pdfs_without_layout(monkeypatch)  # a PDF is its HTML here: searched like a page


def test_every_page_escapes_hostile_text(world):
    problems, escaped = [], 0
    for key, entry in policy.PAGES.items():
        if entry.read is None:
            continue
        for relation in _readers(entry.read):
            response = _get(world, relation, page_url(key, _targets(world, relation)))
            kind = response.get("Content-Type", "")
            if response.status_code >= 500:
                problems.append(f"{key} as {relation}: {response.status_code}")
                continue
            if not kind.startswith(("text/html", "image/svg", "application/pdf")):
                continue
            body = _content(response).decode("utf-8", "replace")
            escaped += ESCAPED in body
            for raw in RAW:
                if raw in body:
                    problems.append(f"{key} as {relation}: unescaped {raw!r} in {kind}")
    assert not problems, "\n".join(problems)
    assert escaped > 50, f"only {escaped} answers showed the hostile text at all: is the world poisoned?"


def _export_urls(world):
    """(relation, url) of every GET that may answer with a file, and every kind and format of the school
    exports."""
    for key, entry in policy.PAGES.items():
        if entry.read is not None and _readers(entry.read):
            relation = _readers(entry.read)[0]
            yield relation, page_url(key, _targets(world, relation))
    for key, op in policy.API.items():
        if key.startswith("GET ") and _readers(op.access):
            relation = _readers(op.access)[0]
            yield relation, api_url(key, _targets(world, relation))
    from maatwerk.schools.imports import IMPORTERS

    school = world["target"]["school"]
    for kind in IMPORTERS:
        for fmt in ("csv", "xlsx"):
            yield "school_leader", f"/scholen/exporteren/{kind}.{fmt}"
            yield "school_leader", f"/api/v1/schools/exports/{kind}/?school={school.pk}&file_format={fmt}"
    yield "exam_secretary", f"/examen/export.csv?school={school.brin}&jaar=2026&alle=1"
    yield "exam_secretary", f"/api/v1/diploma/decisions/export/?school={school.brin}&school_year=2026&all=1"


def _cells(response):
    kind = response.get("Content-Type", "")
    body = _content(response)
    if kind.startswith("text/csv"):
        text = body.decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text), delimiter=";" if text.count(";") >= text.count(",") else ","):
            for cell in row:
                yield cell, False
    elif "spreadsheetml" in kind:
        from openpyxl import load_workbook

        for sheet in load_workbook(io.BytesIO(body)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    yield cell.value, cell.data_type == "f"


def test_no_export_holds_a_formula(world):
    problems, files, hostile_cells = [], 0, 0
    for relation, url in _export_urls(world):
        response = _get(world, relation, url)
        if response.status_code != 200:
            continue
        cells = list(_cells(response))
        files += bool(cells)
        for value, is_formula in cells:
            if is_formula:
                problems.append(f"{url}: a formula cell {value!r}")
            elif isinstance(value, str):
                hostile_cells += value.startswith("'") and value[1:2] in FORMULA_START and "HYPERLINK" in value
                if value.startswith(FORMULA_START) and not NUMBER.match(value):
                    problems.append(f"{url} as {relation}: the cell {value[:60]!r} would run as a formula")
    assert not problems, "\n".join(problems)
    assert files >= 10 and hostile_cells >= 10, (files, hostile_cells)
