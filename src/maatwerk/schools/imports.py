"""Import and export of the school's offering, staff, students and teaching groups (CSV and XLSX).

The shapes are those of Dutch school administrations (Magister, SOMtoday, Eduarte-like exports): see
docs/import-formats.md. Every import is all-or-nothing: all rows are checked (each in a savepoint,
through the same services as the pages), and when ANY row is bad, or on a dry run, the whole
transaction is rolled back. The report lists every bad row with its line number and a Dutch reason.
Exports write the same columns, so an export can be edited and imported again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from maatwerk.accounts.models import Membership, Role
from maatwerk.accounts.predicates import require
from maatwerk.catalog.models import Module, Profiel, VersionStatus
from maatwerk.domain import school_year_label, school_year_of
from maatwerk.students.models import Student
from maatwerk.web.tabular import Column, Row, TableError, normalise_header, read_table

from . import services
from .models import Offering, Partner, School, SchoolLocation, TaughtAt, TeachingGroup


class RowProblem(Exception):
    """One bad row: a Dutch reason (and the column it is about)."""

    def __init__(self, message: str, column: str = ""):
        self.message = message
        self.column = column
        super().__init__(message)


@dataclass
class RowError:
    line: int
    message: str
    column: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {"kind": self.kind, "dry_run": self.dry_run, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "applied": self.applied, "ok": self.ok,
                "ignored_columns": self.ignored_columns, "errors": [e.as_dict() for e in self.errors]}

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


# --- value parsing ---------------------------------------------------------------------------------

_LEERWEG_WORDS = {
    "bb": "BB", "basis": "BB", "basisberoepsgericht": "BB", "basisberoepsgerichte": "BB", "vmbob": "BB",
    "vmbobb": "BB", "kb": "KB", "kader": "KB", "kaderberoepsgericht": "KB", "kaderberoepsgerichte": "KB",
    "vmbok": "KB", "vmbokb": "KB", "gl": "GL", "gemengd": "GL", "gemengde": "GL", "vmbogl": "GL",
    "tl": "TL", "theoretisch": "TL", "theoretische": "TL", "mavo": "TL", "vmbot": "TL", "vmbotl": "TL",
}


def parse_leerweg(text: str) -> str:
    """'KB', 'kader', 'vmbo-k 3', '3 KB', 'mavo' -> a leerweg; 'vmbo-gt' is ambiguous (GL or TL)."""
    norm = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    joined = norm.replace(" ", "")
    if re.search(r"vmbo ?gt|vmbo ?g ?t\b|\bgt\b", norm) or joined in {"vmbogt", "gt"}:
        raise RowProblem(f"'{text}' kan GL of TL zijn: vul de leerweg GL of TL in.", "leerweg")
    words = norm.split()
    for i, word in enumerate(words):
        if word in _LEERWEG_WORDS:
            return _LEERWEG_WORDS[word]
        if word == "vmbo" and i + 1 < len(words) and f"vmbo{words[i + 1]}" in _LEERWEG_WORDS:
            return _LEERWEG_WORDS[f"vmbo{words[i + 1]}"]
        stripped = re.sub(r"\d", "", word)
        if stripped in _LEERWEG_WORDS:
            return _LEERWEG_WORDS[stripped]
    raise RowProblem(f"Onbekende leerweg '{text}': gebruik BB, KB, GL of TL.", "leerweg")


def parse_leerwegen(text: str) -> list[str]:
    parts = [p for p in re.split(r"[,;/+| ]+|\ben\b", text) if p.strip()]
    return sorted({parse_leerweg(p) for p in parts}, key=["BB", "KB", "GL", "TL"].index)


def parse_school_year(text: str) -> int:
    """'2026', '2026-2027', '2026/27', '26-27' -> 2026."""
    m = re.fullmatch(r"\s*(\d{2}|\d{4})\s*(?:[-/]\s*(\d{2}|\d{4}))?\s*", text or "")
    if not m:
        raise RowProblem(f"Schooljaar '{text}' klopt niet: schrijf bijvoorbeeld 2026-2027.", "school_year")
    start = int(m.group(1))
    start = start + 2000 if start < 100 else start
    if m.group(2):
        end = int(m.group(2))
        end = end + 2000 if end < 100 else end
        if end != start + 1:
            raise RowProblem(f"Schooljaar '{text}' klopt niet: het tweede jaar volgt op het eerste.", "school_year")
    if not 2000 <= start <= 2100:
        raise RowProblem(f"Schooljaar '{text}' klopt niet.", "school_year")
    return start


def parse_int(text: str, column: str, label: str, low: int, high: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise RowProblem(f"{label} '{text}' is geen geheel getal.", column) from None
    if not low <= value <= high:
        raise RowProblem(f"{label} {value} moet tussen {low} en {high} liggen.", column)
    return value


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\s]+", text or "") if p.strip()]


_ROLE_WORDS = {
    "schoolleider": Role.SCHOOL_LEADER, "directeur": Role.SCHOOL_LEADER, "teamleider": Role.SCHOOL_LEADER,
    "locatiedirecteur": Role.SCHOOL_LEADER, "examensecretaris": Role.EXAM_SECRETARY,
    "decaan": Role.COUNSELLOR, "lobcoordinator": Role.COUNSELLOR, "loopbaanbegeleider": Role.COUNSELLOR,
    "mentor": Role.MENTOR, "docent": Role.TEACHER, "leraar": Role.TEACHER, "leerkracht": Role.TEACHER,
    "instructeur": Role.TEACHER, "praktijkdocent": Role.TEACHER,
}


def parse_roles(text: str) -> list[str]:
    roles = []
    for part in re.split(r"[,;/+|]|\ben\b", text or ""):
        key = normalise_header(part)
        if not key:
            continue
        if key not in _ROLE_WORDS:
            raise RowProblem(f"Onbekende rol '{part.strip()}': gebruik schoolleider, examensecretaris, decaan, "
                             f"mentor of docent.", "roles")
        roles.append(_ROLE_WORDS[key])
    if not roles:
        raise RowProblem("Vul ten minste één rol in (bijv. docent of mentor).", "roles")
    return sorted(set(roles))


def _email(text: str, column: str) -> str:
    email = (text or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise RowProblem(f"'{text}' is geen geldig e-mailadres.", column) from None
    return email


# --- importers ---------------------------------------------------------------------------------------

class Importer:
    kind = ""
    label = ""
    perm = ""
    columns: tuple[Column, ...] = ()

    def __init__(self, school: School, by, school_year: int | None = None):
        self.school = school
        self.by = by
        self.school_year = school_year or school_year_of()
        self.seen: dict[str, int] = {}

    def prepare(self) -> None:
        """Load what every row needs, in bulk."""

    def once(self, key: str, row: Row, what: str) -> None:
        if key in self.seen:
            raise RowProblem(f"{what} staat ook al op regel {self.seen[key]}.")
        self.seen[key] = row.line

    def run(self, rows: list[Row], report: ImportReport) -> None:
        for row in rows:
            report.rows += 1
            try:
                with transaction.atomic():
                    report.count(self.apply(row))
            except RowProblem as exc:
                report.errors.append(RowError(row.line, exc.message, exc.column))
            except services.SchoolsError as exc:
                report.errors.append(RowError(row.line, _schools_message(exc), exc.field_name or ""))
            except (ValidationError, IntegrityError) as exc:
                report.errors.append(RowError(row.line, _validation_message(exc)))

    def apply(self, row: Row) -> str:  # pragma: no cover - each importer implements it
        raise NotImplementedError

    # lookups shared by importers
    def _locations(self):
        self.locations = {}
        for loc in SchoolLocation.objects.filter(school=self.school):
            for key in (loc.number, loc.code, loc.name):
                self.locations[normalise_header(key)] = loc

    def location(self, row: Row):
        text = row.get("location")
        if not text:
            return None
        loc = self.locations.get(normalise_header(text))
        if loc is None:
            raise RowProblem(f"Vestiging '{text}' bestaat niet bij {self.school.name}.", "location")
        return loc

    def _staff(self):
        User = get_user_model()  # noqa: N806
        ids = Membership.objects.active().filter(school=self.school).values("user_id")
        self.staff = {u.email.lower(): u for u in User.objects.filter(pk__in=ids)}

    def staff_member(self, text: str, column: str):
        email = _email(text, column)
        user = self.staff.get(email)
        if user is None:
            raise RowProblem(f"{email} werkt niet op {self.school.name} (importeer eerst de medewerkers).", column)
        return user


def _schools_message(exc: services.SchoolsError) -> str:
    details = [f.message for f in exc.findings if str(f.severity) == "error"]
    if details and not any(d in exc.nl for d in details):
        return f"{exc.nl} {' '.join(details)}"
    return exc.nl


def _validation_message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return "Deze regel botst met gegevens die er al zijn (dubbel)."


class StudentImporter(Importer):
    kind = "leerlingen"
    label = "Leerlingen"
    perm = "schools.import_people"
    columns = (
        Column("number", "Leerlingnummer", ("leerlingnr", "llnr", "llnummer", "stamnummer", "stamnr",
                                            "studentnummer", "deelnemernummer", "leerlingid")),
        Column("first_name", "Roepnaam", ("voornaam", "roepnaamleerling", "voornamen")),
        Column("infix", "Tussenvoegsel", ("tussenvoegsels", "tussenv", "voorvoegsel", "voorvoegsels"),
               required=False),
        Column("last_name", "Achternaam", ("naam", "geslachtsnaam", "achternaamleerling")),
        Column("leerweg", "Leerweg", ("leerwegvmbo", "opleiding", "studie", "onderwijsprogramma")),
        Column("year_level", "Leerjaar", ("jaar", "leerjaarleerling", "jaarlaag"), required=False),
        Column("class_name", "Klas", ("stamklas", "stamgroep", "basisgroep", "groep", "klasnaam"), required=False),
        Column("profiel", "Profiel", ("beroepsgerichtprofiel", "profielvak", "sector"), required=False),
        Column("cohort", "Cohort", ("examencohort",), required=False),
        Column("location", "Vestiging", ("locatie", "vestigingsnummer", "brinvestiging"), required=False),
        Column("mentor", "Mentor", ("mentoremail", "emailmentor", "mentor1"), required=False),
    )

    def prepare(self):
        self._locations()
        self._staff()
        self.existing = {s.student_number: s for s in Student.objects.filter(school=self.school)}
        self.profielen = {}
        for p in Profiel.objects.all():
            for key in (p.code, p.name, p.abbreviation):
                self.profielen[normalise_header(key)] = p

    def apply(self, row: Row) -> str:
        number = row.get("number")
        if not number:
            raise RowProblem("Het leerlingnummer ontbreekt.", "number")
        if len(number) > 20:
            raise RowProblem("Het leerlingnummer is langer dan 20 tekens.", "number")
        self.once(f"n:{number}", row, f"Leerlingnummer {number}")
        first, last = row.get("first_name"), row.get("last_name")
        if not first or not last:
            raise RowProblem("Roepnaam en achternaam zijn allebei nodig.", "first_name" if not first else "last_name")
        leerweg_text = row.get("leerweg")
        if not leerweg_text:
            raise RowProblem("De leerweg ontbreekt.", "leerweg")
        leerweg = parse_leerweg(leerweg_text)
        year_text = row.get("year_level") or "".join(re.findall(r"(?<!\d)[1-6](?!\d)", leerweg_text))[:1]
        if not year_text:
            raise RowProblem("Het leerjaar ontbreekt.", "year_level")
        year_level = parse_int(year_text, "year_level", "Leerjaar", 1, 6)
        cohort = (parse_int(row.get("cohort"), "cohort", "Cohort", 2000, 2100) if row.get("cohort")
                  else school_year_of() + (3 - year_level))
        profiel = None
        if row.get("profiel"):
            profiel = self.profielen.get(normalise_header(row.get("profiel")))
            if profiel is None:
                raise RowProblem(f"Onbekend profiel '{row.get('profiel')}'.", "profiel")
        mentor = self.staff_member(row.get("mentor"), "mentor") if row.get("mentor") else None
        values = {"first_name": first, "infix": row.get("infix"), "last_name": last, "leerweg": leerweg,
                  "year_level": year_level, "cohort": cohort, "class_name": row.get("class_name")[:20],
                  "profiel": profiel, "location": self.location(row)}
        if mentor is not None:
            values["mentor"] = mentor
        student = self.existing.get(number)
        if student is None:
            student = Student(school=self.school, student_number=number, **values)
            student.full_clean()
            student.save()
            self.existing[number] = student
            return "created"
        changed = [k for k, v in values.items() if getattr(student, k) != v]
        if not changed:
            return "unchanged"
        for k in changed:
            setattr(student, k, values[k])
        student.full_clean()
        student.save()
        return "updated"


class StaffImporter(Importer):
    kind = "medewerkers"
    label = "Medewerkers"
    perm = "schools.import_people"
    columns = (
        Column("email", "E-mailadres", ("email", "e-mail", "emailadres", "emailwerk", "emailschool",
                                        "emailadreswerk", "login")),
        Column("first_name", "Voornaam", ("roepnaam",), required=False),
        Column("infix", "Tussenvoegsel", ("tussenvoegsels", "tussenv", "voorvoegsel"), required=False),
        Column("last_name", "Achternaam", ("naam", "geslachtsnaam"), required=False),
        Column("roles", "Rol", ("rollen", "functie", "functies")),
        Column("code", "Afkorting", ("docentcode", "code", "afk"), required=False),
    )

    def prepare(self):
        User = get_user_model()  # noqa: N806
        self.User = User
        self.memberships = defaultdict(set)
        for m in Membership.objects.active().filter(school=self.school):
            self.memberships[m.user_id].add(m.role)

    def apply(self, row: Row) -> str:
        email = _email(row.get("email"), "email")
        self.once(f"e:{email}", row, f"E-mailadres {email}")
        roles = parse_roles(row.get("roles"))
        user = self.User.objects.filter(email__iexact=email).first()
        outcome = "unchanged"
        if user is None:
            if not row.get("last_name"):
                raise RowProblem("Een nieuwe medewerker heeft een achternaam nodig.", "last_name")
            user = self.User.objects.create_user(email=email, password=None, first_name=row.get("first_name"),
                                                 infix=row.get("infix"), last_name=row.get("last_name"))
            outcome = "created"
        elif user.is_superuser:
            raise RowProblem(f"{email} is een beheeraccount en kan niet via een import worden gekoppeld.", "email")
        else:
            if Membership.objects.filter(user=user, role__in=[Role.STUDENT, Role.PARENT]).exists():
                raise RowProblem(f"{email} is het account van een leerling of ouder, niet van een medewerker.",
                                 "email")
            for name in ("first_name", "infix", "last_name"):
                if row.get(name) and not getattr(user, name):
                    setattr(user, name, row.get(name))
                    outcome = "updated"
            if outcome == "updated":
                user.save()
        have = self.memberships[user.pk]
        for role in roles:
            if role not in have:
                Membership.objects.create(user=user, role=role, school=self.school)
                have.add(role)
                outcome = "created" if outcome == "created" else "updated"
        return outcome


class OfferingImporter(Importer):
    kind = "aanbod"
    label = "Aanbod"
    perm = "schools.import_planning"
    columns = (
        Column("school_year", "Schooljaar", ("jaar", "cursusjaar", "leerjaarschooljaar")),
        Column("code", "Modulecode", ("module", "code", "vakcode", "modulecodes")),
        Column("title", "Module", ("titel", "naammodule", "omschrijving"), required=False),
        Column("leerwegen", "Leerwegen", ("leerweg", "voorleerwegen"), required=False),
        Column("location", "Vestiging", ("locatie", "vestigingsnummer"), required=False),
        Column("capacity", "Plaatsen", ("capaciteit", "maxleerlingen", "maximum", "aantalplaatsen"),
               required=False),
        Column("taught_at", "Waar", ("plek", "gegevenop", "lesplaats"), required=False),
        Column("partner", "Partner", ("bedrijf", "partnerorganisatie", "stagebedrijf"), required=False),
        Column("teachers", "Docenten", ("docent", "docentemail", "docenten e-mail"), required=False),
        Column("note", "Toelichting", ("opmerking", "opmerkingen", "notitie"), required=False),
    )

    def prepare(self):
        self._locations()
        self._staff()
        self.modules = {}
        for m in Module.objects.select_related("current_version__module").prefetch_related(
                "current_version__profielen"):
            self.modules[m.code.upper()] = m
            if m.current_version is not None and m.current_version.legacy_code:
                self.modules.setdefault(m.current_version.legacy_code.upper(), m)
        self.partners = {normalise_header(p.name): p for p in Partner.objects.filter(school=self.school)}
        self.existing = {(o.module_version.module_id, o.school_year, o.location_id): o
                         for o in Offering.objects.filter(school=self.school).select_related("module_version")}

    def apply(self, row: Row) -> str:
        year = parse_school_year(row.get("school_year"))
        code = row.get("code").upper()
        module = self.modules.get(code)
        if module is None:
            raise RowProblem(f"Module '{row.get('code')}' staat niet op de menukaart.", "code")
        version = module.current_version
        if version is None or version.status != VersionStatus.PUBLISHED:
            raise RowProblem(f"Module {module.code} heeft geen gepubliceerde versie.", "code")
        location = self.location(row)
        self.once(f"{module.pk}:{year}:{location.pk if location else ''}", row,
                  f"{module.code} in {school_year_label(year)}")
        leerwegen = parse_leerwegen(row.get("leerwegen")) if row.get("leerwegen") else None
        capacity = parse_int(row.get("capacity"), "capacity", "Plaatsen", 1, 999) if row.get("capacity") else None
        taught_at = self._taught_at(row.get("taught_at"), bool(row.get("partner")))
        partner = None
        if row.get("partner"):
            partner = self.partners.get(normalise_header(row.get("partner")))
            if partner is None:
                raise RowProblem(f"Partner '{row.get('partner')}' is onbekend; voeg hem eerst toe bij Partners.",
                                 "partner")
        teachers = [self.staff_member(t, "teachers") for t in split_list(row.get("teachers"))]
        existing = self.existing.get((module.pk, year, location.pk if location else None))
        if existing is None:
            offering, _ = services.plan_offering(
                school=self.school, module_version=version, school_year=year, leerwegen=leerwegen,
                location=location, capacity=capacity, taught_at=taught_at, partner=partner, teachers=teachers,
                note=row.get("note"), by=self.by)
            self.existing[(module.pk, year, offering.location_id)] = offering
            return "created"
        before = (existing.leerwegen, existing.capacity, existing.taught_at, existing.partner_id, existing.note,
                  sorted(t.pk for t in existing.teachers.all()))
        after = (leerwegen or existing.leerwegen, capacity, taught_at, partner.pk if partner else None,
                 row.get("note"), sorted(t.pk for t in teachers))
        if before == after:
            return "unchanged"
        services.change_offering(offering=existing, by=self.by, leerwegen=leerwegen or existing.leerwegen,
                                 capacity=capacity, taught_at=taught_at, partner=partner, note=row.get("note"),
                                 teachers=teachers)
        return "updated"

    @staticmethod
    def _taught_at(text: str, has_partner: bool) -> str:
        key = normalise_header(text)
        if not key:
            return TaughtAt.PARTNER if has_partner else TaughtAt.SCHOOL
        if key in {"school", "opschool"}:
            return TaughtAt.SCHOOL
        if key in {"partner", "bijpartner", "bijeenpartner", "buitenschools", "bedrijf", "stage"}:
            return TaughtAt.PARTNER
        if key in {"beide", "both", "schoolenpartner", "opschoolenbijeenpartner", "opschoolenbijpartner"}:
            return TaughtAt.BOTH
        raise RowProblem(f"Waar '{text}' is onbekend: gebruik school, partner of beide.", "taught_at")


class TeachingGroupImporter(Importer):
    """One row per student in a group (as Magister's 'lesgroepen met leerlingen' export), or one row per
    group without a student number. The students of a group in the file replace its students."""

    kind = "lesgroepen"
    label = "Lesgroepen"
    perm = "schools.import_planning"
    columns = (
        Column("group", "Lesgroep", ("groep", "naamlesgroep", "lesgroepnaam", "cluster", "clustergroep",
                                     "clusternaam")),
        Column("code", "Modulecode", ("module", "code", "vakcode", "vak")),
        Column("school_year", "Schooljaar", ("jaar", "cursusjaar"), required=False),
        Column("location", "Vestiging", ("locatie", "vestigingsnummer"), required=False),
        Column("period", "Periode", ("blok", "lesperiode"), required=False),
        Column("teacher", "Docent", ("docentemail", "emaildocent"), required=False),
        Column("schedule", "Rooster", ("lestijden", "lesmoment", "lokaal"), required=False),
        Column("number", "Leerlingnummer", ("leerlingnr", "llnr", "stamnummer", "stamnr", "studentnummer"),
               required=False),
    )

    def prepare(self):
        self._locations()
        self._staff()
        self.students = {s.student_number: s for s in Student.objects.filter(school=self.school)}
        self.offerings = {}
        for o in Offering.objects.filter(school=self.school).select_related("module_version__module"):
            self.offerings[(o.module_version.module.code.upper(), o.school_year, o.location_id)] = o
            legacy = o.module_version.legacy_code
            if legacy:
                self.offerings.setdefault((legacy.upper(), o.school_year, o.location_id), o)
        self.groups = {(g.offering_id, g.name): g for g in TeachingGroup.objects.filter(school=self.school)}

    def run(self, rows: list[Row], report: ImportReport) -> None:
        groups: dict[tuple, list[tuple[Row, object]]] = defaultdict(list)
        details: dict[tuple, dict] = {}
        for row in rows:
            report.rows += 1
            try:
                key, info, student = self._read(row)
            except RowProblem as exc:
                report.errors.append(RowError(row.line, exc.message, exc.column))
                continue
            groups[key].append((row, student))
            first = details.setdefault(key, {**info, "line": row.line})
            for name in ("period", "teacher", "schedule"):
                if info[name] and first[name] and info[name] != first[name]:
                    report.errors.append(RowError(row.line, f"Deze regel geeft de groep {key[1]} een andere "
                                                  f"{ {'period': 'periode', 'teacher': 'docent', 'schedule': 'rooster'}[name]} "
                                                  f"dan regel {first['line']}.", name))
                first[name] = first[name] or info[name]
        for key, members in groups.items():
            info = details[key]
            first_line: dict[int, int] = {}
            students = []
            for row, student in members:
                if student is None:
                    continue
                if student.pk in first_line:
                    report.errors.append(RowError(row.line, f"Leerling {student.student_number} staat al in groep "
                                                  f"{key[1]} (regel {first_line[student.pk]}).", "number"))
                    continue
                first_line[student.pk] = row.line
                students.append(student)
            try:
                with transaction.atomic():
                    report.count(self._save(key, info, students))
            except services.SchoolsError as exc:
                lines = self._lines_for(exc, members)
                for line in lines:
                    report.errors.append(RowError(line, _schools_message(exc), exc.field_name or ""))
            except (ValidationError, IntegrityError) as exc:
                report.errors.append(RowError(info["line"], _validation_message(exc)))

    @staticmethod
    def _lines_for(exc, members) -> list[int]:
        """The rows a refusal is about: the students named in the engine's findings, else every row."""
        if exc.code == "student_leerweg_not_offered":
            bad = [row.line for row, s in members if s is not None and s.full_name in exc.nl]
            if bad:
                return bad
        return [row.line for row, _ in members]

    def _read(self, row: Row):
        name = row.get("group")
        if not name:
            raise RowProblem("De naam van de lesgroep ontbreekt.", "group")
        if len(name) > 50:
            raise RowProblem("De naam van de lesgroep is langer dan 50 tekens.", "group")
        year = parse_school_year(row.get("school_year")) if row.get("school_year") else self.school_year
        code = row.get("code").upper()
        if not code:
            raise RowProblem("De modulecode ontbreekt.", "code")
        location = self.location(row)
        offering = self.offerings.get((code, year, location.pk if location else None))
        if offering is None and location is None:
            matches = [o for (c, y, _), o in self.offerings.items() if c == code and y == year]
            offering = matches[0] if len(matches) == 1 else None
        if offering is None:
            raise RowProblem(f"{code} staat in {school_year_label(year)} niet in het aanbod"
                             f"{' van deze vestiging' if location else ''}; plan de module eerst in.", "code")
        period = parse_int(row.get("period"), "period", "Periode", 1, 4) if row.get("period") else None
        teacher = self.staff_member(row.get("teacher"), "teacher") if row.get("teacher") else None
        student = None
        if row.get("number"):
            student = self.students.get(row.get("number"))
            if student is None:
                raise RowProblem(f"Leerling {row.get('number')} bestaat niet op deze school (importeer eerst de "
                                 f"leerlingen).", "number")
        info = {"period": period, "teacher": teacher, "schedule": row.get("schedule")}
        return (offering.pk, name), {**info, "offering": offering}, student

    def _save(self, key, info, students) -> str:
        offering_id, name = key
        group = self.groups.get(key)
        if group is None:
            group = services.create_teaching_group(
                school=self.school, offering=info["offering"], name=name, period=info["period"],
                teacher=info["teacher"], schedule=info["schedule"], students=students, by=self.by)
            self.groups[key] = group
            return "created"
        before = (group.period, group.teacher_id, group.schedule, sorted(group.students.values_list("pk", flat=True)))
        after = (info["period"], info["teacher"].pk if info["teacher"] else None, info["schedule"],
                 sorted(s.pk for s in students))
        if before == after:
            return "unchanged"
        services.change_teaching_group(group=group, by=self.by, period=info["period"], teacher=info["teacher"],
                                       schedule=info["schedule"], students=students)
        return "updated"


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (OfferingImporter, StaffImporter, StudentImporter, TeachingGroupImporter)
}


def run_import(kind: str, upload, *, school: School, by, dry_run: bool = True, filename: str | None = None,
               school_year: int | None = None) -> ImportReport:
    """Check (dry run) or import a file, all-or-nothing. Raises PermissionDenied without the right."""
    if kind not in IMPORTERS:
        raise services.SchoolsError(f"Onbekende soort import '{kind}'.", f"Unknown import kind {kind!r}.",
                                    code="invalid_import_kind")
    importer = IMPORTERS[kind](school, by, school_year)
    require(by, importer.perm, school)
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        table = read_table(upload, columns=importer.columns, filename=filename)
    except TableError as exc:
        report.errors.append(RowError(1, exc.nl))
        return report
    report.ignored_columns = table.ignored
    if not table.rows:
        report.errors.append(RowError(1, "Het bestand heeft wel kolomkoppen maar geen regels."))
        return report
    with transaction.atomic():
        importer.prepare()
        importer.run(table.rows, report)
        report.errors.sort(key=lambda e: e.line)
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.applied = True
    return report


# --- exports ---------------------------------------------------------------------------------------

def _label(column: Column) -> str:
    return column.label


def export_rows(kind: str, *, school: School, by, school_year: int | None = None) -> tuple[list[str], list[list]]:
    """The rows of an export in the import's columns (so it can be edited and imported again)."""
    from . import selectors

    require(by, "schools.export", school)
    if kind == "aanbod":
        headers = [_label(c) for c in OfferingImporter.columns]
        rows = []
        for o in selectors.offerings(by, school=school, school_year=school_year):
            rows.append([school_year_label(o.school_year), o.module_version.module.code, o.module_version.title,
                         ",".join(o.leerwegen), o.location.number if o.location else "", o.capacity or "",
                         o.taught_at, o.partner.name if o.partner else "",
                         ", ".join(t.email for t in o.teachers.all()), o.note])
        return headers, rows
    if kind == "medewerkers":
        headers = [_label(c) for c in StaffImporter.columns]
        per_user: dict[int, list] = {}
        labels = {v: k for k, v in {"schoolleider": Role.SCHOOL_LEADER, "examensecretaris": Role.EXAM_SECRETARY,
                                    "decaan": Role.COUNSELLOR, "mentor": Role.MENTOR, "docent": Role.TEACHER}.items()}
        for m in (Membership.objects.active().filter(school=school, role__in=list(labels))
                  .select_related("user").order_by("user__last_name", "user__first_name", "role")):
            entry = per_user.setdefault(m.user_id, [m.user.email, m.user.first_name, m.user.infix, m.user.last_name,
                                                    [], ""])
            entry[4].append(labels[m.role])
        rows = [[*e[:4], ", ".join(e[4]), e[5]] for e in per_user.values()]
        return headers, rows
    if kind == "leerlingen":
        headers = [_label(c) for c in StudentImporter.columns]
        rows = [[s.student_number, s.first_name, s.infix, s.last_name, s.leerweg, s.year_level, s.class_name,
                 s.profiel.code if s.profiel else "", s.cohort, s.location.number if s.location else "",
                 s.mentor.email if s.mentor else ""]
                for s in selectors.students(by, school).select_related("profiel", "location", "mentor")]
        return headers, rows
    if kind == "lesgroepen":
        headers = [_label(c) for c in TeachingGroupImporter.columns]
        rows = []
        groups = selectors.teaching_groups(by, school=school, school_year=school_year)
        for g in groups:
            base = [g.name, g.offering.module_version.module.code, school_year_label(g.offering.school_year),
                    g.offering.location.number if g.offering.location else "", g.period or "",
                    g.teacher.email if g.teacher else "", g.schedule]
            numbers = sorted(s.student_number for s in g.students.all()) or [""]
            rows.extend([*base, n] for n in numbers)
        return headers, rows
    raise services.SchoolsError(f"Onbekende soort export '{kind}'.", f"Unknown export kind {kind!r}.",
                                code="invalid_import_kind")


def template_headers(kind: str) -> list[str]:
    return [c.label for c in IMPORTERS[kind].columns]


def check_permission(kind: str, school: School, by) -> None:
    if kind not in IMPORTERS:
        raise PermissionDenied
    require(by, IMPORTERS[kind].perm, school)
