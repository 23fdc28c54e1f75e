"""The bridge from the database to the pure rules engine (maatwerk.rules).

Every app that asks the engine something builds its inputs here, in bulk, with a fixed number of
queries, so that a page, an API call, an import and a national benchmark all feed the engine the
same facts. No rule lives here: only translation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from maatwerk.rules.errors import RulesInputError
from maatwerk.rules.exam import Candidate, SubjectInput
from maatwerk.rules.findings import Finding, Severity, Verdict, finding
from maatwerk.rules.programme import (
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    SchoolPolicyInput,
    package_completable,
    validate_programme,
)
from maatwerk.rules.regulation import Regulation, load_regulation, regulation_for_cohort


def module_status(version, school_year: int | None = None) -> str:
    """The engine's view of a version: published / superseded / withdrawn / retired (from a year)."""
    module = version.module
    if module.retired_from is not None and (school_year is None or school_year >= module.retired_from):
        return "retired"
    if version.status == "concept":
        raise ValueError(f"{module.code} v{version.version} is een concept en kan niet in een programma.")
    return version.status


def module_ref(version, school_year: int | None = None, profiel_codes: Iterable[str] | None = None) -> ModuleRef:
    """A ModuleRef for a ModuleVersion. Pass `profiel_codes` when profielen are prefetched elsewhere;
    otherwise `version.profielen.all()` is used (prefetch it: see `versions_for_engine`)."""
    if profiel_codes is None:
        profiel_codes = [p.code for p in version.profielen.all()]
    return ModuleRef(
        code=version.module.code,
        version_id=version.pk,
        title=version.title,
        module_type=version.module_type,
        units=version.units,
        profielen=tuple(sorted(profiel_codes)),
        leerwegen=tuple(version.leerwegen),
        legacy_kind=version.legacy_kind or None,
        status=module_status(version, school_year),
    )


def versions_for_engine(qs):
    """The queryset shape module_ref needs: module and profielen in two queries."""
    return qs.select_related("module").prefetch_related("profielen")


def offering_input(school, school_years: Iterable[int] | None = None) -> OfferingInput:
    """What `school` offers (module code, school year, leerweg) and its licences per school year (two
    queries, plain rows: a school offers hundreds of modules over the years)."""
    from maatwerk.schools.models import Licence, Offering

    offerings = Offering.objects.filter(school=school)
    if school_years is not None:
        school_years = sorted(set(school_years))
        offerings = offerings.filter(school_year__in=school_years)
    rows = list(offerings.values_list("module_version__module__code", "school_year", "for_bb", "for_kb", "for_gl",
                                      "for_tl"))
    offered = frozenset(
        (code, year, lw) for code, year, *flags in rows for lw, flag in zip(("BB", "KB", "GL", "TL"), flags, strict=True)
        if flag
    )
    licences = list(Licence.objects.filter(school=school).select_related("profiel"))
    years = school_years or sorted({row[1] for row in rows} | {lic.from_year for lic in licences})
    per_year: dict[int, frozenset[str]] = {
        year: frozenset(lic.profiel.code for lic in licences if lic.covers(year)) for year in years
    }
    return OfferingInput(offered=offered, licensed_profielen=per_year)


def policy_input(school) -> SchoolPolicyInput:
    from maatwerk.schools.models import SchoolPolicy

    policy = SchoolPolicy.objects.filter(school=school).first()
    if policy is None:
        return SchoolPolicyInput()
    return SchoolPolicyInput(
        introductory_before_deepening=policy.introductory_before_deepening,
        extra_min_units={k: int(v) for k, v in (policy.extra_min_units or {}).items()},
        extra_min_introductory=policy.extra_min_introductory,
        extra_min_deepening=policy.extra_min_deepening,
        max_units_per_year=policy.max_units_per_year,
    )


def regulation_of(regulation_id: str | None, cohort: int | None = None) -> Regulation:
    if regulation_id:
        return load_regulation(regulation_id)
    return regulation_for_cohort(cohort)


def programme_inputs(programmes) -> dict[int, ProgrammeInput]:
    """ProgrammeInputs for many programmes (a queryset or a list) at once, in four queries whatever their number.

    Programmes and items are read as plain rows and every module version (with its module and profielen)
    once, so a ModuleRef is built once per (version, school year) and shared by every programme that has
    it: a school's or the nation's programmes cost little more than the rows themselves
    (bench/programme_validation.py)."""
    from maatwerk.catalog.models import ModuleVersion
    from maatwerk.students.models import ProgrammeItem

    fields = ("pk", "student_id", "student__leerweg", "student__year_level", "student__cohort", "student__profiel__code")
    if hasattr(programmes, "values_list"):
        heads = list(programmes.values_list(*fields))
    else:
        heads = [(p.pk, p.student.pk, p.student.leerweg, p.student.year_level, p.student.cohort,
                  p.student.profiel.code if p.student.profiel_id else None) for p in programmes]
    rows = list(
        ProgrammeItem.objects.filter(programme__in=[h[0] for h in heads])
        .order_by("school_year", "period", "pk")
        .values_list("programme_id", "module_version_id", "school_year", "year_level", "status")
    )
    versions = versions_for_engine(ModuleVersion.objects.filter(pk__in={r[1] for r in rows})).in_bulk()
    refs: dict[tuple[int, int], ModuleRef] = {}
    by_programme: dict[int, list[ProgrammeItemInput]] = defaultdict(list)
    for programme_id, version_id, school_year, year_level, status in rows:
        ref = refs.get((version_id, school_year))
        if ref is None:
            ref = refs[(version_id, school_year)] = module_ref(versions[version_id], school_year)
        by_programme[programme_id].append(
            ProgrammeItemInput(module=ref, school_year=school_year, year_level=year_level, status=status))
    return {
        pk: ProgrammeInput(student_id=student_id, leerweg=leerweg, year_level=year_level, cohort=cohort,
                           profiel=profiel, items=tuple(by_programme[pk]), kern_included=True)
        for pk, student_id, leerweg, year_level, cohort, profiel in heads
    }


def programme_input(programme, items=None) -> ProgrammeInput:
    student = programme.student
    if items is None:
        items = versions_for_items(programme.items.all())
    return ProgrammeInput(
        student_id=student.pk,
        leerweg=student.leerweg,
        year_level=student.year_level,
        cohort=student.cohort,
        profiel=student.profiel.code if student.profiel_id else None,
        items=tuple(
            ProgrammeItemInput(
                module=module_ref(item.module_version, item.school_year),
                school_year=item.school_year,
                year_level=item.year_level,
                status=item.status,
            )
            for item in items
        ),
        kern_included=True,
    )


def versions_for_items(items_qs):
    return items_qs.select_related("module_version__module").prefetch_related("module_version__profielen")


# --- the school's offering and packages (schools app) ------------------------------------------

#: The engine's item rules that decide whether a school may offer a module version.
OFFERING_CODES = frozenset({
    "PROGRAMME_PROFIEL_NOT_LICENSED", "PROGRAMME_MODULE_WITHDRAWN", "PROGRAMME_MODULE_RETIRED",
    "PROGRAMME_MODULE_SUPERSEDED", "PROGRAMME_MODULE_WRONG_LEERWEG",
})


def _not_published(version) -> Verdict:
    """A concept version is not on the menukaart; the engine calls such a module unusable
    ("niet gepubliceerd"), which for an offering is an error."""
    code = version.module.code
    return Verdict.of([finding(
        "PACKAGE_MODULE_UNUSABLE",
        f"De module {code} ({version.title}) versie {version.version} is nog een concept: deze versie is niet "
        f"gepubliceerd en staat dus niet op de menukaart.",
        subject=code, severity=Severity.ERROR,
    )])


def offering_verdict(version, *, school_year: int, leerwegen: Iterable[str], regulation: Regulation,
                     offering: OfferingInput, profiel_codes: Iterable[str] | None = None) -> Verdict:
    """What the engine says about a school offering `version` in `school_year` for `leerwegen`.

    The engine's item rules of `validate_programme` (licence for the module's profiel, withdrawn,
    retired, superseded, leerweg) are applied to a one-module programme per leerweg; only the
    findings in OFFERING_CODES about this module are kept. `offering` carries the school's licences
    (see `offering_input`). Under a regulation that licenses the student's profiel (vmbo-huidig) a
    profielmodule needs a licence for one of its profielen.
    """
    if version.status == "concept":
        return _not_published(version)
    ref = module_ref(version, school_year, profiel_codes)
    leerwegen = [lw for lw in ("BB", "KB", "GL", "TL") if lw in set(leerwegen)]
    year_level = 1 if ref.module_type == "ORIENTING" else int(regulation.value("upper_year_start"))
    probe = OfferingInput(
        offered=offering.offered | {(ref.code, school_year, lw) for lw in leerwegen},
        licensed_profielen=offering.licensed_profielen,
    )
    item = ProgrammeItemInput(module=ref, school_year=school_year, year_level=year_level, status="planned")
    per_profiel = (ref.profielen or (None,)) if (
        regulation.kind != "spv-modulair" and ref.legacy_kind == "profielmodule") else (None,)
    found: dict[tuple[str, str], Finding] = {}
    for lw in leerwegen:
        licence_findings = []
        for profiel in per_profiel:
            programme = ProgrammeInput(student_id="aanbod", leerweg=lw, year_level=year_level, cohort=school_year,
                                       profiel=profiel, items=(item,))
            verdict = validate_programme(programme, regulation, None, probe)
            licence = [f for f in verdict.findings if f.code == "PROGRAMME_PROFIEL_NOT_LICENSED"]
            licence_findings.append(licence)
            for f in verdict.findings:
                if f.code in OFFERING_CODES and f.code != "PROGRAMME_PROFIEL_NOT_LICENSED" and f.subject == ref.code:
                    found.setdefault((f.code, f.message), f)
        if licence_findings and all(licence_findings):  # no profiel of the module is licensed
            f = licence_findings[0][0]
            found.setdefault((f.code, f.message), f)
    return Verdict.of(found.values())


def package_module_refs(modules, school_year: int | None = None) -> tuple[list[ModuleRef], list[Finding]]:
    """ModuleRefs for catalog Modules, each by the version in force (`current_version`; prefetch
    `current_version__module` and `current_version__profielen`). A module without any published
    version cannot be used; it is reported, not passed to the engine."""
    refs, unusable = [], []
    for module in modules:
        version = module.current_version
        if version is None or version.status == "concept":
            unusable.append(finding("PACKAGE_MODULE_UNUSABLE",
                                    f"De module {module.code} telt niet mee: er is geen gepubliceerde versie.",
                                    subject=module.code))
            continue
        refs.append(module_ref(version, school_year))
    return refs, unusable


def package_verdicts(modules, *, school_year: int, regulation: Regulation, policy: SchoolPolicyInput,
                     offering: OfferingInput | None,
                     leerwegen: Iterable[str] = ("BB", "KB", "GL", "TL")) -> dict[str, Verdict]:
    """Per leerweg: can a student complete `regulation` choosing only from `modules` (catalog Modules)?"""
    refs, unusable = package_module_refs(modules, school_year)
    out = {}
    for lw in leerwegen:
        verdict = package_completable(tuple(refs), lw, regulation, policy, offering)
        out[lw] = Verdict.of((*unusable, *verdict.findings)) if unusable else verdict
    return out


# --- module outcomes (assessment app) -----------------------------------------------------------

#: (student id, PTA id, module version id): one module exam of one student under one PTA.
OutcomeKey = tuple[int, int, int]


def module_outcome_inputs(keys: Iterable[OutcomeKey]):
    """The engine's inputs for `module_outcome` per key, in three queries whatever the number of keys.

    Returns {key: (item_results, pta_items, regulation)}. The PTA items of a key are the items of that
    PTA that close that module version (an item may close a combination of modules, so it counts for
    each); the results are the student's attempts at those items; the regulation is the PTA's."""
    from maatwerk.assessment.models import Pta, PtaItem, Result
    from maatwerk.rules.outcome import ItemResultInput, PtaItemInput

    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    ptas = Pta.objects.only("pk", "regulation_id", "cohort").in_bulk({k[1] for k in keys})
    links = (
        PtaItem.module_versions.through.objects
        .filter(ptaitem__pta_id__in=set(ptas), moduleversion_id__in={k[2] for k in keys})
        .select_related("ptaitem")
        .order_by("ptaitem__code", "ptaitem_id")
    )
    items: dict[tuple[int, int], list] = defaultdict(list)
    for link in links:
        items[(link.ptaitem.pta_id, link.moduleversion_id)].append(link.ptaitem)
    item_ids = {item.pk for group in items.values() for item in group}
    results: dict[tuple[int, int], list] = defaultdict(list)
    for student_id, item_id, attempt, grade, qualification in (
            Result.objects.filter(student_id__in={k[0] for k in keys}, item_id__in=item_ids).order_by("attempt")
            .values_list("student_id", "item_id", "attempt", "grade", "qualification")):
        results[(student_id, item_id)].append((attempt, grade, qualification or None))
    item_inputs_of: dict[tuple[int, int], tuple] = {}  # the same PtaItemInputs for every student
    out = {}
    for key in keys:
        student_id, pta_id, version_id = key
        pta_items = items.get((pta_id, version_id), [])
        pta = ptas[pta_id]
        regulation = regulation_of(pta.regulation_id, pta.cohort)
        item_inputs = item_inputs_of.get((pta_id, version_id))
        if item_inputs is None:
            item_inputs = item_inputs_of[(pta_id, version_id)] = tuple(
                PtaItemInput(code=item.code, weight=item.weight, result_kind=item.result_kind,
                             resit_allowed=item.resit_allowed, max_attempts=item.max_attempts)
                for item in pta_items
            )
        result_inputs = tuple(
            ItemResultInput(item_code=item.code, attempt=attempt, grade=grade, qualification=qualification)
            for item in pta_items for attempt, grade, qualification in results.get((student_id, item.pk), [])
        )
        out[key] = (result_inputs, item_inputs, regulation)
    return out


def module_outcomes(keys: Iterable[OutcomeKey]):
    """`module_outcome` for many module exams at once: {key: ModuleOutcome}. A key whose PTA has no
    item closing the module gets the engine's INCOMPLETE (OUTCOME_NO_PTA_ITEMS)."""
    from maatwerk.rules.outcome import module_outcome

    return {key: module_outcome(results, items, regulation)
            for key, (results, items, regulation) in module_outcome_inputs(keys).items()}


# --- exam decisions (diploma app) ---------------------------------------------------------------

#: ModuleResult outcomes that carry a grade (the module exam was taken).
_GRADED = ("PASSED", "FAILED")
#: Chunk size for the IN lists of candidate_inputs (a school is one chunk; a national run a few hundred).
_CHUNK = 500


@dataclass(frozen=True)
class CandidateInput:
    """What `decide_exam` needs for one student, and the record of where it came from.

    `candidate` is the engine's Candidate; `regulation` the cohort's regulation (with the school's
    switch for the loopbaandossier applied as an override); `inputs` a JSON-able record of every
    grade the decision rests on (stored with the decision, compared on a re-run); `problems` the
    grades the engine refused as input (a Dutch message each), which leave the exam incomplete."""

    student: object
    regulation: Regulation | None
    candidate: Candidate | None
    inputs: dict
    problems: tuple[str, ...] = ()


def _text(value) -> str | None:
    return None if value is None else str(value)


def _dossier_complete(activities) -> tuple[bool, list[str]]:
    """The loopbaandossier is 'voldaan' when each of the five loopbaancompetenties was developed in at
    least one LOB activity with all four parts (doelen, resultaten, evaluatie, vervolg)."""
    return _dossier_covered([a.competencies for a in activities if a.is_complete])


def _dossier_covered(complete_activities) -> tuple[bool, list[str]]:
    """`_dossier_complete` from the competencies of each complete activity (plain rows)."""
    from maatwerk.domain import loopbaandossier_voldaan

    return loopbaandossier_voldaan(complete_activities)


def _regulation_for(regulation_id: str | None, cohort: int, dossier_required: bool | None,
                    cache: dict) -> Regulation:
    key = (regulation_id, cohort, dossier_required)
    if key not in cache:
        regulation = regulation_of(regulation_id, cohort)
        if dossier_required is False and regulation.value("loopbaandossier_required"):
            regulation = regulation.with_overrides({"loopbaandossier_required": False})
        cache[key] = regulation
    return cache[key]


@dataclass(frozen=True)
class _Version:
    """The fields of a module version the exam needs, read once per version and shared by every row."""

    pk: int
    module_id: int
    code: str
    title: str
    module_type: str
    units: int
    legacy_kind: str


#: the version's fields, joined into the module result and programme item rows (same query)
_VERSION_FIELDS = ("module_version_id", "module_version__module_id", "module_version__module__code",
                   "module_version__title", "module_version__module_type", "module_version__units",
                   "module_version__legacy_kind")


def _version(versions: dict, row: tuple, start: int) -> _Version:
    version = versions.get(row[start])
    if version is None:
        version = versions[row[start]] = _Version(*row[start:start + len(_VERSION_FIELDS)])
    return version


@dataclass(frozen=True)
class _Grade:
    pk: int
    code: str
    name: str
    kind: str
    school_exam: object
    central_exam: object
    qualification: str
    extra: bool
    level: str
    part: str


@dataclass(frozen=True)
class _ModuleResult:
    pk: int
    outcome: str
    grade: object
    final_grade: int | None
    level: str
    module_version: _Version


@dataclass(frozen=True)
class _RunningItem:
    pk: int
    level: str
    module_version: _Version


_ACTIVITY_PARTS = ("goals", "results", "evaluation", "follow_up")


def candidate_inputs(students, school_year: int) -> dict[int, CandidateInput]:
    """The engine's Candidate for each student's exam in `school_year`, with its regulation.

    Six queries per chunk of 500 students whatever their number: subject grades (SubjectGrade of the
    exam year: the general subjects, the profielvak with its cspe, LO, ckv, the profielwerkstuk),
    module results (ModuleResult up to the exam year), running programme items without a result,
    programmes (regulation), school policies (regulation, loopbaandossier switch) and LOB activities.
    Every row is read as a plain tuple (no model instances) and each module version once per run, its
    fields joined into the module result and programme item rows: a national cohort costs little more
    than reading its rows (bench/exam_decisions.py).

    The regulation is the programme's, else the school's policy, else the statutory one for the
    cohort. Modules become subjects by regulation: under vmbo-huidig the legacy keuzevakken are
    keuzevakken (the profielvak is the administration's subject grade 'pv' with its cspe, its
    profielmodulen are listed on the cijferlijst); under spv-modulair every kennismakende and
    verdiepende module is a module with its level, type and units. A running module without a result
    is given without a grade, so the engine calls the exam incomplete. An unfinished result counts only for
    a module the programme has as running or completed (a module the student stopped, 'niet afgerond', or
    one outside the programme is not part of the exam); without any programme every result counts. A
    student whose regulation is unknown gets `candidate=None` and the reason in `problems`."""
    from maatwerk.assessment.models import ModuleResult, SubjectGrade
    from maatwerk.domain import CareerCompetency
    from maatwerk.schools.models import SchoolPolicy
    from maatwerk.students.models import CareerActivity, ItemStatus, Programme, ProgrammeItem

    if hasattr(students, "select_related"):
        students = students.select_related("school", "profiel")
    students = list(students)
    out: dict[int, CandidateInput] = {}
    cache: dict = {}
    versions: dict[int, _Version] = {}
    policies = {p["school_id"]: p for p in SchoolPolicy.objects.filter(
        school_id__in={s.school_id for s in students}).values("school_id", "regulation_id", "loopbaandossier_required")}
    competencies = [c.value for c in CareerCompetency]
    running_statuses = (ItemStatus.ENROLLED, ItemStatus.COMPLETED)
    for start in range(0, len(students), _CHUNK):
        chunk = students[start:start + _CHUNK]
        ids = [s.pk for s in chunk]
        grades: dict[int, list] = defaultdict(list)
        for student_id, *row in (SubjectGrade.objects.filter(student_id__in=ids, school_year=school_year)
                                 .order_by("student_id", "code")
                                 .values_list("student_id", "pk", "code", "name", "kind", "school_exam",
                                              "central_exam", "qualification", "extra", "level", "part")):
            grades[student_id].append(_Grade(*row))
        results: dict[int, list] = defaultdict(list)
        for row in (ModuleResult.objects.filter(student_id__in=ids)
                    .filter(Q(school_year__lte=school_year) | Q(school_year__isnull=True))
                    .order_by("student_id", "module_version__module__code")
                    .values_list("student_id", "pk", "outcome", "grade", "final_grade", "level", *_VERSION_FIELDS)):
            results[row[0]].append(_ModuleResult(*row[1:6], _version(versions, row, 6)))
        running: dict[int, list] = defaultdict(list)
        taking: dict[int, set] = {}
        for row in (ProgrammeItem.objects.filter(programme__student_id__in=ids, school_year__lte=school_year)
                    .order_by("pk")
                    .values_list("programme__student_id", "pk", "status", "level", *_VERSION_FIELDS)):
            student_id = row[0]
            taken = taking.setdefault(student_id, set())
            if row[2] in running_statuses:
                version = _version(versions, row, 4)
                running[student_id].append(_RunningItem(row[1], row[3], version))
                taken.add(version.module_id)
        programmes = dict(Programme.objects.filter(student_id__in=ids).values_list("student_id", "regulation_id"))
        activities: dict[int, list] = defaultdict(list)
        # .order_by(): the model's ordering (student: school name, student name, date) would join and sort for
        # nothing; which activities cover the competencies does not depend on their order
        for student_id, *parts, q, m, w, c, n in CareerActivity.objects.filter(student_id__in=ids).order_by().values_list(
                "student_id", *_ACTIVITY_PARTS, *competencies):
            if all(part.strip() for part in parts):  # CareerActivity.is_complete
                activities[student_id].append([key for key, flag in zip(competencies, (q, m, w, c, n), strict=True)
                                               if flag])
        for student in chunk:
            policy = policies.get(student.school_id) or {}
            try:
                regulation = _regulation_for(programmes.get(student.pk) or policy.get("regulation_id"),
                                             student.cohort, policy.get("loopbaandossier_required"), cache)
            except LookupError as exc:
                out[student.pk] = CandidateInput(student, None, None, {}, (str(exc),))
                continue
            taken = taking.get(student.pk)
            out[student.pk] = _candidate_input(
                student, regulation, grades[student.pk],
                [r for r in results[student.pk] if r.outcome in _GRADED or taken is None
                 or r.module_version.module_id in taken],
                running[student.pk], activities[student.pk])
    return out


def _candidate_input(student, regulation, grades, results, running, activities) -> CandidateInput:
    """`activities`: the competencies of each complete LOB activity of the student."""
    spv = regulation.kind == "spv-modulair"
    common = set(regulation.value("gemeenschappelijk_codes"))
    subjects, records, problems = [], [], []

    def add(record: dict, **kwargs) -> None:
        try:
            subjects.append(SubjectInput(**kwargs))
        except RulesInputError as exc:
            problems.append(f"{record['name']} ({record['code']}): {exc}")
            record["refused"] = True
        records.append(record)

    for g in grades:
        kind = g.kind or "algemeen"
        record = {"source": "vakcijfer", "id": g.pk, "code": g.code, "name": g.name, "kind": kind,
                  "school_exam": _text(g.school_exam), "central_exam": _text(g.central_exam),
                  "qualification": g.qualification or None, "extra": g.extra, "level": g.level or None,
                  **({"part": g.part} if g.part else {})}
        add(record, code=g.code, kind=kind, school_exam=g.school_exam, central_exam=g.central_exam,
            qualification=g.qualification or None, extra=g.extra, level=g.level or None,
            part=g.part or ("gemeenschappelijk" if g.code in common else None))
    seen_modules = set()
    for r in results:
        version = r.module_version
        seen_modules.add(version.module_id)
        as_subject = _module_kind(version, spv)
        record = {"source": "module", "id": r.pk, "module_version_id": version.pk, "code": version.code,
                  "name": version.title, "kind": as_subject or "niet meegeteld", "module_type": version.module_type,
                  "units": version.units, "outcome": r.outcome, "school_exam": _text(r.grade),
                  "final_grade": r.final_grade, "level": r.level or None, "legacy_kind": version.legacy_kind or None}
        if as_subject is None:
            records.append(record)
            continue
        grade = r.grade if r.outcome in _GRADED else None
        record["school_exam"] = _text(grade)
        add(record, code=version.code, kind=as_subject, school_exam=grade, level=r.level or None,
            **({"module_type": version.module_type, "units": version.units} if spv else {}))
    for item in running:
        version = item.module_version
        if version.module_id in seen_modules:
            continue
        seen_modules.add(version.module_id)
        as_subject = _module_kind(version, spv)
        if as_subject is None:
            continue
        level = item.level or None
        record = {"source": "programma", "id": item.pk, "module_version_id": version.pk, "code": version.code,
                  "name": version.title, "kind": as_subject, "module_type": version.module_type,
                  "units": version.units, "outcome": "INCOMPLETE", "school_exam": None, "level": level,
                  "legacy_kind": version.legacy_kind or None}
        add(record, code=version.code, kind=as_subject, level=level,
            **({"module_type": version.module_type, "units": version.units} if spv else {}))
    complete, missing = _dossier_covered(activities)
    candidate = Candidate(id=str(student.pk), leerweg=student.leerweg, subjects=tuple(subjects),
                          loopbaandossier_complete=complete)
    inputs = {
        "leerweg": student.leerweg, "cohort": student.cohort, "profiel": student.profiel.code if student.profiel_id else None,
        "regulation": regulation.id, "overrides": list(regulation.overrides),
        "loopbaandossier_complete": complete, "loopbaandossier_missing": missing,
        "subjects": records, "problems": problems,
    }
    return CandidateInput(student, regulation, candidate, inputs, tuple(problems))


def _module_kind(version, spv: bool) -> str | None:
    """How a module counts in the exam: spv-modulair every kennismakende and verdiepende module; vmbo-huidig
    the legacy keuzevakken (profielmodulen make up the profielvak, new modules do not count)."""
    if spv:
        return "module" if version.module_type in ("INTRODUCTORY", "DEEPENING") else None
    return "keuzevak" if version.legacy_kind == "keuzevak" else None
