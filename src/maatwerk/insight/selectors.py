"""The numbers of the insight dashboards: aggregates only, each table protected against small cells.

`national_dashboard()` is the steward's (every school); `school_dashboard(school)` the same for one school
plus what only the school itself may see in aggregate (programmes not yet approved, students at risk, PTA
items overdue, LOB activity). Both read with a fixed number of queries, whatever the number of students
(aggregation happens in the database; the engine runs over one school's programmes in bulk through
`maatwerk.engine`). Nothing here returns a student: the named work list of students at risk is
`students_at_risk(school)`, used only by a page for the school's own staff.

Every count of students goes through `suppress.count_table` (fewer than 5: "<5"; and no single hidden
cell per line, so nothing can be recovered from the totals).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from maatwerk.domain import school_year_label, school_year_of

from . import charts
from .labels import LEERWEGEN, OUTCOME_LABELS, code_label
from .suppress import Cell, CountTable, count_table, linked_tables, mean, min_cell, percent

TOP = 6  # categories in a chart before the rest is "overige" (Okabe-Ito has 7 colours)
UPPER = 3  # the upper years start in leerjaar 3


@dataclass
class TableView:
    caption: str
    row_header: str
    table: CountTable
    show_totals: bool = True
    id: str = ""


@dataclass
class Section:
    key: str
    title: str
    intro: str
    tables: list[TableView]
    chart: charts.Chart | None = None
    note: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        """Tables too wide to stand beside the chart: the chart goes above them."""
        return any(len(v.table.cols) + len(v.table.extra_cols) > 4 for v in self.tables)


@dataclass
class Dashboard:
    title: str
    subtitle: str
    sections: list[Section]
    school: object | None = None
    made_at: dt.datetime | None = None
    threshold: int = 5

    @property
    def protected_any(self) -> bool:
        return any(t.table.protected and t.table.hidden_any for s in self.sections for t in s.tables)

    def csv_rows(self):
        """Every number of the dashboard as it is shown (suppressed cells as "<5" or "•")."""
        for section in self.sections:
            for view in section.tables:
                t = view.table
                for i, row in enumerate(t.rows):
                    for j, col in enumerate(t.cols):
                        yield (section.title, view.caption, row, col, t.cells[i][j].text)
                    if view.show_totals and len(t.cols) > 1:
                        yield (section.title, view.caption, row, "totaal", t.row_totals[i].text)
                    for k, col in enumerate(t.extra_cols):
                        yield (section.title, view.caption, row, col, t.extra[i][k].text)
                if view.show_totals and len(t.rows) > 1:
                    for j, col in enumerate(t.cols):
                        yield (section.title, view.caption, "totaal", col, t.col_totals[j].text)
                    if len(t.cols) > 1:
                        yield (section.title, view.caption, "totaal", "totaal", t.total.text)

    def as_json(self) -> dict:
        def cell(c: Cell):
            return {"value": c.value, "text": c.text, "suppressed": c.hidden}

        return {
            "title": self.title, "subtitle": self.subtitle,
            "school": {"brin": self.school.brin, "name": self.school.name} if self.school is not None else None,
            "made_at": self.made_at.isoformat() if self.made_at else None,
            "min_cell": self.threshold,
            "sections": [{
                "key": s.key, "title": s.title, "intro": s.intro, "note": s.note,
                "chart": {"alt": s.chart.alt} if s.chart else None,
                "tables": [{
                    "caption": v.caption, "row_header": v.row_header, "columns": v.table.cols,
                    "extra_columns": v.table.extra_cols, "protected": v.table.protected,
                    "rows": [{"label": r, "cells": [cell(c) for c in v.table.cells[i]],
                              "total": cell(v.table.row_totals[i]),
                              "extra": [cell(c) for c in (v.table.extra[i] if v.table.extra else [])]}
                             for i, r in enumerate(v.table.rows)],
                    "column_totals": [cell(c) for c in v.table.col_totals],
                    "total": cell(v.table.total),
                } for v in s.tables],
            } for s in self.sections],
        }


# --- helpers --------------------------------------------------------------------------------------


def _students(school):
    from maatwerk.students.models import Student

    qs = Student.objects.filter(left_on__isnull=True)
    return qs.filter(school=school) if school is not None else qs


def _of_students(prefix: str, school, **extra) -> dict:
    """Filter kwargs on the student behind `prefix` (a join, not a subquery: the planner does far better)."""
    kwargs = {f"{prefix}left_on__isnull": True, **{f"{prefix}{k}": v for k, v in extra.items()}}
    if school is not None:
        kwargs[f"{prefix}school"] = school
    return kwargs


def _top(totals: Counter, keep: int = TOP, rest: str = "overige") -> tuple[list[str], dict[str, str]]:
    """The `keep` largest keys, and a mapping of every key to itself or to `rest`."""
    ordered = [k for k, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    kept = ordered[:keep] if len(ordered) > keep + 1 else ordered
    mapping = {k: (k if k in kept else rest) for k in ordered}
    labels = kept + ([rest] if len(ordered) > len(kept) else [])
    return labels, mapping


def _profiel_groups() -> dict[int, str]:
    """module id -> the profiel of its current version ("sectoroverstijgend" for more than one)."""
    from maatwerk.catalog.models import Module

    codes: dict[int, set[str]] = defaultdict(set)
    for module_id, code in Module.objects.values_list("pk", "current_version__profielen__code"):
        if code:
            codes[module_id].add(code)
        else:
            codes.setdefault(module_id, set())
    return {m: (next(iter(c)) if len(c) == 1 else ("sectoroverstijgend" if c else "zonder profiel"))
            for m, c in codes.items()}


def _grid(rows: list, cols: list, counts: dict) -> list[list[int]]:
    return [[counts.get((r, c), 0) for c in cols] for r in rows]


# --- the sections -----------------------------------------------------------------------------------


def usage_section(school, today: dt.date) -> Section:
    from maatwerk.catalog.models import ModuleUsageReport

    qs = ModuleUsageReport.objects.all()
    if school is not None:
        qs = qs.filter(brin=school.brin)
    current = school_year_of(today)
    years = list(range(current - 5, current + 1))
    groups = _profiel_groups()
    counts: Counter = Counter()
    totals: Counter = Counter()
    for year, module_id, n in (qs.filter(school_year__in=years).values_list("school_year", "module_id")
                               .annotate(n=Sum("exams_taken")).order_by()):
        group = groups.get(module_id, "zonder profiel")
        counts[(year, group)] += n
        totals[group] += n
    labels, mapping = _top(totals, rest="overige profielen")
    folded: Counter = Counter()
    for (year, group), n in counts.items():
        folded[(year, mapping[group])] += n
    rows = [school_year_label(y) for y in years]
    table = count_table(rows, labels, _grid(years, labels, folded))
    who = "op deze school" if school is not None else "landelijk"
    chart = charts.table_chart(
        table, stacked=True, unit="afgenomen examens",
        alt=f"Staafdiagram: afgenomen module-examens {who} per schooljaar ({rows[0]} tot en met {rows[-1]}), "
            f"gestapeld per profiel. De getallen staan in de tabel eronder.")
    return Section("gebruik", "Gebruik van modulen per schooljaar en profiel",
                   "Afgenomen schoolexamens van modulen volgens de gebruiksmeldingen (ModuleUsageReport), per "
                   "profiel van de module. Een module van meer profielen telt als sectoroverstijgend.",
                   [TableView("Afgenomen examens per schooljaar en profiel", "Schooljaar", table, id="t-gebruik")],
                   chart)


def removal_section(school, today: dt.date) -> Section:
    from maatwerk.catalog import cycle
    from maatwerk.catalog.selectors import removal_watch
    from maatwerk.schools.models import Offering

    watch = removal_watch(today)
    rows = watch["rows"]
    if school is not None:
        offered = set(Offering.objects.filter(school=school, school_year__gte=school_year_of(today) - 1)
                      .values_list("module_version__module_id", flat=True))
        rows = [r for r in rows if r["module"].pk in offered]
    current = school_year_of(today)
    years = watch["years"]
    usage = count_table([f"{r['module'].code} {r['module'].current_version.title}" for r in rows],
                        [school_year_label(y) for y in years], [r["usage"] for r in rows])
    usage.add_column("voldoet nu aan de regel", [Cell(1 if r["due"] else 0, "ja" if r["due"] else "nee")
                                                  for r in rows])
    buckets = ["nooit gemeld"] + [f"{n} jaar" for n in range(3, 8)]
    bucket_counts: Counter = Counter()
    for r in rows:
        last = r["last_exam_year"]
        label = "nooit gemeld" if last is None else f"{min(7, current - last)} jaar"
        bucket_counts[(label, "voldoet nu" if r["due"] else "op weg")] += 1
    series = ["voldoet nu", "op weg"]
    shape = count_table(buckets, series, _grid(buckets, series, bucket_counts), protected=False)
    chart = charts.table_chart(
        shape, stacked=True, unit="modulen",
        alt=f"Staafdiagram: {len(rows)} modulen op weg naar schrappen, naar het aantal schooljaren zonder examen; "
            f"per staaf het deel dat nu aan de schrapregel voldoet. De getallen staan in de tabel eronder.")
    years_n = cycle.param("removal_years")
    return Section(
        "schrappen", "Modulen op weg naar schrappen",
        f"Een module zonder examen in {years_n} schooljaren verdwijnt van de menukaart (parameter removal_years "
        f"van spv-modulair). Modulen zonder examen in het lopende schooljaar en ten minste drie schooljaren "
        f"daarvoor; landelijke aantallen examens."
        + (" Alleen modulen die deze school aanbiedt." if school is not None else ""),
        [TableView("Modulen naar aantal schooljaren zonder examen", "Zonder examen", shape, id="t-schrappen"),
         TableView("Afgenomen examens per module en schooljaar", "Module", usage, show_totals=False,
                   id="t-schrappen-modulen")],
        chart, note=f"Niet meer te kiezen vanaf {school_year_label(watch['effective_year'])} als de regel nu geldt.")


def review_section(school, today: dt.date) -> Section:
    from maatwerk.catalog.models import Module, Review, ReviewDecision, VersionStatus
    from maatwerk.catalog.services import next_review_due
    from maatwerk.schools.models import Offering

    modules = (Module.objects.filter(retired_from__isnull=True, current_version__status=VersionStatus.PUBLISHED)
               .select_related("current_version").prefetch_related("current_version__reviews"))
    updates = Review.objects.filter(decision=ReviewDecision.UPDATE, update_version__isnull=True, update_due_on__lt=today)
    if school is not None:
        offered = Offering.objects.filter(school=school, school_year__gte=school_year_of(today) - 1).values(
            "module_version__module_id")
        modules = modules.filter(pk__in=offered)
        updates = updates.filter(module_id__in=offered)
    current = school_year_of(today)
    counts: Counter = Counter()
    for module in modules:
        due = next_review_due(module.current_version)
        if due is None:
            continue
        year = max(school_year_of(due), current) if due < today else school_year_of(due)
        counts[(year, "te laat" if due < today else "gepland")] += 1
    last = max([current + 5, *(y for y, _ in counts)])
    years = list(range(current, last + 1))
    cols = ["te laat", "gepland"]
    table = count_table([school_year_label(y) for y in years], cols, _grid(years, cols, counts), protected=False)
    chart = charts.table_chart(
        table, stacked=True, unit="reviews",
        alt="Staafdiagram: het aantal vijfjaarlijkse reviews van modulen per schooljaar waarin ze vallen; te late "
            "reviews tellen in het lopende schooljaar. De getallen staan in de tabel eronder.")
    n_updates = updates.count()
    return Section("reviews", "Reviewkalender: werklast per jaar",
                   "Elke module wordt elke vijf jaar beoordeeld (parameter review_cycle_years). Per schooljaar het "
                   "aantal reviews dat dan moet gebeuren" + (" voor modulen die deze school aanbiedt." if school
                                                             is not None else "."),
                   [TableView("Reviews per schooljaar", "Schooljaar", table, id="t-reviews")], chart,
                   note=f"Bijstellingen na een review die te laat zijn: {n_updates}.")


def package_section(school, today: dt.date) -> Section:
    from maatwerk.schools.models import Package, PackageKind
    from maatwerk.students.models import Programme

    packages = Package.objects.all()
    programmes = Programme.objects.filter(package__isnull=False)
    if school is not None:
        packages = packages.filter(school=school)
        programmes = programmes.filter(student__school=school)
    kinds = [PackageKind.BROAD, PackageKind.NARROW]
    labels = [k.label for k in kinds]
    p_counts = {(y, PackageKind(k).label): n for y, k, n in
                packages.values_list("school_year", "kind").annotate(n=Count("pk")).order_by()}
    s_counts = {(y, PackageKind(k).label): n for y, k, n in
                programmes.values_list("package__school_year", "package__kind").annotate(n=Count("pk")).order_by()}
    years = sorted({y for y, _ in p_counts} | {y for y, _ in s_counts})
    rows = [school_year_label(y) for y in years]
    pk_table = count_table(rows, labels, _grid(years, labels, p_counts), protected=False)
    st_table = count_table(rows, labels, _grid(years, labels, s_counts))
    chart = charts.table_chart(pk_table, unit="pakketten",
                               alt="Staafdiagram: aantal brede en smalle pakketten per schooljaar. De getallen "
                                   "staan in de tabel eronder.")
    return Section("pakketten", "Brede en smalle pakketten",
                   "Pakketten die scholen samenstellen (breed: meer werkvelden; smal: één werkveld), en het aantal "
                   "leerlingen dat hun programma vanuit zo'n pakket begon.",
                   [TableView("Pakketten per schooljaar", "Schooljaar", pk_table, id="t-pakketten"),
                    TableView("Leerlingen die vanuit een pakket begonnen", "Schooljaar van het pakket", st_table,
                              id="t-pakketten-leerlingen")], chart)


def units_section(school, today: dt.date) -> Section:
    from maatwerk.students.models import ItemStatus, ProgrammeItem

    students = _students(school).filter(year_level__gte=4)
    n = dict(students.values_list("leerweg").annotate(n=Count("pk")).order_by())
    items = ProgrammeItem.objects.filter(status=ItemStatus.COMPLETED,
                                         module_version__module_type__in=["INTRODUCTORY", "DEEPENING"],
                                         **_of_students("programme__student__", school, year_level__gte=4))
    units = {(lw, t): u for lw, t, u in items.values_list("programme__student__leerweg", "module_version__module_type")
             .annotate(u=Sum("module_version__units")).order_by()}
    table = count_table(list(LEERWEGEN), ["leerlingen in leerjaar 4"], [[n.get(lw, 0)] for lw in LEERWEGEN])
    intro = [mean(units.get((lw, "INTRODUCTORY"), 0), table.cells[i][0]) for i, lw in enumerate(LEERWEGEN)]
    deep = [mean(units.get((lw, "DEEPENING"), 0), table.cells[i][0]) for i, lw in enumerate(LEERWEGEN)]
    table.add_column("gemiddeld kennismakend (eenheden)", intro)
    table.add_column("gemiddeld verdiepend (eenheden)", deep)
    chart = charts.bar_chart(
        list(LEERWEGEN), ["kennismakend", "verdiepend"],
        [[a.chart_value, b.chart_value] for a, b in zip(intro, deep, strict=True)], unit="eenheden per leerling",
        integer=False,
        alt="Staafdiagram: gemiddeld aantal afgeronde kennismakende en verdiepende eenheden per leerling in "
            "leerjaar 4, per leerweg. De getallen staan in de tabel eronder.")
    return Section("eenheden", "Afgeronde kennismakende en verdiepende eenheden per leerweg",
                   "Leerlingen in leerjaar 4 (het examenjaar) en het gemiddelde aantal eenheden van afgeronde "
                   "kennismakende en verdiepende modulen in hun programma. Een gemiddelde staat er alleen bij "
                   f"groepen van ten minste {min_cell()} leerlingen.",
                   [TableView("Afgeronde eenheden per leerweg", "Leerweg", table, id="t-eenheden")], chart)


def results_section(school, today: dt.date) -> Section:
    from maatwerk.diploma.models import ExamDecision

    qs = ExamDecision.objects.current()
    if school is not None:
        qs = qs.filter(student__school=school)
    counts: Counter = Counter()
    keys = set()
    for year, regulation, outcome, n in (qs.values_list("school_year", "regulation_id", "outcome")
                                         .annotate(n=Count("pk")).order_by()):
        counts[((year, regulation), OUTCOME_LABELS[outcome])] += n
        keys.add((year, regulation))
    keys = sorted(keys, reverse=True)
    cols = list(OUTCOME_LABELS.values())
    table = count_table([f"{school_year_label(y)} · {r}" for y, r in keys], cols, _grid(keys, cols, counts))
    table.add_column("geslaagd", [percent(table.cells[i][0], table.row_totals[i]) for i in range(len(keys))])
    done = [Cell(c[0].value + c[1].value, "") if c[0].shown and c[1].shown else Cell(None, "–", "derived")
            for c in table.cells]
    table.add_column("afgerond (geslaagd of afgewezen)", [percent(d, table.row_totals[i]) for i, d in enumerate(done)])
    chart = charts.table_chart(
        table, horizontal=True, stacked=True, unit="kandidaten",
        alt="Liggend staafdiagram: examenuitslagen (geslaagd, afgewezen, nog niet compleet) per examenjaar en "
            "regeling. De getallen en percentages staan in de tabel eronder.")
    return Section("uitslagen", "Afronding en slagingspercentage per regeling",
                   "De huidige examenbesluiten (ExamDecision, zonder vervangen besluiten) per examenjaar en regeling: "
                   "vmbo-huidig is de wet van nu, spv-modulair de pilotregeling met het maatwerkdiploma.",
                   [TableView("Uitslagen per examenjaar en regeling", "Examenjaar · regeling", table,
                              id="t-uitslagen")], chart)


def route_data(school):
    """Per student in the upper years: (kennismakend profiel, verdiepend profiel, mbo qualification)."""
    from maatwerk.diploma.models import ContinuousRoute
    from maatwerk.students.models import ItemStatus, Programme, ProgrammeItem

    students = _students(school).filter(year_level__gte=UPPER)
    best: dict[tuple[int, str], tuple[int, str]] = {}  # (student, kind) -> (-units, profiel): the main profiel
    for student_id, kind, code, u in (
            ProgrammeItem.objects.filter(module_version__module_type__in=["INTRODUCTORY", "DEEPENING"],
                                         **_of_students("programme__student__", school, year_level__gte=UPPER))
            .exclude(status=ItemStatus.NOT_COMPLETED)
            .values_list("programme__student_id", "module_version__module_type", "module_version__profielen__code")
            .annotate(u=Sum("module_version__units")).order_by()):
        candidate = (-u, code or "zonder profiel")  # most units first, then the first code
        key = (student_id, kind)
        if key not in best or candidate < best[key]:
            best[key] = candidate
    mbo: dict[int, str] = {}
    for student_id, name in (ContinuousRoute.students.through.objects
                             .filter(**_of_students("student__", school, year_level__gte=UPPER))
                             .values_list("student_id", "continuousroute__qualification__name")
                             .order_by("student_id", "continuousroute__qualification__name")):
        mbo.setdefault(student_id, name)
    for student_id, name in (Programme.objects.filter(package__isnull=False,
                                                      **_of_students("student__", school, year_level__gte=UPPER))
                             .exclude(package__mbo_qualifications__isnull=True)
                             .values_list("student_id", "package__mbo_qualifications__name")
                             .order_by("student_id", "package__mbo_qualifications__name")):
        mbo.setdefault(student_id, name)
    out = []
    seen = {student_id for student_id, _ in best} | set(mbo)
    none = (0, None)
    for student_id in seen:
        out.append((best.get((student_id, "INTRODUCTORY"), none)[1] or "geen kennismakende module",
                    best.get((student_id, "DEEPENING"), none)[1] or "nog geen verdiepende module",
                    mbo.get(student_id, "nog geen mbo-keuze")))
    # students with neither modules nor an mbo choice: counted, not listed one by one
    rest = students.count() - len(seen)
    out += [("geen kennismakende module", "nog geen verdiepende module", "nog geen mbo-keuze")] * rest
    return out


def routes_section(school, today: dt.date) -> Section:
    rows = route_data(school)
    k_labels, k_map = _top(Counter(r[0] for r in rows), rest="overige profielen")
    v_labels, v_map = _top(Counter(r[1] for r in rows), rest="overige profielen")
    m_labels, m_map = _top(Counter(r[2] for r in rows), keep=5, rest="andere kwalificaties")
    kv = Counter((k_map[k], v_map[v]) for k, v, _ in rows)
    vm = Counter((v_map[v], m_map[m]) for _, v, m in rows)
    # the verdiepende profielen are the columns of the first table and the rows of the second: their totals are
    # the same numbers, so the two tables are protected together
    t1, t2 = linked_tables(
        [{"rows": k_labels, "cols": v_labels, "values": _grid(k_labels, v_labels, kv)},
         {"rows": v_labels, "cols": m_labels, "values": _grid(v_labels, m_labels, vm)}],
        [((0, len(k_labels), j), (1, j, len(m_labels))) for j in range(len(v_labels))])
    stages = [[(k, t1.row_totals[i].value) for i, k in enumerate(k_labels) if t1.row_totals[i].shown],
              [(v, t1.col_totals[j].value) for j, v in enumerate(v_labels) if t1.col_totals[j].shown],
              [(m, t2.col_totals[j].value) for j, m in enumerate(m_labels) if t2.col_totals[j].shown]]
    flows = [charts.Flow(0, k, v, t1.cells[i][j].value) for i, k in enumerate(k_labels)
             for j, v in enumerate(v_labels) if t1.cells[i][j].shown and t1.cells[i][j].value]
    flows += [charts.Flow(1, v, m, t2.cells[i][j].value) for i, v in enumerate(v_labels)
              for j, m in enumerate(m_labels) if t2.cells[i][j].shown and t2.cells[i][j].value]
    biggest = max(flows, key=lambda f: f.value, default=None)
    alt = ("Stroomdiagram van de routes van leerlingen in de bovenbouw: van het profiel van hun kennismakende "
           "modulen, via het profiel van hun verdiepende modulen, naar een mbo-kwalificatie. "
           + (f"De grootste stroom is {biggest.source} naar {biggest.target} ({biggest.value} leerlingen). "
              if biggest else "Er zijn nog geen routes. ")
           + "Stromen van minder dan 5 leerlingen zijn weggelaten; de getallen staan in de tabellen eronder.")
    chart = charts.sankey(stages, flows, ["Kennismakend profiel", "Verdiepend profiel", "Mbo-kwalificatie"], alt=alt)
    return Section("routes", "De routes van leerlingen",
                   "Leerlingen in leerjaar 3 en hoger: het profiel van de meeste eenheden van hun kennismakende "
                   "modulen, dat van hun verdiepende modulen, en de mbo-kwalificatie van hun doorlopende leerroute "
                   "(of anders van het pakket waarmee ze begonnen).",
                   [TableView("Van kennismakend naar verdiepend profiel", "Kennismakend \\ verdiepend", t1, id="t-routes-kv"),
                    TableView("Van verdiepend profiel naar mbo-kwalificatie", "Verdiepend \\ mbo", t2, id="t-routes-vm")],
                   chart)


def continuous_section(school, today: dt.date) -> Section:
    students = _students(school).filter(year_level__gte=UPPER)
    total = dict(students.values_list("leerweg").annotate(n=Count("pk")).order_by())
    inside = dict(students.filter(routes__isnull=False).values_list("leerweg")
                  .annotate(n=Count("pk", distinct=True)).order_by())
    cols = ["in een doorlopende leerroute", "niet in een route"]
    values = [[inside.get(lw, 0), total.get(lw, 0) - inside.get(lw, 0)] for lw in LEERWEGEN]
    table = count_table(list(LEERWEGEN), cols, values)
    table.add_column("aandeel in een route", [percent(table.cells[i][0], table.row_totals[i])
                                              for i in range(len(LEERWEGEN))])
    chart = charts.table_chart(
        table, horizontal=True, stacked=True, unit="leerlingen in de bovenbouw",
        alt="Liggend staafdiagram: leerlingen in de bovenbouw per leerweg, in en buiten een doorlopende leerroute "
            "naar het mbo. De getallen en het aandeel staan in de tabel eronder.")
    share = percent(table.col_totals[0], table.total)
    return Section("doorlopend", "Leerlingen in doorlopende leerroutes",
                   "Leerlingen in leerjaar 3 en hoger die in een doorlopende of geïntegreerde leerroute naar een "
                   f"mbo-kwalificatie zitten. Totaal: {share.text}.",
                   [TableView("Leerlingen per leerweg in een doorlopende leerroute", "Leerweg", table,
                              id="t-doorlopend")], chart)


# --- only for one school ------------------------------------------------------------------------------


@dataclass
class RiskRow:
    student: object
    codes: tuple[str, ...]
    has_programme: bool


def students_at_risk(school) -> tuple[list[RiskRow], int]:
    """Students in the upper years whose programme the engine does not find complete (an error finding), or
    who have no programme: the school's own work list. Programmes are read in bulk (maatwerk.engine)."""
    from maatwerk import engine
    from maatwerk.rules.findings import Severity
    from maatwerk.rules.programme import validate_programme
    from maatwerk.students.models import Programme

    students = list(_students(school).filter(year_level__gte=UPPER).select_related("profiel")
                    .order_by("year_level", "class_name", "last_name", "first_name", "pk"))
    programmes = Programme.objects.filter(student__in=[s.pk for s in students])
    regulations = dict(programmes.values_list("pk", "regulation_id"))
    inputs = engine.programme_inputs(programmes)
    policy = engine.policy_input(school)
    offering = engine.offering_input(school)
    by_student = {}
    cache: dict = {}
    for pk, programme in inputs.items():
        key = (regulations[pk], programme.cohort)
        if key not in cache:
            try:
                cache[key] = engine.regulation_of(*key)
            except LookupError:
                cache[key] = None
        regulation = cache[key]
        if regulation is None:
            by_student[programme.student_id] = ("REGULATION_UNKNOWN",)
            continue
        verdict = validate_programme(programme, regulation, policy, offering)
        by_student[programme.student_id] = tuple(sorted({f.code for f in verdict.findings
                                                         if f.severity is Severity.ERROR}))
    out = []
    for student in students:
        codes = by_student.get(student.pk)
        if codes is None:
            out.append(RiskRow(student, ("GEEN_PROGRAMMA",), False))
        elif codes:
            out.append(RiskRow(student, codes, True))
    return out, len(students)


def status_and_risk_sections(school, today: dt.date, risk=None) -> list[Section]:
    """Programme status per leerjaar, and the students at risk per leerjaar and per finding. Both count the
    students without a programme per leerjaar (the same numbers), so the tables are protected together."""
    from maatwerk.students.models import ProgrammeStatus

    counts = Counter()
    for year, status, n in (_students(school).values_list("year_level", "programme__status")
                            .annotate(n=Count("pk")).order_by()):
        counts[(year, status or "none")] += n
    years = sorted({y for y, _ in counts}) or [1, 2, 3, 4]
    keys = ["none", ProgrammeStatus.CONCEPT, ProgrammeStatus.PROPOSED, ProgrammeStatus.APPROVED]
    labels = ["geen programma", "concept", "voorgesteld", "goedgekeurd"]
    rows, _total = risk if risk is not None else students_at_risk(school)
    risky = Counter((r.student.year_level, "geen programma" if not r.has_programme else "bevindingen")
                    for r in rows)
    upper = [y for y in years if y >= UPPER]
    per_year = {y: sum(counts.get((y, k), 0) for k in keys) for y in upper}
    risk_cols = ["programma in orde", "bevindingen van de regels", "geen programma"]
    risk_values = [[per_year[y] - risky[(y, "bevindingen")] - risky[(y, "geen programma")],
                    risky[(y, "bevindingen")], risky[(y, "geen programma")]] for y in upper]
    links = []
    for i, y in enumerate(upper):
        k = years.index(y)
        links.append(((0, k, 0), (1, i, 2)))                        # students without a programme
        links.append(((0, k, len(keys)), (1, i, len(risk_cols))))   # students of the leerjaar
    table, risk_table = linked_tables(
        [{"rows": [f"leerjaar {y}" for y in years], "cols": labels,
          "values": [[counts.get((y, k), 0) for k in keys] for y in years]},
         {"rows": [f"leerjaar {y}" for y in upper], "cols": risk_cols, "values": risk_values}], links)
    table.add_column("nog niet goedgekeurd", [
        percent(Cell(r.value - c[3].value, "") if r.shown and c[3].shown else Cell(None, "–", "derived"), r)
        for r, c in zip(table.row_totals, table.cells, strict=True)])
    chart = charts.table_chart(table, stacked=True, unit="leerlingen",
                               alt="Staafdiagram: leerlingen per leerjaar naar de status van hun maatwerkprogramma "
                                   "(geen, concept, voorgesteld, goedgekeurd). De getallen staan in de tabel eronder.")
    status = Section("programmas", "Programma's die nog niet zijn goedgekeurd",
                     "De status van het maatwerkprogramma van elke ingeschreven leerling, per leerjaar.",
                     [TableView("Programmastatus per leerjaar", "Leerjaar", table, id="t-programmas")], chart)
    codes = Counter(code for r in rows if r.has_programme for code in r.codes)
    code_rows = sorted(codes, key=lambda c: (-codes[c], c))
    by_code = count_table([f"{code_label(c)} ({c})" for c in code_rows], ["leerlingen"],
                          [[codes[c]] for c in code_rows])
    chart = charts.table_chart(by_code, horizontal=True, unit="leerlingen",
                               alt="Liggend staafdiagram: het aantal leerlingen in de bovenbouw per bevinding van de "
                                   "regels die hun programma tegenhoudt. De getallen staan in de tabel eronder.")
    at_risk = Section("risico", "Leerlingen met risico: programma niet compleet",
                      "Leerlingen in leerjaar 3 en hoger van wie de regels (validate_programme, met het beleid en het "
                      "aanbod van de school) het programma niet compleet of niet toegestaan vinden, of die nog geen "
                      "programma hebben. Eén leerling kan meer bevindingen hebben.",
                      [TableView("Leerlingen in de bovenbouw per leerjaar", "Leerjaar", risk_table, id="t-risico"),
                       TableView("Leerlingen per bevinding", "Bevinding", by_code, show_totals=False,
                                 id="t-risico-codes")], chart)
    return [status, at_risk]


def programme_status_section(school, today: dt.date) -> Section:
    return status_and_risk_sections(school, today)[0]


def risk_section(school, today: dt.date, risk=None) -> Section:
    return status_and_risk_sections(school, today, risk)[1]


def overdue_section(school, today: dt.date) -> Section:
    """PTA items whose deadline has passed while a student who takes the module has no result."""
    from maatwerk.assessment.models import PtaItem, Result
    from maatwerk.students.models import ItemStatus, ProgrammeItem

    items = list(PtaItem.objects.filter(pta__school=school, deadline__lt=today)
                 .select_related("pta").prefetch_related("module_versions").order_by("deadline", "code"))
    versions = {v.pk for item in items for v in item.module_versions.all()}
    cohorts = {item.pta.cohort for item in items}
    taking: dict[int, set] = defaultdict(set)
    leerweg: dict[int, str] = {}
    for student_id, version_id, student_leerweg in (
            ProgrammeItem.objects.filter(programme__student__school=school, programme__student__cohort__in=cohorts,
                                         programme__student__left_on__isnull=True, module_version_id__in=versions,
                                         status__in=[ItemStatus.ENROLLED, ItemStatus.COMPLETED])
            .values_list("programme__student_id", "module_version_id", "programme__student__leerweg")):
        taking[version_id].add(student_id)
        leerweg[student_id] = student_leerweg
    cohort_of = dict(_students(school).filter(cohort__in=cohorts).values_list("pk", "cohort"))
    have = set(Result.objects.filter(item__in=items).filter(Q(grade__isnull=False) | ~Q(qualification=""))
               .values_list("item_id", "student_id").distinct())
    labels, values = [], []
    for item in items:
        expected = {s for v in item.module_versions.all() for s in taking[v.pk]
                    if cohort_of.get(s) == item.pta.cohort and item.pta.is_for(leerweg[s])}
        if not expected:
            continue
        missing = sum(1 for s in expected if (item.pk, s) not in have)
        if not missing:
            continue
        labels.append(f"{item.code} {item.title} (uiterlijk {item.deadline:%d-%m-%Y}, cohort {item.pta.cohort})")
        values.append([len(expected) - missing, missing])
    table = count_table(labels, ["met resultaat", "zonder resultaat"], values)
    chart = charts.table_chart(table, horizontal=True, stacked=True, unit="leerlingen",
                               alt=f"Liggend staafdiagram: {len(labels)} PTA-onderdelen waarvan de uiterste datum "
                                   f"voorbij is en nog resultaten ontbreken, met het aantal leerlingen met en zonder "
                                   f"resultaat. De getallen staan in de tabel eronder.")
    return Section("pta", "PTA-onderdelen over de datum",
                   "Onderdelen van de PTA's van de school waarvan de uiterste datum voorbij is, terwijl een leerling "
                   "die de module volgt of afrondde nog geen cijfer of beoordeling heeft.",
                   [TableView("Onderdelen met ontbrekende resultaten", "PTA-onderdeel", table, id="t-pta")], chart)


def lob_section(school, today: dt.date) -> Section:
    from maatwerk.domain import CareerCompetency
    from maatwerk.students.models import CareerActivity

    activities = CareerActivity.objects.filter(student__school=school, student__left_on__isnull=True)
    competencies = list(CareerCompetency)
    per_class = (activities.values_list("student__class_name")
                 .annotate(**{f"n_{c.value}": Count("pk", filter=Q(**{c.value: True})) for c in competencies})
                 .order_by())
    classes, values = [], []
    for class_name, *counts in sorted(per_class, key=lambda r: r[0] or ""):
        classes.append(class_name or "zonder klas")
        values.append(counts)
    incomplete = Q(goals="") | Q(results="") | Q(evaluation="") | Q(follow_up="")
    per_comp = activities.aggregate(**{f"{c.value}_all": Count("pk", filter=Q(**{c.value: True}))
                                       for c in competencies},
                                    **{f"{c.value}_open": Count("pk", filter=Q(**{c.value: True}) & incomplete)
                                       for c in competencies})
    comp_cols = ["met alle vier de delen", "nog niet af"]
    # the activities per competency are the column totals of the class table and the row totals of the other
    table, comp_table = linked_tables(
        [{"rows": classes, "cols": [c.label for c in competencies], "values": values},
         {"rows": [c.label for c in competencies], "cols": comp_cols,
          "values": [[per_comp[f"{c.value}_all"] - per_comp[f"{c.value}_open"], per_comp[f"{c.value}_open"]]
                     for c in competencies]}],
        [((0, len(classes), j), (1, j, len(comp_cols))) for j in range(len(competencies))])
    if 0 < len(classes) <= 24:
        chart = charts.table_chart(table, stacked=True, unit="LOB-activiteiten",
                                   alt="Staafdiagram: LOB-activiteiten per klas, gestapeld naar de "
                                       "loopbaancompetentie die ze ontwikkelden (een activiteit kan meer competenties "
                                       "ontwikkelen). De getallen staan in de tabellen eronder.")
    else:  # a bar per class is unreadable at a large school: the competencies, complete or not
        chart = charts.table_chart(comp_table, horizontal=True, stacked=True, unit="LOB-activiteiten",
                                   alt=f"Liggend staafdiagram: LOB-activiteiten van {len(classes)} klassen per "
                                       f"loopbaancompetentie, met alle vier de delen of nog niet af. De getallen per "
                                       f"klas en per competentie staan in de tabellen eronder.")
    return Section("lob", "LOB-activiteit per klas en loopbaancompetentie",
                   "LOB-activiteiten in de loopbaandossiers van de leerlingen, per klas en per loopbaancompetentie "
                   "(kwaliteitenreflectie, motievenreflectie, werkexploratie, loopbaansturing, netwerken).",
                   [TableView("Activiteiten per klas en competentie", "Klas", table, id="t-lob"),
                    TableView("Activiteiten per competentie", "Loopbaancompetentie", comp_table, id="t-lob-comp")],
                   chart)


# --- the dashboards ------------------------------------------------------------------------------------


NATIONAL_SECTIONS = (usage_section, removal_section, review_section, package_section, units_section,
                     results_section, routes_section, continuous_section)
SCHOOL_SECTIONS = (status_and_risk_sections, overdue_section, lob_section)  # a function may give several


def national_dashboard(today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    return Dashboard("Inzicht in de pilot", "Landelijk: alle scholen, alleen totalen",
                     [section(None, today) for section in NATIONAL_SECTIONS], made_at=timezone.localtime(),
                     threshold=min_cell())


def school_dashboard(school, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    sections = []
    for section in (*SCHOOL_SECTIONS, *NATIONAL_SECTIONS):
        made = section(school, today)
        sections += made if isinstance(made, list) else [made]
    return Dashboard(f"Inzicht {school.name}", f"BRIN {school.brin}: de cijfers van deze school, alleen totalen",
                     sections, school=school, made_at=timezone.localtime(), threshold=min_cell())
