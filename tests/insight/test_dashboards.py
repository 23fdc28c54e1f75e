"""The dashboards' numbers match counts computed here, independently, from the rows the test made."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from maatwerk.domain import school_year_label
from maatwerk.insight import selectors
from maatwerk.insight.suppress import recoverable
from tests import factories as f

from .builders import activity, decide, modules, overdue_item, school_with_students

TODAY = dt.date(2026, 11, 29)
pytestmark = pytest.mark.django_db


def _table(section, index=0):
    return section.tables[index].table


def _value(table, row, col):
    return table.cells[table.rows.index(row)][table.cols.index(col)]


def test_module_usage_by_year_and_profiel_matches_the_reports():
    from maatwerk.catalog.models import ModuleUsageReport

    mods = modules()
    counts = {("k_zw", 2024, "21KR"): 12, ("k_zw", 2024, "30PF"): 9, ("k_eo", 2024, "21KR"): 7,
              ("v_zw", 2025, "21KR"): 30, ("v_eo", 2025, "30PF"): 2, ("v_eo", 2026, "21KR"): 40}
    for (key, year, brin), n in counts.items():
        ModuleUsageReport.objects.create(module=mods[key].module, school_year=year, brin=brin, exams_taken=n)
    expected: Counter = Counter()
    for report in ModuleUsageReport.objects.select_related("module__current_version"):
        codes = sorted(p.code for p in report.module.current_version.profielen.all())
        expected[(school_year_label(report.school_year), codes[0] if len(codes) == 1 else "sectoroverstijgend")] += \
            report.exams_taken
    table = _table(selectors.usage_section(None, TODAY))
    for (year, profiel), n in expected.items():
        cell = _value(table, year, profiel)
        if n < 5:
            assert cell.text == "<5"
        else:  # shown exactly, or hidden as the complementary cell of a small one
            assert cell.value == n or cell.hidden == "secondary"
    assert _value(table, "2025-2026", "EO").text == "<5"          # 2 exams: suppressed
    assert recoverable(table) == []
    # one school: only its own BRIN's reports
    school = f.SchoolFactory(brin="21KR")
    table = _table(selectors.usage_section(school, TODAY))
    assert _value(table, "2024-2025", "ZW").value == 12
    assert _value(table, "2026-2027", "EO").value == 40


def test_completion_and_pass_rates_per_regulation_count_current_decisions_only():
    from maatwerk.diploma.models import DecisionStatus, ExamDecision

    school, students, _ = school_with_students(30)
    decide(students[:14], "PASSED")
    decide(students[14:22], "FAILED")
    decide(students[22:30], "INCOMPLETE", regulation="vmbo-huidig")
    old = ExamDecision.objects.filter(student=students[14]).get()
    ExamDecision.objects.filter(pk=old.pk).update(status=DecisionStatus.SUPERSEDED)
    f.ExamDecisionFactory(student=students[14], outcome="PASSED", regulation_id="spv-modulair", supersedes=old)
    replaced = set(ExamDecision.objects.filter(supersedes__isnull=False).values_list("supersedes_id", flat=True))
    expected = Counter((d.regulation_id, d.outcome) for d in ExamDecision.objects.all() if d.pk not in replaced)
    table = _table(selectors.results_section(None, TODAY))
    row = f"{school_year_label(2026)} · spv-modulair"
    assert _value(table, row, "geslaagd").value == expected[("spv-modulair", "PASSED")] == 15
    assert _value(table, row, "afgewezen").value == expected[("spv-modulair", "FAILED")] == 7
    assert _value(table, f"{school_year_label(2026)} · vmbo-huidig", "nog niet compleet").value == 8
    rate = table.extra[table.rows.index(row)][0]
    assert rate.value == round(100 * 15 / 22)


def test_units_per_leerweg_are_the_mean_of_completed_units():
    from maatwerk.students.models import ProgrammeItem

    school_with_students(9, leerweg="KB")
    school_with_students(6, leerweg="BB", year_level=4)
    school_with_students(3, leerweg="GL")                  # 3 students: too few for a mean
    table = _table(selectors.units_section(None, TODAY))
    for leerweg in ("KB", "BB"):
        items = ProgrammeItem.objects.filter(programme__student__leerweg=leerweg, status="completed")
        n = len({i.programme.student_id for i in ProgrammeItem.objects.filter(programme__student__leerweg=leerweg)})
        intro = sum(i.module_version.units for i in items if i.module_version.module_type == "INTRODUCTORY")
        deep = sum(i.module_version.units for i in items if i.module_version.module_type == "DEEPENING")
        row = table.rows.index(leerweg)
        assert table.cells[row][0].value == n
        assert table.extra[row][0].value == round(intro / n, 1)
        assert table.extra[row][1].value == round(deep / n, 1)
    gl = table.rows.index("GL")
    assert table.cells[gl][0].text == "<5" and table.extra[gl][0].text == "–"


def test_the_share_in_continuous_routes_and_the_route_flows():
    school, students, _ = school_with_students(20, route_every=2)   # 10 of 20 in a route
    table = _table(selectors.continuous_section(school, TODAY))
    row = table.rows.index("KB")
    in_route = sum(1 for s in students if s.routes.exists())
    assert table.cells[row][0].value == in_route == 10
    assert table.cells[row][1].value == 10
    assert table.extra[row][0].text == "50%"
    routes = selectors.routes_section(school, TODAY)
    kv = _table(routes, 0)
    # per student, the profiel with the most units of each kind (ties: the first code), counted here
    expected = Counter()
    for s in students:
        main = {}
        for kind in ("INTRODUCTORY", "DEEPENING"):
            units = Counter()
            for item in s.programme.items.exclude(status="not_completed"):
                if item.module_version.module_type == kind:
                    for p in item.module_version.profielen.all():
                        units[p.code] += item.module_version.units
            main[kind] = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        expected[(main["INTRODUCTORY"], main["DEEPENING"])] += 1
    assert len(expected) == 2  # every third student took the verdiepende EO module, the others ZW
    for (k, v), n in expected.items():
        assert _value(kv, k, v).value == n
    vm = _table(routes, 1)
    qualification = students[0].routes.get().qualification.name
    assert vm.col_totals[vm.cols.index(qualification)].value == 10
    assert vm.col_totals[vm.cols.index("nog geen mbo-keuze")].value == 10
    assert routes.chart.uri.startswith("data:image/svg+xml;base64,")


def test_school_sections_programmes_risk_overdue_and_lob():
    from maatwerk.assessment.models import Result
    from maatwerk.students.models import Programme

    school, students, mods = school_with_students(12, class_name="4K1")
    other, _, _ = school_with_students(7, mods=mods, class_name="4K2")
    # five programmes approved, two proposed, the rest concept
    Programme.objects.filter(student__in=students[:5]).update(status="approved")
    Programme.objects.filter(student__in=students[5:7]).update(status="proposed")
    status = _table(selectors.programme_status_section(school, TODAY))
    expected = Counter(Programme.objects.filter(student__school=school).values_list("status", flat=True))
    assert _value(status, "leerjaar 4", "goedgekeurd").value == expected["approved"] == 5
    assert _value(status, "leerjaar 4", "concept").value == expected["concept"] == 5
    assert _value(status, "leerjaar 4", "voorgesteld").text == "<5"
    assert recoverable(status) == []
    # the students without a programme per leerjaar are in the risk table too: hidden in one, hidden in both
    risk_table = _table(selectors.risk_section(school, TODAY))
    for row in risk_table.rows:
        assert _value(status, row, "geen programma").hidden == _value(risk_table, row, "geen programma").hidden \
            or (_value(status, row, "geen programma").hidden and _value(risk_table, row, "geen programma").hidden)

    # every programme has 3 units: below the KB minimum of 8, so all 12 are at risk
    rows, total = selectors.students_at_risk(school)
    assert total == 12 and len(rows) == 12
    assert all("PROGRAMME_UNITS_TOO_FEW" in r.codes for r in rows)
    risk = selectors.risk_section(school, TODAY)
    assert _value(_table(risk), "leerjaar 4", "bevindingen van de regels").value == 12
    codes = _table(risk, 1)
    units_row = next(r for r in codes.rows if "PROGRAMME_UNITS_TOO_FEW" in r)
    assert codes.cells[codes.rows.index(units_row)][0].value == 12

    # a PTA item past its deadline for the kennismakende ZW module: 12 take it (completed), 6 have a result
    item = overdue_item(school, mods["k_zw"])
    for s in students[:6]:
        f.ResultFactory(student=s, item=item)
    have = Result.objects.filter(item=item).values("student").distinct().count()
    overdue = _table(selectors.overdue_section(school, TODAY))
    assert overdue.rows and overdue.cells[0][1].value == 12 - have == 6
    assert overdue.cells[0][0].value == have

    # LOB: per class and competency
    for s in students[:6]:
        activity(s, qualities=True, motives=True)
    for s in students[6:12]:
        activity(s, networking=True, results="")            # incomplete: no results
    lob = selectors.lob_section(school, TODAY)
    per_class = _table(lob, 0)
    assert _value(per_class, "4K1", "Kwaliteitenreflectie").value == 6
    assert _value(per_class, "4K1", "Netwerken").value == 6
    comp = _table(lob, 1)
    assert _value(comp, "Netwerken", "nog niet af").value == 6
    assert _value(comp, "Motievenreflectie", "met alle vier de delen").value == 6
    assert "4K2" not in per_class.rows                       # the other school's class is not counted


def test_removal_and_review_sections_show_module_counts():
    from maatwerk.catalog.models import ModuleUsageReport

    mods = modules()
    old = f.ModuleVersionFactory(module_type="DEEPENING", valid_from=2015)
    for year in range(2019, 2027):
        ModuleUsageReport.objects.create(module=mods["k_zw"].module, school_year=year, brin="21KR", exams_taken=8)
        if year <= 2020:
            ModuleUsageReport.objects.create(module=old.module, school_year=year, brin="21KR", exams_taken=6)
    removal = selectors.removal_section(None, TODAY)
    modules_table = _table(removal, 1)
    assert any(r.startswith(old.module.code) for r in modules_table.rows)
    assert not any(r.startswith(mods["k_zw"].module.code) for r in modules_table.rows)
    reviews = _table(selectors.review_section(None, TODAY))
    from maatwerk.catalog.models import Module
    from maatwerk.catalog.services import next_review_due

    due = Counter()
    for m in Module.objects.filter(retired_from__isnull=True, current_version__status="published"):
        d = next_review_due(m.current_version)
        if d is not None and d < TODAY:
            due["te laat"] += 1
    assert sum(c.value for c in reviews.column(reviews.cols.index("te laat"))) == due["te laat"]


def test_the_whole_dashboards_render_and_export_only_aggregates():
    school, students, _ = school_with_students(8)
    national = selectors.national_dashboard(TODAY)
    rows = list(national.csv_rows())
    assert rows and all(len(r) == 5 for r in rows)
    names = {s.last_name for s in students}
    assert not any(name in str(r) for r in rows for name in names)
    mine = selectors.school_dashboard(school, TODAY)
    assert [s.key for s in mine.sections][:4] == ["programmas", "risico", "pta", "lob"]
    assert mine.as_json()["school"]["brin"] == school.brin
