"""What-if over the real data: unchanged parameters change nothing; a stricter minimum never makes more
programmes valid (Hypothesis); bad values get a Dutch message and save nothing; scenarios are kept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.insight import whatif
from maatwerk.insight.models import Scenario, ScenarioFrozen
from maatwerk.rules import load_regulation
from tests import factories as f

from .builders import decide

TODAY = dt.date(2026, 11, 29)
LEERWEGEN = ("BB", "KB", "GL", "TL")


def build_pilot():
    """A pilot school whose students have programmes of 4 to 11 units (two upper years, at most 6 a year), in
    all four leerwegen: some meet the national minimum (BB/KB 8, GL 6, TL 4), some do not."""
    zw = f.profiel("ZW")
    school = f.SchoolFactory()
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    f.LicenceFactory(school=school, profiel=zw)
    intro = [f.ModuleVersionFactory(module_type="INTRODUCTORY", profielen=[zw], for_tl=True) for _ in range(5)]
    deep = [f.ModuleVersionFactory(module_type="DEEPENING", profielen=[zw], for_tl=True) for _ in range(7)]
    for version in intro + deep:
        for year in (2025, 2026):
            f.OfferingFactory(school=school, module_version=version, school_year=year, for_tl=True)
    students = []
    for i in range(24):
        leerweg = LEERWEGEN[i % 4]
        units = 4 + (i * 7) % 8                      # 4..11
        student = f.StudentFactory(school=school, leerweg=leerweg, year_level=4, cohort=2025)
        programme = f.ProgrammeFactory(student=student, regulation_id="spv-modulair")
        chosen = intro[:2] + deep[: units - 2]
        for n, version in enumerate(chosen):
            year = 2025 if n < min(6, units // 2 + 1) else 2026
            f.ProgrammeItemFactory(programme=programme, module_version=version, school_year=year,
                                   year_level=3 if year == 2025 else 4, status="completed" if year == 2025 else "enrolled")
        students.append(student)
    return school, students


@pytest.fixture
def pilot(db):
    return build_pilot()


def test_unchanged_parameters_change_nothing(pilot):
    school, students = pilot
    decide(students[:6], "INCOMPLETE")
    reg = load_regulation("spv-modulair")
    same = {p.key: whatif.current_values(reg)[p.key] for p in whatif.PARAMETERS}
    assert whatif.parse_overrides(reg, same) == {}
    summary = whatif.run("spv-modulair", {}, today=TODAY)
    for block in ("programmes", "exam"):
        assert summary[block]["changed"] == 0
        assert summary[block]["before"] == summary[block]["after"]
        assert summary[block]["transitions"] == []
    assert summary["programmes"]["total"] == len(students)
    assert summary["exam"]["total"] == 6                     # the current decisions of the exam year
    assert summary["exam_year"] == 2026
    assert summary["students_changed"] == 0
    assert summary["programmes"]["before"]["VALID"] > 0, "the fixture must have valid programmes"
    assert summary["programmes"]["before"]["INVALID"] > 0


def test_a_higher_minimum_makes_programmes_invalid_with_the_finding_that_causes_it(pilot):
    summary = whatif.run("spv-modulair", {"min_units.KB": 11}, today=TODAY)
    moved = {(a, b): n for a, b, n in summary["programmes"]["transitions"]}
    assert moved.get(("VALID", "INVALID"), 0) > 0 and ("INVALID", "VALID") not in moved
    assert dict(summary["programmes"]["codes_added"]).get("PROGRAMME_UNITS_TOO_FEW", 0) > 0
    presented = whatif.present(summary)
    assert presented.programmes.table.col_totals[0].text  # shown or suppressed, never missing
    assert presented.chart.uri.startswith("data:image/svg+xml;base64,")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.tuples(*[st.integers(0, 6) for _ in LEERWEGEN]))
def test_a_stricter_minimum_never_makes_more_programmes_valid(pilot, extra):
    reg = load_regulation("spv-modulair")
    overrides = {f"min_units.{lw}": reg.value("min_units")[lw] + d for lw, d in zip(LEERWEGEN, extra, strict=True)}
    overrides = {k: v for k, v in overrides.items() if v <= 100}
    summary = whatif.run("spv-modulair", overrides, today=TODAY)
    p = summary["programmes"]
    assert p["after"]["VALID"] <= p["before"]["VALID"]
    assert not any(a == "INVALID" and b == "VALID" for a, b, _ in p["transitions"])
    assert not any(code == "PROGRAMME_UNITS_TOO_FEW" for code, _ in p["codes_removed"])


def test_a_lower_removal_threshold_retires_modules_and_breaks_planned_programmes(db):
    from maatwerk.catalog.models import ModuleUsageReport

    zw = f.profiel("ZW")
    school = f.SchoolFactory()
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    f.LicenceFactory(school=school, profiel=zw)
    quiet = f.ModuleVersionFactory(module_type="DEEPENING", profielen=[zw], valid_from=2018)
    busy = f.ModuleVersionFactory(module_type="INTRODUCTORY", profielen=[zw], valid_from=2018)
    for year in range(2018, 2027):  # a report for every year; the quiet module's last exam was in 2022
        ModuleUsageReport.objects.create(module=busy.module, school_year=year, brin=school.brin, exams_taken=10)
        if year <= 2022:
            ModuleUsageReport.objects.create(module=quiet.module, school_year=year, brin=school.brin, exams_taken=3)
    for version in (quiet, busy):
        f.OfferingFactory(school=school, module_version=version, school_year=2027)
    student = f.StudentFactory(school=school, leerweg="KB", year_level=3, cohort=2026)
    programme = f.ProgrammeFactory(student=student)
    f.ProgrammeItemFactory(programme=programme, module_version=quiet, school_year=2027, year_level=4)
    summary = whatif.run("spv-modulair", {"removal_years": 3}, today=TODAY)
    removal = summary["removal"]
    assert removal["modules_before"] == 0 and removal["modules_after"] == 1
    assert removal["newly_removed"] == [quiet.module.code]
    assert removal["programmes_affected"] == 1      # its planned module would be refused (already invalid: too few units)
    assert removal["programmes"]["total"] == 1 and removal["programmes"]["transitions"] == []
    same = whatif.run("spv-modulair", {}, today=TODAY)["removal"]
    assert same["modules_after"] == same["modules_before"] == 0


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "Minimum eenheden KB: vul een geheel getal in."),
    ("500", "Minimum eenheden KB: moet tussen 0 en 100 liggen."),
    ("-1", "Minimum eenheden KB: moet tussen 0 en 100 liggen."),
])
def test_a_bad_value_gets_a_dutch_message_and_saves_nothing(db, client, login, value, message):
    from maatwerk.accounts.models import Role

    steward = f.member(Role.STEWARD)
    login(client, steward)
    response = client.post("/inzicht/wat-als/", {"min_units.KB": value, "name": "Fout", "action": "save"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Scenario.objects.exists()
    api = client.post("/api/v1/insight/scenarios/", {"name": "Fout", "overrides": {"min_units.KB": value}},
                      content_type="application/json")
    assert api.status_code == 400 and api.json()["code"] == "insight_whatif_invalid"
    assert message.rstrip(".") in api.json()["message"]["nl"]
    assert not Scenario.objects.exists()


def test_decimal_compensation_mean_is_validated_by_the_regulation(db):
    reg = load_regulation("spv-modulair")
    assert whatif.parse_overrides(reg, {"compensation_min_mean": "6,5"}) == {"compensation_min_mean":
                                                                             __import__("decimal").Decimal("6.5")}
    with pytest.raises(whatif.WhatIfInvalid) as exc:
        whatif.parse_overrides(reg, {"compensation_min_mean": "11"})
    assert "moet tussen 1 en 10 liggen" in exc.value.errors["compensation_min_mean"]
    with pytest.raises(whatif.WhatIfInvalid):
        whatif.parse_overrides(reg, {"licence_required": "false"})   # not a what-if parameter here


def test_scenarios_are_saved_kept_and_compared(pilot, client, login):
    from maatwerk.accounts.models import Role

    steward = f.member(Role.STEWARD)
    login(client, steward)
    for name, value in (("KB naar 9", "9"), ("KB naar 11", "11"), ("KB naar 9", "9")):
        response = client.post("/inzicht/wat-als/", {"min_units.KB": value, "name": name, "action": "save"})
        assert response.status_code == 302
    scenarios = list(Scenario.objects.order_by("pk"))
    assert [s.name for s in scenarios] == ["KB naar 9", "KB naar 11", "KB naar 9"]   # history kept
    assert scenarios[0].overrides == {"min_units.KB": "9"} and scenarios[0].created_by == steward
    assert scenarios[0].summary == scenarios[2].summary
    with pytest.raises(ScenarioFrozen):
        scenarios[0].save()
    page = client.get(f"/inzicht/wat-als/vergelijk/?s={scenarios[0].pk}&s={scenarios[1].pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "KB naar 9" in html and "KB naar 11" in html and 'src="data:image/svg+xml;base64,' in html
    csv = client.get(f"/inzicht/wat-als/vergelijk.csv?s={scenarios[0].pk}&s={scenarios[1].pk}")
    assert csv.status_code == 200 and "Programma's die veranderen" in csv.content.decode("utf-8-sig")
    pdf = client.get(f"/inzicht/wat-als/vergelijk.pdf?s={scenarios[0].pk}&s={scenarios[1].pk}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    api = client.get(f"/api/v1/insight/scenarios/compare/?ids={scenarios[0].pk},{scenarios[1].pk}")
    assert api.status_code == 200 and [s["name"] for s in api.json()["scenarios"]] == ["KB naar 9", "KB naar 11"]
    assert client.get("/inzicht/wat-als/vergelijk/?s=1").status_code == 400


def test_exam_decisions_change_when_the_compensation_rule_gets_stricter(db):
    """Real candidates (grades in the database): one insufficient module is compensated today; with
    compensation_max_insufficient = 0 those candidates fail, with the diploma finding that causes it."""
    from maatwerk.diploma import services
    from tests.diploma import builders as b

    school = b.exam_school("spv-modulair")
    compensated = [b.modular_candidate(school, modules=[6, 6, 5, 7, 6, 6, 6, 7]) for _ in range(6)]
    clean = [b.modular_candidate(school) for _ in range(5)]
    services.run_decisions(by=None, school=school, school_year=b.EXAM_YEAR)
    now = whatif.run("spv-modulair", {}, today=TODAY)
    assert now["exam"]["before"]["PASSED"] == len(compensated) + len(clean)
    summary = whatif.run("spv-modulair", {"compensation_max_insufficient": 0}, today=TODAY)
    exam = summary["exam"]
    assert exam["total"] == 11 and exam["changed"] == len(compensated)
    assert exam["transitions"] == [["PASSED", "FAILED", len(compensated)]]
    assert dict(exam["codes_added"]) == {"DIPLOMA_TOO_MANY_INSUFFICIENT": len(compensated)}
    assert summary["students_changed"] == len(compensated)
    shown = whatif.present(summary)
    assert shown.exam.changed.text == "6"
