"""Reads of the schools app shared by pages, the API, imports and exports.

Everything a user sees goes through `accounts.scoping.visible_to`; each selector loads what its page
shows in a fixed number of queries (select_related/prefetch_related), whatever the number of rows.
The one exception is `public_school`: the school page for parents and pupils, which shows only what
the school publishes (no personal data) to everybody.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from maatwerk import engine
from maatwerk.accounts.models import SCHOOL_STAFF_ROLES, Membership, Role
from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to
from maatwerk.catalog.models import MboQualification, Module, ModuleGuide, ModuleVersion, VersionStatus
from maatwerk.domain import school_year_of
from maatwerk.students.models import Student

from .models import (
    Licence,
    Offering,
    Package,
    PackageModule,
    Partner,
    School,
    SchoolLocation,
    SchoolPolicy,
    TeachingGroup,
)

MANAGEMENT_ROLES = frozenset({Role.SCHOOL_LEADER, Role.COUNSELLOR})


# --- the user's school -------------------------------------------------------------------------------

def schools_of(user, roles=None) -> QuerySet[School]:
    """The schools where `user` works (with one of `roles`), through the tenancy filter."""
    qs = visible_to(user, School)
    if user.is_superuser:
        return qs.order_by("name")
    ids = roles_of(user).schools(roles if roles is not None else SCHOOL_STAFF_ROLES)
    return qs.filter(pk__in=ids).order_by("name")


def planning_year(today=None) -> int:
    """The school year a school plans now: the next one."""
    return school_year_of(today) + 1


# --- offerings ---------------------------------------------------------------------------------------

def offerings(user, *, school: School | None = None, school_year: int | None = None) -> QuerySet[Offering]:
    qs = visible_to(user, Offering).select_related(
        "school", "location", "partner", "module_version__module",
    ).prefetch_related("module_version__profielen", "teachers").annotate(group_count=Count("groups", distinct=True))
    if school is not None:
        qs = qs.filter(school=school)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return qs.order_by("school_year", "module_version__module__code", "location__number")


def offering_years(school: School) -> list[int]:
    return sorted(set(Offering.objects.filter(school=school).values_list("school_year", flat=True)))


def filter_offerings(qs, *, q: str = "", profiel: str = "", module_type: str = "", leerweg: str = "",
                     location: str = ""):
    if q:
        qs = qs.filter(Q(module_version__module__code__icontains=q) | Q(module_version__title__icontains=q))
    if profiel:
        qs = qs.filter(module_version__profielen__code=profiel)
    if module_type:
        qs = qs.filter(module_version__module_type=module_type)
    if leerweg:
        qs = qs.filter(**{f"for_{leerweg.lower()}": True})
    if location:
        qs = qs.filter(location__number=location)
    return qs.distinct()


def menukaart_for_planning(user, *, school_year: int, q: str = "", profiel: str = "", module_type: str = "",
                           leerweg: str = "", limit: int = 300) -> QuerySet[ModuleVersion]:
    """Published versions on the menukaart in `school_year` (not retired then), to tick and add."""
    qs = (
        visible_to(user, ModuleVersion).filter(status=VersionStatus.PUBLISHED)
        .filter(Q(module__retired_from__isnull=True) | Q(module__retired_from__gt=school_year))
        .select_related("module").prefetch_related("profielen")
    )
    if q:
        qs = qs.filter(Q(module__code__icontains=q) | Q(title__icontains=q) | Q(search_text__icontains=q.lower()))
    if profiel:
        qs = qs.filter(profielen__code=profiel)
    if module_type:
        qs = qs.filter(module_type=module_type)
    if leerweg in {"BB", "KB", "GL", "TL"}:
        qs = qs.filter(**{f"for_{leerweg.lower()}": True})
    return qs.distinct().order_by("module__code")[:limit]


def offered_module_ids(school: School, school_year: int) -> set[int]:
    return set(Offering.objects.filter(school=school, school_year=school_year)
               .values_list("module_version__module_id", flat=True))


def modules_offered(user, school: School, school_years) -> set[int]:
    return set(visible_to(user, Offering).filter(school=school, school_year__in=list(school_years))
               .values_list("module_version__module_id", flat=True))


def offering_verdicts(rows, school: School, school_year: int) -> dict:
    """The engine's verdict on each offering row as it stands (a module retired since, a licence that
    ended, a newer version): no query per row (versions, modules and profielen are loaded)."""
    from .services import regulation_of_school

    rows = list(rows)
    if not rows:
        return {}
    regulation = regulation_of_school(school)
    offering_in = engine.offering_input(school, [school_year])
    return {o.pk: engine.offering_verdict(o.module_version, school_year=o.school_year, leerwegen=o.leerwegen,
                                          regulation=regulation, offering=offering_in) for o in rows}


def menukaart_checks(versions, school: School, school_year: int) -> dict:
    """Per menukaart version: may the school offer it (for the leerwegen it has)? Asked of the engine."""
    from .services import regulation_of_school

    versions = list(versions)
    regulation = regulation_of_school(school)
    offering_in = engine.offering_input(school, [school_year])
    return {v.pk: engine.offering_verdict(v, school_year=school_year, leerwegen=v.leerwegen or ["BB"],
                                          regulation=regulation, offering=offering_in) for v in versions}


def licences(user, school: School) -> QuerySet[Licence]:
    return visible_to(user, Licence).filter(school=school).select_related("profiel").order_by("profiel__name",
                                                                                             "from_year")


# --- packages ----------------------------------------------------------------------------------------

def modules_for_engine(qs=None) -> QuerySet[Module]:
    """Modules with their version in force, its profielen and mbo qualifications (three queries)."""
    qs = qs if qs is not None else Module.objects.all()
    return qs.select_related("current_version__module").prefetch_related(
        "current_version__profielen", "current_version__mbo_qualifications")


def packages(user, *, school: School | None = None, school_year: int | None = None) -> QuerySet[Package]:
    qs = visible_to(user, Package).select_related("school").prefetch_related(
        Prefetch("package_modules", queryset=PackageModule.objects.select_related(
            "module__current_version__module").prefetch_related(
            "module__current_version__profielen", "module__current_version__mbo_qualifications")
            .order_by("order", "pk")),
        "mbo_qualifications",
    )
    if school is not None:
        qs = qs.filter(school=school)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return qs.order_by("school_year", "name")


def package_years(school: School) -> list[int]:
    return sorted(set(Package.objects.filter(school=school).values_list("school_year", flat=True)))


def package_checks(package_list, school: School):
    """The engine's verdicts for many packages of one school: a fixed number of queries."""
    from .services import check_package, regulation_of_school

    package_list = list(package_list)
    if not package_list:
        return {}
    years = sorted({p.school_year for p in package_list})
    regulation = regulation_of_school(school)
    policy = engine.policy_input(school)
    offering = engine.offering_input(school, sorted(set(years) | {y + 1 for y in years}))
    return {
        p.pk: check_package(school=school, modules=[pm.module for pm in p.package_modules.all()],
                            school_year=p.school_year, regulation=regulation, policy=policy, offering=offering)
        for p in package_list
    }


def mbo_qualifications() -> QuerySet[MboQualification]:
    return MboQualification.objects.prefetch_related("profielen").order_by("name")


# --- partners, policy, people --------------------------------------------------------------------------

def partners(user, school: School) -> QuerySet[Partner]:
    return visible_to(user, Partner).filter(school=school).annotate(
        offering_count=Count("offerings", distinct=True)).order_by("name")


def policy_of(user, school: School) -> SchoolPolicy | None:
    return visible_to(user, SchoolPolicy).filter(school=school).first()


def locations(user, school: School) -> QuerySet[SchoolLocation]:
    return visible_to(user, SchoolLocation).filter(school=school).order_by("number")


def staff_of(school: School, roles=SCHOOL_STAFF_ROLES):
    """Users working at `school` (active memberships), for teacher choices."""
    from maatwerk.accounts.models import User

    ids = Membership.objects.active().filter(school=school, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


def teachers_of(school: School, extra=()):
    """Who can teach a module: docenten and mentors of the school (and whoever teaches it already)."""
    from maatwerk.accounts.models import User

    ids = Membership.objects.active().filter(school=school, role__in=[Role.TEACHER, Role.MENTOR]).values("user_id")
    return User.objects.filter(Q(pk__in=ids) | Q(pk__in=[u.pk for u in extra])).distinct().order_by(
        "last_name", "first_name")


def students(user, school: School) -> QuerySet[Student]:
    return visible_to(user, Student).filter(school=school, left_on__isnull=True).order_by(
        "year_level", "class_name", "last_name", "first_name")


# --- teaching groups ---------------------------------------------------------------------------------

def teaching_groups(user, *, school: School | None = None, school_year: int | None = None) -> QuerySet[TeachingGroup]:
    qs = visible_to(user, TeachingGroup).select_related(
        "offering__module_version__module", "offering__location", "offering__partner", "teacher",
    ).prefetch_related(Prefetch("students", queryset=Student.objects.only("pk", "leerweg", "school_id", "student_number")))
    if school is not None:
        qs = qs.filter(school=school)
    if school_year is not None:
        qs = qs.filter(offering__school_year=school_year)
    return qs.order_by("offering__module_version__module__code", "name")


def teaching_group(user, pk) -> TeachingGroup:
    qs = visible_to(user, TeachingGroup).select_related(
        "school", "offering__module_version__module", "offering__location", "offering__partner", "teacher",
    ).prefetch_related(
        Prefetch("students", queryset=Student.objects.select_related("mentor").order_by("last_name", "first_name")),
        Prefetch("offering__module_version__guides", queryset=ModuleGuide.objects.order_by("leerweg")),
    )
    return get_visible_or_404(user, qs, pk=pk)


@dataclass
class StudentRow:
    student: Student
    guide: ModuleGuide | None


def group_rows(group: TeachingGroup) -> list[StudentRow]:
    """Each student of a group with the handreiking of the module for their own leerweg."""
    guides = {g.leerweg: g for g in group.offering.module_version.guides.all()}
    return [StudentRow(s, guides.get(s.leerweg)) for s in group.students.all()]


# --- the public school page ----------------------------------------------------------------------------

@dataclass
class PublicSchool:
    school: School
    years: list[int]
    packages: list[Package]
    offerings: list[Offering]
    partners: list[Partner]
    locations: list[SchoolLocation]


def public_school(brin: str, school_year: int | None = None) -> PublicSchool:
    """What a school shows parents and pupils: its public packages, the modules it offers, its partners
    and locations. No personal data: no students, no staff names, no partner contact persons."""
    school = School.objects.filter(brin=brin.upper()).only(
        "pk", "brin", "name", "city", "region", "is_vakschool", "website", "description").first()
    if school is None:
        raise Http404("Deze school staat niet in Maatwerk.")
    current = school_year_of()
    years = [y for y in sorted(set(Offering.objects.filter(school=school, school_year__gte=current)
                                   .values_list("school_year", flat=True))) if y <= current + 1] or [current]
    year = school_year if school_year in years else years[0]
    pkgs = list(
        Package.objects.filter(school=school, school_year=year, is_public=True)
        .only("pk", "school_id", "name", "kind", "school_year", "description", "regional_rationale")
        .prefetch_related(
            Prefetch("package_modules", queryset=PackageModule.objects.select_related(
                "module__current_version__module").prefetch_related(
                "module__current_version__profielen", "module__current_version__mbo_qualifications")
                .order_by("order", "pk")),
            Prefetch("mbo_qualifications", queryset=MboQualification.objects.order_by("level", "name")),
        ).order_by("kind", "name")
    )
    offered = list(
        Offering.objects.filter(school=school, school_year=year)
        .select_related("module_version__module", "location", "partner")
        .only("pk", "school_id", "school_year", "for_bb", "for_kb", "for_gl", "for_tl", "taught_at",
              "module_version__title", "module_version__module_type", "module_version__summary",
              "module_version__module__code", "location__name", "location__number", "partner__name")
        .prefetch_related("module_version__profielen")
        .order_by("module_version__module_type", "module_version__module__code")
    )
    partner_list = list(Partner.objects.filter(school=school).only(
        "pk", "school_id", "name", "kind", "city", "offers_outside_learning", "offers_internship",
        "offers_assessment", "description").order_by("kind", "name"))
    locs = list(SchoolLocation.objects.filter(school=school).order_by("number"))
    return PublicSchool(school, years, pkgs, offered, partner_list, locs)


def school_for_planning(user, school_id=None) -> School:
    """The school whose planning pages the user opens; 404 when none (or not theirs)."""
    managed = schools_of(user, MANAGEMENT_ROLES)
    if school_id:
        return get_visible_or_404(user, managed, pk=school_id)
    school = managed.first()
    if school is None:
        raise Http404("U beheert geen school.")
    return school
