"""The loaded kern equals the seed, area by area. The expected texts are parsed here, independently,
from the seed document itself (tests/data/spv-advies-2023.txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maatwerk.kern.models import KernArea, KernFramework, KernObjective
from maatwerk.kern.selectors import current_framework

SEED = (Path(__file__).resolve().parent.parent / "data" / "spv-advies-2023.txt").read_text(encoding="utf-8")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(";.").strip().lower()


def _bullets(block: str) -> list[str]:
    """Join the PDF's wrapped lines into bullets. A bullet continues on the next line when the
    previous line does not end a sentence (the seed wraps "... eindproduct of" / "- de dienstverlening.")."""
    items: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            text = line[2:].strip()
            if items and not items[-1].rstrip().endswith((".", ";", ":", "?)", ").")):
                items[-1] += " " + text
            else:
                items.append(text)
        elif items:
            items[-1] += " " + line
    return items


def _bijlage_areas() -> dict[str, list[str]]:
    bijlage = SEED.split("Bijlage: voorstel inhoud kern, deel algemene beroepsvaardigheden", 1)[1]
    titles = ["Communiceren", "(Digitale) informatievaardigheden", "Zelfsturing", "Samenwerken",
              "Werken binnen een organisatie", "Behoeftesignalering", "Borging van kwaliteit en veiligheid",
              "Toekomstbestendig werken"]
    areas = {}
    for i, title in enumerate(titles):
        start = bijlage.index(f"\n{title} \n") + len(title) + 2
        end = bijlage.index(f"\n{titles[i + 1]} \n") if i + 1 < len(titles) else len(bijlage)
        body = bijlage[start:end].split("De leerling:", 1)[1]
        areas[title] = _bullets(body)
    return areas


def _between(start: str, end: str) -> str:
    return SEED.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def kern(db):
    framework = current_framework()
    assert framework is not None, "the kern migration did not load a published framework"
    return framework


def test_the_seed_kern_is_published_and_complete(kern):
    assert kern.status == "published"
    parts = list(kern.areas.values_list("part", flat=True))
    assert parts.count("general_skills") == 8
    assert parts.count("process_work") == 1
    assert parts.count("lob") == 1


def test_general_skills_match_the_bijlage_area_by_area(kern):
    expected = _bijlage_areas()
    areas = list(kern.areas.filter(part="general_skills").order_by("order"))
    assert [a.title for a in areas] == list(expected)
    for area in areas:
        loaded = [_norm(o.text) for o in area.objectives.order_by("order")]
        assert loaded == [_norm(t) for t in expected[area.title]], area.title


def test_process_work_matches_the_seed(kern):
    block = _between("Bij het werken aan de realistische opdrachten binnen het beroepsgerichte programma gelden de",
                     "5 Waar ")
    expected = _bullets(block.split("De leerling:", 1)[1])
    area = kern.areas.get(part="process_work")
    assert [_norm(o.text) for o in area.objectives.order_by("order")] == [_norm(t) for t in expected]
    assert len(expected) == 4


def test_lob_has_the_five_career_competencies_and_the_dossier(kern):
    block = _between("Voor LOB gelden de volgende doelen:", "In een loopbaandossier is opgenomen")
    competencies = re.findall(r"^([a-e])\. (.+?)\s*$", block, flags=re.M)
    dossier = "maakt " + block.split("- maakt ", 1)[1]
    area = kern.areas.get(part="lob")
    objectives = list(area.objectives.order_by("order"))
    assert [c[0] for c in competencies] == list("abcde")
    assert [o.code for o in objectives] == ["LOB.a", "LOB.b", "LOB.c", "LOB.d", "LOB.e", "LOB.f"]
    for (letter, text), objective in zip(competencies, objectives[:5], strict=True):
        assert objective.code == f"LOB.{letter}"
        assert _norm(objective.text) == _norm(text)
    assert _norm(objectives[5].text) == _norm(dossier)


def test_every_identifier_is_stable_and_unique(kern):
    uuids = [kern.uuid, *KernArea.objects.values_list("uuid", flat=True),
             *KernObjective.objects.values_list("uuid", flat=True)]
    assert len(uuids) == len(set(uuids))
    assert KernFramework.objects.count() == 1
