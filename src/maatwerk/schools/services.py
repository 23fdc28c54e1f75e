"""Write paths of the schools app: one function per use case, permission-checked, in one transaction.

Pages, the API, imports and commands all call these functions; nothing else writes licences,
offerings, packages, the policy, partners or teaching groups. Every rule about what a school may
offer, and whether a package lets a leerweg complete the regulation, is asked of the rules engine
through `maatwerk.engine`; nothing is checked by hand here or in a view.

Errors are `SchoolsError`s: a stable code, a Dutch and an English message and, where the engine
refused, its findings. The API turns them into its JSON errors, pages into messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from maatwerk import engine
from maatwerk.accounts.models import SCHOOL_STAFF_ROLES, Membership
from maatwerk.accounts.predicates import require
from maatwerk.catalog.models import MboQualification, Module, ModuleVersion, Profiel, VersionStatus
from maatwerk.domain import Leerweg
from maatwerk.rules import RegulationError, RulesInputError, Verdict
from maatwerk.rules.findings import Finding
from maatwerk.rules.programme import OfferingInput, ProgrammeInput, ProgrammeItemInput, validate_programme

from .models import (
    Licence,
    Offering,
    Package,
    PackageKind,
    PackageModule,
    Partner,
    PartnerKind,
    School,
    SchoolLocation,
    SchoolPolicy,
    TaughtAt,
    TeachingGroup,
)

LEERWEGEN = tuple(Leerweg.values)


# --- errors ----------------------------------------------------------------------------------------

class SchoolsError(Exception):
    """A refused action: stable `code`, Dutch `nl`, English `en`, the engine's `findings` if any."""

    code = "schools_error"
    status = 400

    def __init__(self, nl: str, en: str = "", *, code: str | None = None, findings: Sequence[Finding] = (),
                 status: int | None = None, field_name: str | None = None):
        self.nl = nl
        self.en = en or nl
        self.code = code or self.code
        self.findings = tuple(findings)
        self.field_name = field_name
        if status is not None:
            self.status = status
        super().__init__(nl)

    def details(self) -> list[dict]:
        return [finding_dict(f) for f in self.findings]


class OfferingRefused(SchoolsError):
    code = "offering_refused"


class InUse(SchoolsError):
    code = "in_use"
    status = 409


class OtherSchool(SchoolsError):
    """A related object (partner, location, student, teacher...) of another school: never linked."""

    code = "other_school"


def finding_dict(f: Finding) -> dict:
    return {"code": f.code, "severity": str(f.severity), "message": f.message, "source": f.source,
            "subject": f.subject}


def _history_by(obj, by) -> None:
    """django-simple-history records who changed a row; outside a request we say it ourselves."""
    if getattr(by, "is_authenticated", False):
        obj._history_user = by


def _same_school(school: School, *objs) -> None:
    for obj in objs:
        if obj is None:
            continue
        if getattr(obj, "school_id", None) != school.pk:
            raise OtherSchool(f"{obj} hoort niet bij {school.name}.", f"{obj} does not belong to this school.")


def _clean_leerwegen(values: Iterable[str]) -> list[str]:
    wanted = {str(v).strip().upper() for v in values if str(v).strip()}
    unknown = wanted - set(LEERWEGEN)
    if unknown:
        raise SchoolsError(f"Onbekende leerweg: {', '.join(sorted(unknown))}. Kies uit BB, KB, GL en TL.",
                           f"Unknown leerweg: {', '.join(sorted(unknown))}.", code="invalid_leerweg")
    return [lw for lw in LEERWEGEN if lw in wanted]


def _school_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise SchoolsError(f"Schooljaar {value!r} klopt niet: gebruik het beginjaar, bijvoorbeeld 2026 voor 2026-2027.",
                           f"School year {value!r} is not valid.", code="invalid_school_year")
    return year


# --- engine inputs -----------------------------------------------------------------------------------

def regulation_of_school(school: School):
    policy = SchoolPolicy.objects.filter(school=school).only("regulation_id").first()
    return engine.regulation_of(policy.regulation_id if policy else "spv-modulair")


def check_offering(*, school: School, version: ModuleVersion, school_year: int, leerwegen: Iterable[str],
                   regulation=None, offering: OfferingInput | None = None) -> Verdict:
    """The engine's verdict on offering `version` (no write)."""
    regulation = regulation or regulation_of_school(school)
    offering = offering or engine.offering_input(school, [school_year])
    return engine.offering_verdict(version, school_year=school_year, leerwegen=leerwegen, regulation=regulation,
                                   offering=offering)


# --- school and licences ---------------------------------------------------------------------------

@transaction.atomic
def change_school_profile(*, school: School, by, description: str | None = None, website: str | None = None,
                          region: str | None = None) -> School:
    """The public description of the school (shown on /scholen/<brin>/)."""
    require(by, "schools.change_school", school)
    for name, value in (("description", description), ("website", website), ("region", region)):
        if value is not None:
            setattr(school, name, value.strip())
    school.full_clean()
    school.save()
    return school


def _check_licence(school: School, profiel: Profiel, from_year: int, to_year: int | None, exclude=None) -> None:
    if to_year is not None and to_year < from_year:
        raise SchoolsError("Het eindjaar van de licentie ligt voor het beginjaar.",
                           "The licence ends before it starts.", code="licence_years")
    overlapping = Licence.objects.filter(school=school, profiel=profiel)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    for other in overlapping:
        ends = other.to_year if other.to_year is not None else 9999
        if other.from_year <= (to_year if to_year is not None else 9999) and from_year <= ends:
            raise SchoolsError(f"De school heeft al een licentie voor {profiel.name} in die jaren ({other}).",
                               "The school already holds a licence for this profiel in those years.",
                               code="licence_overlap")


@transaction.atomic
def add_licence(*, school: School, profiel: Profiel, from_year: int, to_year: int | None = None, by) -> Licence:
    require(by, "schools.change_licence", school)
    from_year = _school_year(from_year)
    to_year = _school_year(to_year) if to_year not in (None, "") else None
    _check_licence(school, profiel, from_year, to_year)
    licence = Licence(school=school, profiel=profiel, from_year=from_year, to_year=to_year)
    _history_by(licence, by)
    licence.save()
    return licence


@transaction.atomic
def change_licence(*, licence: Licence, from_year: int, to_year: int | None, by) -> Licence:
    require(by, "schools.change_licence", licence)
    from_year = _school_year(from_year)
    to_year = _school_year(to_year) if to_year not in (None, "") else None
    _check_licence(licence.school, licence.profiel, from_year, to_year, exclude=licence)
    licence.from_year, licence.to_year = from_year, to_year
    _history_by(licence, by)
    licence.save()
    return licence


@transaction.atomic
def remove_licence(*, licence: Licence, by) -> None:
    require(by, "schools.change_licence", licence)
    _history_by(licence, by)
    licence.delete()


# --- offerings -------------------------------------------------------------------------------------

@dataclass
class BulkResult:
    """What a bulk action did: created rows, rows that already existed, and refusals with findings."""

    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    refused: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    warnings: dict[str, tuple[Finding, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "created": [o.pk for o in self.created],
            "existing": [o.pk for o in self.existing],
            "refused": {code: [finding_dict(f) for f in fs] for code, fs in self.refused.items()},
            "warnings": {code: [finding_dict(f) for f in fs] for code, fs in self.warnings.items()},
        }


def _offering_fields(school, *, location, partner, taught_at, capacity, teachers) -> None:
    _same_school(school, location, partner)
    if taught_at not in TaughtAt.values:
        raise SchoolsError(f"Onbekende plek {taught_at!r}: kies op school, bij een partner of beide.",
                           "Unknown place of teaching.", code="invalid_taught_at")
    if taught_at != TaughtAt.SCHOOL and partner is None:
        raise SchoolsError("Kies de partner waar de module (ook) gegeven wordt.",
                           "Choose the partner where the module is taught.", code="partner_required",
                           field_name="partner")
    if capacity is not None and int(capacity) < 1:
        raise SchoolsError("Het aantal plaatsen is ten minste 1 (of laat het leeg).",
                           "Capacity must be at least 1.", code="invalid_capacity", field_name="capacity")
    staff = set(Membership.objects.active().filter(school=school, role__in=SCHOOL_STAFF_ROLES)
                .values_list("user_id", flat=True))
    for teacher in teachers:
        if teacher.pk not in staff:
            raise OtherSchool(f"Deze docent werkt niet op {school.name}.", "The teacher does not work at this school.")


@transaction.atomic
def plan_offering(*, school: School, module_version: ModuleVersion, school_year: int,
                  leerwegen: Iterable[str] | None = None, location: SchoolLocation | None = None,
                  capacity: int | None = None, taught_at: str = TaughtAt.SCHOOL, partner: Partner | None = None,
                  teachers: Iterable = (), note: str = "", by) -> tuple[Offering, Verdict]:
    """Offer a module version in a school year. Refused (OfferingRefused, with the engine's findings)
    when the engine says the school may not: no licence for its profiel, withdrawn, retired from the
    menukaart, a concept, or not for a chosen leerweg. Warnings (a newer version exists) are returned."""
    require(by, "schools.change_offering", school)
    school_year = _school_year(school_year)
    leerwegen = _clean_leerwegen(module_version.leerwegen if leerwegen is None else leerwegen)
    if not leerwegen:
        raise SchoolsError("Kies ten minste één leerweg.", "Choose at least one leerweg.", code="no_leerweg",
                           field_name="leerwegen")
    teachers = list(teachers)
    _offering_fields(school, location=location, partner=partner, taught_at=taught_at, capacity=capacity,
                     teachers=teachers)
    verdict = check_offering(school=school, version=module_version, school_year=school_year, leerwegen=leerwegen)
    if not verdict.ok:
        raise OfferingRefused(
            f"{module_version.module.code} kan niet in het aanbod: " + " ".join(f.message for f in verdict.errors),
            f"{module_version.module.code} cannot be offered: {', '.join(f.code for f in verdict.errors)}.",
            findings=verdict.findings)
    if Offering.objects.filter(school=school, school_year=school_year, location=location,
                               module_version__module=module_version.module).exists():
        raise SchoolsError(f"{module_version.module.code} staat al in het aanbod van {school_year}-{school_year + 1}"
                           f"{' op deze vestiging' if location else ''}.",
                           "The module is already offered in that school year.", code="offering_exists",
                           status=409)
    offering = Offering(school=school, module_version=module_version, school_year=school_year, location=location,
                        capacity=capacity, taught_at=taught_at, partner=partner, note=note)
    offering.leerwegen = leerwegen
    _history_by(offering, by)
    offering.save()
    if teachers:
        offering.teachers.set(teachers)
    return offering, verdict


@transaction.atomic
def plan_offerings(*, school: School, versions: Iterable[ModuleVersion], school_year: int,
                   leerwegen: Iterable[str] | None = None, location: SchoolLocation | None = None,
                   by) -> BulkResult:
    """Offer many module versions at once (ticked on the menukaart). Each version is offered for the
    chosen leerwegen it has an elaboration for (all of its own when none are chosen). What the engine
    refuses is reported with its findings and not added; the rest is added; existing ones are kept."""
    require(by, "schools.change_offering", school)
    school_year = _school_year(school_year)
    _same_school(school, location)
    wanted = _clean_leerwegen(leerwegen) if leerwegen else None
    regulation = regulation_of_school(school)
    offering = engine.offering_input(school, [school_year])
    versions = list(versions)
    already = {
        o.module_version.module_id: o
        for o in Offering.objects.filter(school=school, school_year=school_year, location=location)
        .select_related("module_version")
    }
    result = BulkResult()
    for version in versions:
        code = version.module.code
        if version.module_id in already:
            result.existing.append(already[version.module_id])
            continue
        own = version.leerwegen
        chosen = [lw for lw in (wanted or own) if lw in own] or (wanted or own)
        verdict = engine.offering_verdict(version, school_year=school_year, leerwegen=chosen,
                                          regulation=regulation, offering=offering)
        if not verdict.ok:
            result.refused[code] = verdict.findings
            continue
        if verdict.warnings:
            result.warnings[code] = verdict.warnings
        new = Offering(school=school, module_version=version, school_year=school_year, location=location)
        new.leerwegen = chosen
        _history_by(new, by)
        new.save()
        already[version.module_id] = new
        result.created.append(new)
    return result


@transaction.atomic
def copy_offerings(*, school: School, from_year: int, to_year: int, by) -> BulkResult:
    """Copy last year's offering to a new school year: the same modules, leerwegen, places, partners and
    teachers, each at the version in force (a superseded version becomes the current one). What the
    engine refuses in the new year (licence ended, module retired or withdrawn) is reported and skipped."""
    require(by, "schools.change_offering", school)
    from_year, to_year = _school_year(from_year), _school_year(to_year)
    if from_year == to_year:
        raise SchoolsError("Kies een ander schooljaar om naartoe te kopiëren.", "Choose another school year.",
                           code="same_school_year")
    regulation = regulation_of_school(school)
    offering_in = engine.offering_input(school, [to_year])
    source = list(
        Offering.objects.filter(school=school, school_year=from_year)
        .select_related("module_version__module__current_version__module")
        .prefetch_related("module_version__profielen", "module_version__module__current_version__profielen",
                          "teachers")
    )
    existing = {(o.module_version.module_id, o.location_id): o for o in
                Offering.objects.filter(school=school, school_year=to_year).select_related("module_version")}
    result = BulkResult()
    for old in source:
        module = old.module_version.module
        key = (module.pk, old.location_id)
        if key in existing:
            result.existing.append(existing[key])
            continue
        current = module.current_version
        version = current if (current is not None and current.status == VersionStatus.PUBLISHED) else old.module_version
        leerwegen = [lw for lw in old.leerwegen if lw in version.leerwegen] or old.leerwegen
        verdict = engine.offering_verdict(version, school_year=to_year, leerwegen=leerwegen, regulation=regulation,
                                          offering=offering_in)
        if not verdict.ok:
            result.refused[module.code] = verdict.findings
            continue
        if verdict.warnings:
            result.warnings[module.code] = verdict.warnings
        new = Offering(school=school, module_version=version, school_year=to_year, location_id=old.location_id,
                       capacity=old.capacity, taught_at=old.taught_at, partner_id=old.partner_id, note=old.note)
        new.leerwegen = leerwegen
        _history_by(new, by)
        new.save()
        teachers = list(old.teachers.all())
        if teachers:
            new.teachers.set(teachers)
        existing[key] = new
        result.created.append(new)
    return result


@transaction.atomic
def change_offering(*, offering: Offering, by, leerwegen: Iterable[str] | None = None, **fields) -> tuple[Offering, Verdict]:
    """Change where, for whom and by whom a module is offered; the engine checks the leerwegen again."""
    require(by, "schools.change_offering", offering)
    school = offering.school
    allowed = {"location", "capacity", "taught_at", "partner", "note", "teachers", "module_version"}
    unknown = set(fields) - allowed
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    teachers = fields.pop("teachers", None)
    for name, value in fields.items():
        setattr(offering, name, value)
    if leerwegen is not None:
        offering.leerwegen = _clean_leerwegen(leerwegen)
    if not offering.leerwegen:
        raise SchoolsError("Kies ten minste één leerweg.", "Choose at least one leerweg.", code="no_leerweg",
                           field_name="leerwegen")
    _offering_fields(school, location=offering.location, partner=offering.partner, taught_at=offering.taught_at,
                     capacity=offering.capacity, teachers=list(teachers or ()))
    if offering.taught_at == TaughtAt.SCHOOL:
        offering.partner = None
    verdict = check_offering(school=school, version=offering.module_version, school_year=offering.school_year,
                             leerwegen=offering.leerwegen)
    if not verdict.ok:
        raise OfferingRefused(" ".join(f.message for f in verdict.errors),
                              ", ".join(f.code for f in verdict.errors), findings=verdict.findings)
    groups_outside = [
        s for g in offering.groups.prefetch_related("students") for s in g.students.all()
        if s.leerweg not in offering.leerwegen
    ]
    if groups_outside:
        raise SchoolsError(
            f"In de lesgroepen van deze module zitten leerlingen van een leerweg die u weghaalt "
            f"({', '.join(sorted({s.leerweg for s in groups_outside}))}). Haal ze eerst uit de groep.",
            "Students of a removed leerweg are in a teaching group of this offering.", code="leerweg_in_use",
            status=409)
    _history_by(offering, by)
    try:
        with transaction.atomic():
            offering.save()
    except IntegrityError as exc:
        raise SchoolsError("Deze module staat in dat schooljaar al op die vestiging in het aanbod.",
                           "Already offered there.", code="offering_exists", status=409) from exc
    if teachers is not None:
        offering.teachers.set(teachers)
    return offering, verdict


@transaction.atomic
def remove_offering(*, offering: Offering, by) -> None:
    require(by, "schools.change_offering", offering)
    if offering.groups.exists():
        raise InUse("Er zijn lesgroepen voor dit aanbod. Verwijder of verplaats eerst de lesgroepen.",
                    "Teaching groups use this offering.")
    _history_by(offering, by)
    try:
        offering.delete()
    except ProtectedError as exc:
        raise InUse("Dit aanbod is nog in gebruik en kan niet weg.", "The offering is in use.") from exc


# --- packages --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackageCheck:
    """The engine's verdict per leerweg for a package, and the mbo qualifications its modules lead to."""

    verdicts: dict[str, Verdict]
    leads_to: tuple[MboQualification, ...] = ()

    @property
    def completable(self) -> list[str]:
        return [lw for lw, v in self.verdicts.items() if v.ok]


def _module_rows(modules) -> list[tuple[Module, int | None, bool]]:
    rows = []
    for entry in modules:
        if isinstance(entry, Module):
            rows.append((entry, None, True))
        elif isinstance(entry, dict):
            rows.append((entry["module"], entry.get("year_level"), entry.get("required", True)))
        else:
            module, *rest = entry
            rows.append((module, rest[0] if rest else None, rest[1] if len(rest) > 1 else True))
    seen, out = set(), []
    for module, year_level, required in rows:
        if module.pk in seen:
            continue
        if year_level not in (None, "") and not 1 <= int(year_level) <= 6:
            raise SchoolsError(f"Leerjaar {year_level} bij {module.code} klopt niet (1 tot en met 6).",
                               "Year level must be 1-6.", code="invalid_year_level")
        seen.add(module.pk)
        out.append((module, int(year_level) if year_level not in (None, "") else None, bool(required)))
    return out


def check_package(*, school: School, modules: Iterable[Module], school_year: int, regulation=None,
                  policy=None, offering=None) -> PackageCheck:
    """Can each leerweg complete the regulation with these modules? (no write; used live by the builder).
    `modules` are catalog Modules with `current_version` (+ its profielen and mbo qualifications)
    loaded; see selectors.modules_for_engine."""
    modules = list(modules)
    regulation = regulation or regulation_of_school(school)
    policy = policy if policy is not None else engine.policy_input(school)
    offering = offering if offering is not None else engine.offering_input(school, [school_year, school_year + 1])
    verdicts = engine.package_verdicts(modules, school_year=school_year, regulation=regulation, policy=policy,
                                       offering=offering)
    leads = {}
    for module in modules:
        version = module.current_version
        if version is not None:
            for q in version.mbo_qualifications.all():
                leads[q.pk] = q
    return PackageCheck(verdicts=verdicts, leads_to=tuple(sorted(leads.values(), key=lambda q: (q.name, q.crebo))))


def _validate_package(school, name, kind, mbo_qualifications) -> None:
    if not (name or "").strip():
        raise SchoolsError("Geef het pakket een naam.", "A package needs a name.", code="name_required",
                           field_name="name")
    if kind not in PackageKind.values:
        raise SchoolsError("Kies breed of smal.", "Choose broad or narrow.", code="invalid_kind", field_name="kind")


def _set_modules(package: Package, rows) -> None:
    PackageModule.objects.filter(package=package).delete()
    PackageModule.objects.bulk_create(
        PackageModule(package=package, module=module, year_level=year_level, required=required, order=i)
        for i, (module, year_level, required) in enumerate(rows)
    )


@transaction.atomic
def create_package(*, school: School, name: str, kind: str, school_year: int, by, description: str = "",
                   regional_rationale: str = "", is_public: bool = True, modules: Iterable = (),
                   mbo_qualifications: Iterable[MboQualification] = ()) -> Package:
    """A package of modules for students to choose. It is saved even when a leerweg cannot complete
    the regulation with it: `check_package` flags that per leerweg, with the engine's findings."""
    require(by, "schools.change_package", school)
    school_year = _school_year(school_year)
    _validate_package(school, name, kind, mbo_qualifications)
    rows = _module_rows(modules)
    if Package.objects.filter(school=school, school_year=school_year, name=name.strip()).exists():
        raise SchoolsError(f"Er is in {school_year}-{school_year + 1} al een pakket '{name.strip()}'.",
                           "A package with this name exists.", code="package_exists", status=409,
                           field_name="name")
    package = Package(school=school, name=name.strip(), kind=kind, school_year=school_year,
                      description=description, regional_rationale=regional_rationale, is_public=is_public)
    _history_by(package, by)
    package.save()
    _set_modules(package, rows)
    package.mbo_qualifications.set(list(mbo_qualifications))
    return package


@transaction.atomic
def change_package(*, package: Package, by, modules: Iterable | None = None,
                   mbo_qualifications: Iterable[MboQualification] | None = None, **fields) -> Package:
    require(by, "schools.change_package", package)
    allowed = {"name", "kind", "description", "regional_rationale", "is_public", "school_year"}
    unknown = set(fields) - allowed
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    for name, value in fields.items():
        setattr(package, name, value.strip() if isinstance(value, str) else value)
    package.school_year = _school_year(package.school_year)
    _validate_package(package.school, package.name, package.kind, mbo_qualifications)
    if Package.objects.filter(school=package.school, school_year=package.school_year, name=package.name) \
            .exclude(pk=package.pk).exists():
        raise SchoolsError(f"Er is in dat schooljaar al een pakket '{package.name}'.",
                           "A package with this name exists.", code="package_exists", status=409,
                           field_name="name")
    _history_by(package, by)
    package.save()
    if modules is not None:
        _set_modules(package, _module_rows(modules))
    if mbo_qualifications is not None:
        package.mbo_qualifications.set(list(mbo_qualifications))
    return package


@transaction.atomic
def remove_package(*, package: Package, by) -> None:
    require(by, "schools.change_package", package)
    _history_by(package, by)
    package.delete()


# --- policy ----------------------------------------------------------------------------------------

POLICY_FIELDS = ("regulation_id", "introductory_before_deepening", "extra_min_units", "extra_min_introductory",
                 "extra_min_deepening", "max_units_per_year", "loopbaandossier_required")


@transaction.atomic
def save_policy(*, school: School, by, **fields) -> SchoolPolicy:
    """The school's own rules on top of the regulation. The engine validates them: known leerwegen,
    a known regulation, and a yearly maximum that still lets every leerweg reach its minimum."""
    require(by, "schools.change_policy", school)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    policy, _ = SchoolPolicy.objects.select_for_update().get_or_create(school=school)
    for name, value in fields.items():
        setattr(policy, name, value)
    if not isinstance(policy.extra_min_units or {}, dict):
        raise SchoolsError("Geef de extra minimums per leerweg, bijvoorbeeld {\"KB\": 2}.",
                           "Give the extra minimums per leerweg, e.g. {\"KB\": 2}.", code="invalid_policy",
                           field_name="extra_min_units")
    extra = {}
    for lw, value in (policy.extra_min_units or {}).items():
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = -1
        if n < 0:
            raise SchoolsError(f"Het extra minimum voor {lw} moet een geheel getal van 0 of meer zijn.",
                               "Extra minimums are whole numbers >= 0.", code="invalid_policy",
                               field_name="extra_min_units")
        if n:
            extra[str(lw).upper()] = n
    policy.extra_min_units = extra
    try:
        regulation = engine.regulation_of(policy.regulation_id)
        policy_in = engine.SchoolPolicyInput(
            introductory_before_deepening=policy.introductory_before_deepening, extra_min_units=extra,
            extra_min_introductory=policy.extra_min_introductory, extra_min_deepening=policy.extra_min_deepening,
            max_units_per_year=policy.max_units_per_year,
        )
    except LookupError as exc:
        raise SchoolsError(f"Onbekende regeling '{policy.regulation_id}'.", "Unknown regulation.",
                           code="invalid_policy", field_name="regulation_id") from exc
    except (RulesInputError, RegulationError) as exc:
        raise SchoolsError(getattr(exc, "nl", str(exc)), getattr(exc, "en", str(exc)), code="invalid_policy",
                           field_name="extra_min_units") from exc
    if policy.max_units_per_year is not None and policy.max_units_per_year < 1:
        raise SchoolsError("Het maximum per schooljaar is ten minste 1 (of laat het leeg).",
                           "The yearly maximum is at least 1.", code="invalid_policy", field_name="max_units_per_year")
    # Within the regulation: with the school's maximum, each leerweg must still be able to reach its
    # minimum. Asked of the engine with an ideal package (enough modules of each type).
    if regulation.kind == "spv-modulair":
        from maatwerk.rules.programme import ModuleRef, package_completable

        ideal = tuple(ModuleRef(code=f"X{i}", version_id=i, title="", module_type=t)
                      for i, t in enumerate(["INTRODUCTORY"] * 12 + ["DEEPENING"] * 12))
        for lw in LEERWEGEN:
            verdict = package_completable(ideal, lw, regulation, policy_in, None)
            capacity = [f for f in verdict.findings if f.code == "PACKAGE_YEAR_CAPACITY"]
            if capacity:
                raise SchoolsError(f"Met dit beleid kan een leerling in de leerweg {lw} het minimum niet halen: "
                                   f"{capacity[0].message}", "The policy makes the minimum unreachable.",
                                   code="policy_outside_regulation", findings=capacity,
                                   field_name="max_units_per_year")
    _history_by(policy, by)
    policy.save()
    return policy


# --- partners --------------------------------------------------------------------------------------

PARTNER_FIELDS = ("name", "kind", "city", "offers_outside_learning", "offers_internship", "offers_assessment",
                  "contact_name", "contact_email", "contact_phone", "description")


def _clean_partner(partner: Partner) -> None:
    if not partner.name.strip():
        raise SchoolsError("Geef de naam van de organisatie.", "A partner needs a name.", code="name_required",
                           field_name="name")
    if partner.kind not in PartnerKind.values:
        raise SchoolsError("Kies de soort organisatie.", "Choose a kind.", code="invalid_kind", field_name="kind")
    from django.core.exceptions import ValidationError

    try:
        partner.full_clean(exclude=["school"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise SchoolsError(" ".join(messages), "Invalid partner.", code="invalid", field_name=field_name) from exc
    clash = Partner.objects.filter(school=partner.school_id, name=partner.name.strip()).exclude(pk=partner.pk)
    if clash.exists():
        raise SchoolsError(f"Er is al een partner '{partner.name}'.", "A partner with this name exists.",
                           code="partner_exists", status=409, field_name="name")


@transaction.atomic
def create_partner(*, school: School, by, **fields) -> Partner:
    require(by, "schools.change_partner", school)
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    partner = Partner(school=school, **fields)
    partner.name = partner.name.strip()
    _clean_partner(partner)
    partner.save()
    return partner


@transaction.atomic
def change_partner(*, partner: Partner, by, **fields) -> Partner:
    require(by, "schools.change_partner", partner)
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.name = partner.name.strip()
    _clean_partner(partner)
    partner.save()
    return partner


@transaction.atomic
def remove_partner(*, partner: Partner, by) -> None:
    require(by, "schools.change_partner", partner)
    if partner.memberships.exists():
        raise InUse("Er zijn externe beoordelaars van deze partner. Beëindig eerst hun toegang.",
                    "Assessors of this partner still have access.")
    if partner.offerings.exists():
        raise InUse("Er wordt nog een module bij deze partner gegeven. Pas eerst het aanbod aan.",
                    "An offering is taught at this partner.")
    try:
        partner.delete()
    except ProtectedError as exc:  # e.g. the mbo college of a doorlopende leerroute
        raise InUse("Deze partner wordt nog gebruikt, bijvoorbeeld in een doorlopende leerroute. Pas dat eerst aan.",
                    "The partner is still in use (e.g. by a continuous route).") from exc


# --- teaching groups -------------------------------------------------------------------------------

def _membership_findings(offering: Offering, students) -> dict[int, tuple[Finding, ...]]:
    """Per student: the engine's findings when the offering is not for their leerweg."""
    version = offering.module_version
    offered = OfferingInput(offered=frozenset((version.module.code, offering.school_year, lw)
                                              for lw in offering.leerwegen))
    ref = engine.module_ref(version, offering.school_year)
    item = ProgrammeItemInput(module=ref, school_year=offering.school_year, year_level=3, status="enrolled")
    out = {}
    for student in students:
        verdict = validate_programme(
            ProgrammeInput(student_id=student.pk, leerweg=student.leerweg, year_level=student.year_level,
                           cohort=student.cohort, profiel=None, items=(item,)),
            engine.regulation_of("spv-modulair"), None, offered)
        bad = tuple(f for f in verdict.findings
                    if f.code in {"PROGRAMME_MODULE_NOT_OFFERED", "PROGRAMME_MODULE_WRONG_LEERWEG"})
        if bad:
            out[student.pk] = bad
    return out


def _check_group(school, offering, teacher, students) -> None:
    _same_school(school, offering, *students)
    if teacher is not None and not Membership.objects.active().filter(
            user=teacher, school=school, role__in=SCHOOL_STAFF_ROLES).exists():
        raise OtherSchool(f"Deze docent werkt niet op {school.name}.", "The teacher does not work at this school.")
    refused = _membership_findings(offering, students)
    if refused:
        names = {s.pk: s.full_name for s in students}
        findings = [f for fs in refused.values() for f in fs]
        raise SchoolsError(
            "Deze module wordt niet aangeboden voor de leerweg van "
            + ", ".join(names[pk] for pk in refused) + f" (aangeboden voor {', '.join(offering.leerwegen)}).",
            "The offering is not for the leerweg of some students.", code="student_leerweg_not_offered",
            findings=findings, field_name="students")


@transaction.atomic
def create_teaching_group(*, school: School, offering: Offering, name: str, by, period: int | None = None,
                          teacher=None, schedule: str = "", students: Iterable = ()) -> TeachingGroup:
    """A teaching group of an offering; its students may come from every leerweg the offering is for."""
    require(by, "schools.change_teaching_group", school)
    students = list(students)
    if not (name or "").strip():
        raise SchoolsError("Geef de lesgroep een naam.", "A teaching group needs a name.", code="name_required",
                           field_name="name")
    if period not in (None, "") and not 1 <= int(period) <= 4:
        raise SchoolsError("De periode is 1, 2, 3 of 4 (of leeg).", "Period is 1-4.", code="invalid_period",
                           field_name="period")
    _check_group(school, offering, teacher, students)
    if TeachingGroup.objects.filter(offering=offering, name=name.strip()).exists():
        raise SchoolsError(f"Er is al een lesgroep '{name.strip()}' voor deze module.",
                           "A group with this name exists.", code="group_exists", status=409, field_name="name")
    group = TeachingGroup.objects.create(school=school, offering=offering, name=name.strip(),
                                         period=period or None, teacher=teacher, schedule=schedule)
    if students:
        group.students.set(students)
    return group


@transaction.atomic
def change_teaching_group(*, group: TeachingGroup, by, students: Iterable | None = None, **fields) -> TeachingGroup:
    require(by, "schools.change_teaching_group", group)
    allowed = {"name", "period", "teacher", "schedule", "offering"}
    unknown = set(fields) - allowed
    if unknown:
        raise SchoolsError(f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.", code="invalid")
    for name, value in fields.items():
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    if group.period not in (None, "") and not 1 <= int(group.period) <= 4:
        raise SchoolsError("De periode is 1, 2, 3 of 4 (of leeg).", "Period is 1-4.", code="invalid_period",
                           field_name="period")
    group.period = group.period or None
    members = list(students) if students is not None else list(group.students.all())
    _check_group(group.school, group.offering, group.teacher, members)
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as exc:
        raise SchoolsError(f"Er is al een lesgroep '{group.name}' voor deze module.",
                           "A group with this name exists.", code="group_exists", status=409) from exc
    if students is not None:
        group.students.set(members)
    return group


@transaction.atomic
def add_students(*, group: TeachingGroup, students: Iterable, by) -> TeachingGroup:
    require(by, "schools.change_teaching_group", group)
    students = list(students)
    _check_group(group.school, group.offering, None, students)
    group.students.add(*students)
    return group


@transaction.atomic
def remove_student(*, group: TeachingGroup, student, by) -> TeachingGroup:
    require(by, "schools.change_teaching_group", group)
    group.students.remove(student)
    return group


@transaction.atomic
def remove_teaching_group(*, group: TeachingGroup, by) -> None:
    require(by, "schools.change_teaching_group", group)
    group.delete()
