"""Deterministic national-scale data for the benchmarks (issue 10): `maatwerk bench generate --scale S`.

At scale S=1 (the numbers scale linearly, at least 2 schools):

* 650 schools with 1-3 vestigingen each, 1,000 vestigingen in all (the vmbo has about 1,000 school
  locations; a school of several locations is one BRIN with vestigingen 00, 01, 02);
* 100,000 students per cohort over 4 cohorts (2025-2028: leerjaar 4, 3, 2, 1 in school year 2026-2027),
  leerwegen BB 20%, KB 25%, GL 10%, TL 45%, school sizes skewed (school 0 is the largest);
* the real menukaart (`catalog import-stock`, valid from 2020) plus generated pilot modules: per profiel
  3 kennismakende and 5 verdiepende modules for every leerweg (valid from 2024), so that programmes can be
  valid under spv-modulair;
* per school: policy (80% spv-modulair, 20% vmbo-huidig), licences, offerings for 2025-2029, packages,
  staff (schoolleider, examensecretaris, decaan, a mentor per class of 25, docenten);
* per student: a programme with items (approved for leerjaar 3 and 4), LOB activities;
* per school and cohort a published PTA with 5 items per module offered (school 0: one module with 25
  items, the heavy gradebook); per examination-year student (cohort 2025) every item graded (about 36
  results with resits), module results computed by the rules engine (module_outcome), subject grades of
  the general subjects with SE and CE (the exam cohort stands as at the end of the exam year); per
  leerjaar-3 student the first two items of the running modules graded;
* teaching groups of at most 30 for every module taught in 2026, and usage reports for 2021-2026.

Everything comes from one `random.Random(seed)`, so the same scale and seed give the same rows. Bulk
inserts only (maatwerk.bench.bulk: COPY on PostgreSQL, executemany on SQLite); no per-row services and
so no history rows. The pilot modules are written with the ORM under `catalog.models.unfrozen()`, as
tests/factories.py does. The database must be migrated and hold no schools yet.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from maatwerk.bench.bulk import NOW, Writer, database_size, human_bytes

SCHOOLS = 650
LOCATIONS = 1000
STUDENTS_PER_COHORT = 100_000
COHORTS = (2025, 2026, 2027, 2028)  # leerjaar 4, 3, 2, 1 in school year 2026
CURRENT_YEAR = 2026
EXAM_COHORT = 2025
OFFERING_YEARS = (2025, 2026, 2027, 2028, 2029)
USAGE_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
LEERWEG_WEIGHTS = (("BB", 20), ("KB", 25), ("GL", 10), ("TL", 45))
ITEMS_PER_MODULE = 5
HEAVY_ITEMS = 25
GROUP_SIZE = 30
CLASS_SIZE = 25
PASSWORD = "maatwerk-bench"  # noqa: S105 - the generated staff's password, documented
PILOT_PER_PROFIEL = (("INTRODUCTORY", 3), ("DEEPENING", 5))
GENERAL_OPTIONAL = (("wi", "wiskunde"), ("ec", "economie"), ("bi", "biologie"), ("nask1", "nask1"),
                    ("ak", "aardrijkskunde"), ("gs", "geschiedenis"), ("du", "Duits"), ("fa", "Frans"))
GENERAL_COUNT = {"BB": 2, "KB": 2, "GL": 3, "TL": 4}
FIRST_NAMES = ("Noah", "Emma", "Bilal", "Aylin", "Sem", "Julia", "Daan", "Fatima", "Yusuf", "Lotte", "Milan",
               "Sara", "Levi", "Nora", "Mohamed", "Tess", "Luuk", "Zoë", "Finn", "Ivy")
LAST_NAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Öztürk",
              "Nguyen", "Bos", "El Amrani", "Kaya", "Peters", "Hendriks", "Dekker", "van Dijk", "Yilmaz")
CITIES = ("Amsterdam", "Rotterdam", "Utrecht", "Zwolle", "Groningen", "Eindhoven", "Tilburg", "Almere", "Breda",
          "Nijmegen", "Apeldoorn", "Enschede", "Leeuwarden", "Maastricht", "Middelburg", "Den Helder")
PROFIEL_WORDS = {
    "BWI": ("Houtbewerking", "Installatie in de woning", "Interieurontwerp", "Tegelwerk", "Schilderwerk"),
    "PIE": ("Elektrotechniek", "Metaalbewerking", "Duurzame energie", "Lassen", "Besturingstechniek"),
    "MT": ("Motorentechniek", "Fietstechniek", "Logistiek", "Carrosserie", "Elektrisch rijden"),
    "MVI": ("Fotografie", "Webdesign", "Camera en montage", "Grafische vormgeving", "Netwerken en ICT"),
    "MaT": ("Scheepsbouw", "Navigatie", "Maritieme techniek", "Hydrauliek", "Koudetechniek"),
    "ZW": ("Zorg voor jeugd", "Welzijn en activering", "Eerste hulp", "Voeding en gezondheid", "Uiterlijke verzorging"),
    "EO": ("Ondernemen", "Webwinkel", "Secretariaat", "Marketing", "Retail"),
    "HBR": ("Brood en banket", "Gastheerschap", "Keuken", "Recreatie", "Evenementen"),
    "Groen": ("Groene ruimte", "Dierverzorging", "Bloemsierkunst", "Tuinaanleg", "Voedsel en duurzaamheid"),
    "DP": ("Dienstverlening", "Productontwerp", "Beveiliging", "Sport en bewegen", "Facilitaire dienst"),
}


class GenerateError(Exception):
    pass


@dataclass
class Plan:
    """The sizes at a scale."""

    scale: float
    schools: int
    locations: int
    students_per_cohort: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        if scale <= 0:
            raise GenerateError("De schaal moet groter dan 0 zijn (1 = landelijk).")
        schools = max(2, round(SCHOOLS * scale))
        return cls(scale=scale, schools=schools, locations=max(schools, round(LOCATIONS * scale)),
                   students_per_cohort=max(8 * schools, round(STUDENTS_PER_COHORT * scale)))


@dataclass
class Report:
    plan: Plan
    seed: int
    seconds: float = 0.0
    database_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        p = self.plan
        out = [f"Gegenereerd op schaal {p.scale:g} (seed {self.seed}): {p.schools:,} scholen, {p.locations:,} "
               f"vestigingen, {p.students_per_cohort:,} leerlingen per cohort x {len(COHORTS)} cohorten, "
               f"database {connection.vendor}.",
               f"Tijd {self.seconds:.1f} s; database nu {human_bytes(self.database_bytes)}."]
        for label, n in sorted(self.counts.items(), key=lambda kv: -kv[1]):
            out.append(f"  {label:40} {n:>12,}")
        return out


@dataclass
class ModuleInfo:
    id: int
    code: str
    version_id: int
    module_type: str
    legacy_kind: str
    profielen: tuple[str, ...]
    leerwegen: tuple[str, ...]
    valid_from: int


@dataclass
class SchoolInfo:
    id: int
    brin: str
    regulation: str
    intro_first: bool
    profielen: list[str]
    locations: list[int]
    pool: list[ModuleInfo] = field(default_factory=list)
    leader: int = 0
    secretary: int = 0
    counsellor: int = 0
    teachers: list[int] = field(default_factory=list)
    offerings: dict[tuple[int, int], int] = field(default_factory=dict)  # (version id, year) -> offering id
    packages: list[int] = field(default_factory=list)
    ptas: dict[int, int] = field(default_factory=dict)  # cohort -> PTA id
    heavy: ModuleInfo | None = None


@dataclass
class StudentInfo:
    id: int
    school: SchoolInfo
    number: str
    leerweg: str
    cohort: int
    profiel: str | None
    ability: float
    items: list[tuple[ModuleInfo, int, int]] = field(default_factory=list)  # module, school year, item id


def _brin(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    n = i // 100
    return f"{i % 100:02d}{letters[(n // 26) % 26]}{letters[n % 26]}"


def _tenths(value: float) -> Decimal:
    value = min(10.0, max(1.0, value))
    return Decimal(f"{value:.1f}")


def _share(total: int, weights: list[float]) -> list[int]:
    """`total` split proportionally to `weights` (largest remainder): deterministic, sums exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: total - sum(out)]:
        out[i] += 1
    return out


def generate(scale: float, seed: int = 2025, *, out=print) -> Report:
    """Generate the data into the configured (migrated, school-free) database; returns the report."""
    from maatwerk.schools.models import School

    plan = Plan.at(scale)
    if School.objects.exists():
        raise GenerateError("De database bevat al scholen: genereer in een lege (gemigreerde) database, "
                            "bijvoorbeeld een aparte PostgreSQL-database voor benchmarks.")
    started = time.perf_counter()
    report = Report(plan=plan, seed=seed)
    gen = _Generator(plan, seed, out)
    gen.run()
    report.counts = gen.writer.counts()
    report.counts.update(gen.orm_counts)
    report.seconds = time.perf_counter() - started
    report.database_bytes = database_size()
    return report


class _Generator:
    def __init__(self, plan: Plan, seed: int, out):
        self.plan = plan
        self.rng = random.Random(seed)
        self.out = out
        self.writer = Writer()
        self.orm_counts: dict[str, int] = {}
        self.t0 = time.perf_counter()

    def say(self, text: str) -> None:
        self.out(f"[{time.perf_counter() - self.t0:7.1f} s] {text}")

    def run(self) -> None:
        self.say("menukaart: startvoorraad en pilotmodulen")
        self.catalog()
        self.say("scholen, vestigingen, personeel, beleid en licenties")
        self.schools()
        self.say("aanbod en pakketten")
        self.offerings()
        self.say("leerlingen, programma's, loopbaandossiers")
        self.students()
        self.say("PTA's, resultaten, moduleresultaten en vakcijfers")
        self.assessment()
        self.say("lesgroepen")
        self.groups()
        self.say("gebruiksmeldingen")
        self.usage()
        self.say("wegschrijven, sequences en ANALYZE")
        self.writer.finish()

    # --- catalog -----------------------------------------------------------------------------------

    def catalog(self) -> None:
        from maatwerk.catalog import services
        from maatwerk.catalog.models import Module, ModuleObjective, ModuleVersion, Profiel, unfrozen

        if not Module.objects.filter(versions__legacy_kind__in=["profielmodule", "keuzevak"]).exists():
            services.import_stock(valid_from=2020)
        profielen = {p.code: p for p in Profiel.objects.all()}
        if not Module.objects.filter(code__startswith="PILOT-").exists():
            with transaction.atomic(), unfrozen():
                for code in sorted(profielen):
                    words = PROFIEL_WORDS.get(code, ("Module",) * 5)
                    n = 0
                    for module_type, count in PILOT_PER_PROFIEL:
                        for k in range(count):
                            n += 1
                            mcode = f"PILOT-{code.upper()}-{'K' if module_type == 'INTRODUCTORY' else 'V'}{n:02d}"
                            title = f"{words[k % len(words)]} {'basis' if module_type == 'INTRODUCTORY' else 'verdieping'} {n}"
                            module = Module.objects.create(code=mcode)
                            version = ModuleVersion.objects.create(
                                module=module, version=1, status="published", title=title, module_type=module_type,
                                summary=f"Pilotmodule {title.lower()} van het profiel {profielen[code].name}.",
                                units=1, valid_from=2024, for_bb=True, for_kb=True, for_gl=True, for_tl=True,
                                published_at=NOW, change_note="Gegenereerd voor de benchmarks (issue 10).")
                            version.profielen.set([profielen[code]])
                            ModuleObjective.objects.bulk_create([
                                ModuleObjective(version=version, code=f"E{j}", order=j,
                                                text=f"De kandidaat kan {title.lower()} toepassen in opdracht {j}.")
                                for j in (1, 2)])
                            version.search_text = services.search_text_of(version)
                            version.save()
                            Module.objects.filter(pk=module.pk).update(current_version=version)
            self.orm_counts["catalog.Module (pilot, ORM)"] = Module.objects.filter(code__startswith="PILOT-").count()
        versions = (ModuleVersion.objects.filter(status="published").select_related("module")
                    .prefetch_related("profielen").order_by("module__code"))
        self.modules = [ModuleInfo(v.module_id, v.module.code, v.pk, v.module_type, v.legacy_kind,
                                   tuple(sorted(p.code for p in v.profielen.all())), tuple(v.leerwegen),
                                   v.valid_from or 2020) for v in versions]
        self.profiel_ids = {c: p.pk for c, p in profielen.items()}

    # --- schools, staff ----------------------------------------------------------------------------

    def schools(self) -> None:
        from maatwerk.accounts.models import Membership, Role, User
        from maatwerk.schools.models import Licence, School, SchoolLocation, SchoolPolicy

        rng, w, plan = self.rng, self.writer, self.plan
        self.password = make_password(PASSWORD, salt="maatwerkbench")
        users, members = w[User], w[Membership]
        steward = users.add(email="beheerder@landelijk.bench", first_name="Landelijk", last_name="Beheerder",
                            password=self.password)
        members.add(user_id=steward, role=Role.STEWARD)
        self.steward = steward
        # 1-3 vestigingen per school, `locations` in all
        extra = plan.locations - plan.schools
        per_school = [1] * plan.schools
        for i in range(extra):
            per_school[(i * 7) % plan.schools] = min(3, per_school[(i * 7) % plan.schools] + 1)
        # school sizes: skewed, the first school the largest
        sizes = sorted((rng.lognormvariate(0, 0.5) * (1 + 0.6 * (n - 1)) for n in per_school), reverse=True)
        self.size_weights = sizes
        spv_profielen = sorted(self.profiel_ids)
        current_profielen = ["BWI", "MVI", "MaT"]
        self.school_list: list[SchoolInfo] = []
        for i in range(plan.schools):
            brin = _brin(i + 100)
            city = CITIES[i % len(CITIES)]
            regulation = "vmbo-huidig" if (i % 5 == 4) else "spv-modulair"
            sid = w[School].add(brin=brin, name=f"Benchschool {i + 1:03d} {city}", city=city, region=city,
                                description="Gegenereerde school voor de benchmarks.")
            locations = [w[SchoolLocation].add(school_id=sid, number=f"{k:02d}", name=f"Vestiging {k + 1}",
                                               city=city) for k in range(per_school[i])]
            if regulation == "spv-modulair":
                profielen = sorted(rng.sample(spv_profielen, rng.randint(2, 4)))
            else:
                profielen = sorted(rng.sample(current_profielen, rng.randint(1, 2)))
            info = SchoolInfo(sid, brin, regulation, rng.random() < 0.5, profielen, locations)
            w[SchoolPolicy].add(school_id=sid, regulation_id=regulation,
                                introductory_before_deepening=info.intro_first)
            for code in profielen:
                w[Licence].add(school_id=sid, profiel_id=self.profiel_ids[code], from_year=2019)
            info.leader = self.staff(info, Role.SCHOOL_LEADER, 1, "Schoolleider")
            info.secretary = self.staff(info, Role.EXAM_SECRETARY, 1, "Examensecretaris")
            info.counsellor = self.staff(info, Role.COUNSELLOR, 1, "Decaan")
            self.school_list.append(info)

    def staff(self, school: SchoolInfo, role: str, k, first: str) -> int:
        """A staff user of `school` with one membership; e-mail <role><k>@<brin>.bench."""
        from maatwerk.accounts.models import Membership, User

        uid = self.writer[User].add(email=f"{role}{k}@{school.brin.lower()}.bench", first_name=first,
                                    last_name=f"Bench {k}", password=self.password)
        self.writer[Membership].add(user_id=uid, role=role, school_id=school.id)
        return uid

    # --- offering, packages ------------------------------------------------------------------------

    def offerings(self) -> None:
        from maatwerk.schools.models import Offering, Package, PackageModule

        rng, w = self.rng, self.writer
        usable = [m for m in self.modules if m.leerwegen and m.module_type in ("INTRODUCTORY", "DEEPENING")]
        for school in self.school_list:
            own = set(school.profielen)
            if school.regulation == "spv-modulair":
                pool = [m for m in usable if set(m.profielen) & own]
            else:
                pool = [m for m in usable if m.legacy_kind == "profielmodule" and set(m.profielen) & own]
                keuzevakken = [m for m in usable if m.legacy_kind == "keuzevak"]
                pool += rng.sample(keuzevakken, min(len(keuzevakken), rng.randint(8, 12)))
            school.pool = sorted(pool, key=lambda m: m.code)
            for m in school.pool:
                for year in OFFERING_YEARS:
                    if year < m.valid_from:
                        continue
                    school.offerings[(m.version_id, year)] = w[Offering].add(
                        school_id=school.id, module_version_id=m.version_id, school_year=year,
                        capacity=rng.choice((None, 60, 90, 120)),
                        **{f"for_{lw.lower()}": True for lw in m.leerwegen})
            for year in (CURRENT_YEAR, CURRENT_YEAR + 1):
                for kind, n in (("broad", 8), ("narrow", 5)):
                    chosen = rng.sample(school.pool, min(n, len(school.pool)))
                    pid = w[Package].add(school_id=school.id, name=f"{'Breed' if kind == 'broad' else 'Smal'} pakket "
                                         f"{year}", kind=kind, school_year=year,
                                         description="Gegenereerd pakket.", is_public=True)
                    school.packages.append(pid)
                    for order, m in enumerate(sorted(chosen, key=lambda m: (m.module_type != "INTRODUCTORY", m.code))):
                        w[PackageModule].add(package_id=pid, module_id=m.id, order=order,
                                             year_level=3 if m.module_type == "INTRODUCTORY" else 4)
        # school 0 (the largest) has the heavy gradebook: a verdiepende module closed by 25 PTA items
        first = self.school_list[0]
        deep = [m for m in first.pool if m.module_type == "DEEPENING" and len(m.leerwegen) == 4]
        first.heavy = deep[0] if deep else None

    # --- students, programmes, dossiers -----------------------------------------------------------

    def students(self) -> None:
        from maatwerk.accounts.models import Role
        from maatwerk.students.models import CareerActivity, Programme, ProgrammeItem, Student

        rng, w, plan = self.rng, self.writer, self.plan
        leerwegen = [lw for lw, _ in LEERWEG_WEIGHTS]
        lw_weights = [wt for _, wt in LEERWEG_WEIGHTS]
        self.student_list: list[StudentInfo] = []
        per_school = {c: _share(plan.students_per_cohort, self.size_weights) for c in COHORTS}
        for s_index, school in enumerate(self.school_list):
            counter = 0
            total = sum(per_school[c][s_index] for c in COHORTS)
            teachers = [self.staff(school, Role.TEACHER, k + 1, "Docent") for k in range(4 + total // 80)]
            school.teachers = teachers
            for cohort in COHORTS:
                year_level = CURRENT_YEAR - cohort + 3
                n = per_school[cohort][s_index]
                mentor = None
                for k in range(n):
                    if k % CLASS_SIZE == 0:
                        mentor = self.staff(school, Role.MENTOR, f"{cohort}-{k // CLASS_SIZE + 1}", "Mentor")
                    counter += 1
                    leerweg = rng.choices(leerwegen, weights=lw_weights)[0]
                    if school.regulation == "vmbo-huidig" and leerweg == "TL":
                        profiel = None
                    else:
                        profiel = rng.choice(school.profielen)
                    number = f"{100000 + counter}"
                    sid = w[Student].add(
                        school_id=school.id, location_id=school.locations[k % len(school.locations)],
                        student_number=number, first_name=FIRST_NAMES[counter % len(FIRST_NAMES)],
                        last_name=LAST_NAMES[(counter * 7 + s_index) % len(LAST_NAMES)], leerweg=leerweg,
                        year_level=year_level, cohort=cohort, class_name=f"{year_level}{chr(65 + k // CLASS_SIZE % 26)}",
                        profiel_id=self.profiel_ids[profiel] if profiel else None, mentor_id=mentor,
                        enrolled_on=dt.date(cohort - 2, 8, 1))
                    student = StudentInfo(sid, school, number, leerweg, cohort, profiel, rng.gauss(7.2, 0.6))
                    self.student_list.append(student)
                    self._programme(student, w[Programme], w[ProgrammeItem])
                    self._dossier(student, w[CareerActivity])

    def _choose(self, student: StudentInfo) -> list[tuple[ModuleInfo, int]]:
        """The student's modules with their school year (year 3 = cohort, year 4 = cohort + 1)."""
        rng, school, lw = self.rng, student.school, student.leerweg
        y3, y4 = student.cohort, student.cohort + 1
        pool = [m for m in school.pool if lw in m.leerwegen]
        if school.regulation == "vmbo-huidig":
            if lw == "TL":
                return []
            need_pm = {"BB": 4, "KB": 4, "GL": 2}[lw]
            need_kv = need_pm
            own = [m for m in pool if m.legacy_kind == "profielmodule" and student.profiel in m.profielen]
            kv = [m for m in pool if m.legacy_kind == "keuzevak"]
            chosen = rng.sample(own, min(need_pm, len(own))) + rng.sample(kv, min(need_kv, len(kv)))
            half = len(chosen) // 2
            ordered = sorted(chosen, key=lambda m: (m.module_type != "INTRODUCTORY", m.code))  # kennismakend first
            return [(m, y3 if i < half else y4) for i, m in enumerate(ordered)]
        need = {"BB": 8, "KB": 8, "GL": 6, "TL": 4}[lw]
        n_intro = {"BB": 3, "KB": 3, "GL": 2, "TL": 2}[lw]
        if rng.random() < 0.15:
            need += 1
        if rng.random() < 0.03:
            need -= 1  # a programme that is still one module short: invalid, as in real life
        intro = [m for m in pool if m.module_type == "INTRODUCTORY"]
        deep = [m for m in pool if m.module_type == "DEEPENING"]
        own_first = sorted(intro, key=lambda m: (student.profiel not in m.profielen, rng.random()))
        chosen_i = own_first[:n_intro]
        heavy = school.heavy if (student.cohort == EXAM_COHORT and school.heavy is not None
                                 and lw in school.heavy.leerwegen) else None
        deep = [m for m in deep if m is not heavy]
        chosen_d = ([heavy] if heavy else []) + sorted(deep, key=lambda m: (student.profiel not in m.profielen,
                                                                             rng.random()))[:max(0, need - n_intro - bool(heavy))]
        # year 3: the kennismakende modules and the first verdiepende; year 4: the rest (at most 6 a year)
        out = [(m, y3) for m in chosen_i]
        rest = [m for m in chosen_d if m is not heavy]
        room = max(0, min(6, need // 2) - len(out))
        out += [(m, y3) for m in rest[:room]]
        out += [(m, y4) for m in rest[room:]]
        if heavy:
            out.append((heavy, y4))
        return out

    def _programme(self, student: StudentInfo, programmes, items) -> None:
        status = {2025: "approved", 2026: "approved", 2027: "proposed", 2028: "concept"}[student.cohort]
        school = student.school
        pid = programmes.add(student_id=student.id, regulation_id=school.regulation, status=status,
                             approved_at=NOW if status == "approved" else None,
                             approved_by_id=school.counsellor if status == "approved" else None,
                             proposed_at=NOW if status != "concept" else None)
        for period, (m, year) in enumerate(self._choose(student)):
            if student.cohort == EXAM_COHORT:
                item_status = "completed"  # set to not_completed below when the module was failed
            elif student.cohort == CURRENT_YEAR and year == CURRENT_YEAR:
                item_status = "enrolled"
            else:
                item_status = "planned"
            iid = items.add(programme_id=pid, module_version_id=m.version_id,
                            offering_id=school.offerings.get((m.version_id, year)), school_year=year,
                            year_level=year - student.cohort + 3, period=period % 4 + 1, status=item_status)
            student.items.append((m, year, iid))

    def _dossier(self, student: StudentInfo, activities) -> None:
        rng = self.rng
        n = {2025: 3, 2026: 2, 2027: 1, 2028: 1}[student.cohort]
        spread = (("qualities", "motives"), ("work_exploration", "career_steering"), ("networking", "qualities"))
        for k in range(n):
            complete = rng.random() > 0.02
            activities.add(student_id=student.id, date=dt.date(student.cohort - 2 + k, 10, 1 + k), kind="company_visit",
                           title=f"LOB-activiteit {k + 1}", goals="Ontdekken wat bij mij past.",
                           results="Een dag meegelopen.", evaluation="Ik weet meer over het werk.",
                           follow_up="Een snuffelstage plannen." if complete else "",
                           **dict.fromkeys(spread[k], True))

    # --- assessment --------------------------------------------------------------------------------

    def assessment(self) -> None:
        from maatwerk.assessment.models import ModuleResult, Pta, PtaItem, Result, SubjectGrade
        from maatwerk.rules import load_regulation
        from maatwerk.rules.outcome import ItemResultInput, PtaItemInput, module_outcome
        from maatwerk.students.models import ProgrammeItem

        rng, w = self.rng, self.writer
        regulations = {r: load_regulation(r) for r in ("spv-modulair", "vmbo-huidig")}
        forms = ("written", "practical", "proeve", "presentation", "portfolio")
        through = PtaItem.module_versions.through
        # PTA per school and cohort, 5 items per module offered (the heavy module of school 0: 25)
        self.items: dict[tuple[int, int, int], list[tuple[int, str, bool]]] = {}  # (school, cohort, version)
        for school in self.school_list:
            for cohort in COHORTS:
                pta = w[Pta].add(school_id=school.id, cohort=cohort, exam_year=cohort + 1,
                                 title=f"PTA cohort {cohort}-{cohort + 1}", regulation_id=school.regulation,
                                 status="published", adopted_at=NOW, published_at=NOW, adopted_by_id=school.leader,
                                 for_bb=True, for_kb=True, for_gl=True, for_tl=True,
                                 resit_rules="Per periode een herkansing.")
                for m in school.pool:
                    heavy = m is school.heavy
                    n = HEAVY_ITEMS if heavy else ITEMS_PER_MODULE
                    group = []
                    for k in range(1, n + 1):
                        code = f"{m.code}.{k}"
                        resit = not heavy
                        iid = w[PtaItem].add(pta_id=pta, code=code, title=f"{m.code} onderdeel {k}",
                                             form=forms[k % len(forms)], result_kind="grade", weight=Decimal("1"),
                                             period=(k - 1) % 4 + 1, resit_allowed=resit, max_attempts=2 if resit else 1)
                        w[through].add(ptaitem_id=iid, moduleversion_id=m.version_id)
                        group.append((iid, code, resit))
                    self.items[(school.id, cohort, m.version_id)] = group
                school.ptas[cohort] = pta
        # results, module results and subject grades
        self.completed = Counter()  # (module id, brin, school year) -> completed module exams
        status_updates: list[tuple[int, str]] = []
        results, module_results, grades = w[Result], w[ModuleResult], w[SubjectGrade]
        for student in self.student_list:
            if student.cohort not in (EXAM_COHORT, CURRENT_YEAR):
                continue
            school = student.school
            regulation = regulations[school.regulation]
            pta = school.ptas[student.cohort]
            for m, year, item_id in student.items:
                group = self.items[(school.id, student.cohort, m.version_id)]
                if student.cohort == EXAM_COHORT:
                    graded = group
                elif year == CURRENT_YEAR:
                    graded = group[:2]
                else:
                    continue
                module_ability = student.ability + rng.gauss(0, 0.3)
                inputs = []
                for iid, code, resit in graded:
                    grade = _tenths(rng.gauss(module_ability, 0.9))
                    day = dt.date(year if code[-1] in "12" else year + 1, 11 if code[-1] in "12" else 3, 14)
                    results.add(student_id=student.id, item_id=iid, attempt=1, grade=grade, assessed_on=day,
                                assessor_id=school.teachers[iid % len(school.teachers)])
                    inputs.append(ItemResultInput(code, 1, grade))
                    if resit and grade < Decimal("5.5") and rng.random() < 0.6:
                        second = _tenths(float(grade) + abs(rng.gauss(1.0, 0.8)))
                        results.add(student_id=student.id, item_id=iid, attempt=2, grade=second,
                                    assessed_on=day + dt.timedelta(days=21),
                                    assessor_id=school.teachers[iid % len(school.teachers)])
                        inputs.append(ItemResultInput(code, 2, second))
                pta_items = tuple(PtaItemInput(code, Decimal("1"), "grade", resit, 2 if resit else 1)
                                  for _, code, resit in group)
                outcome = module_outcome(tuple(inputs), pta_items, regulation)
                done = outcome.outcome in ("PASSED", "FAILED")
                module_results.add(student_id=student.id, module_version_id=m.version_id, pta_id=pta,
                                   outcome=outcome.outcome, grade=outcome.grade, final_grade=outcome.final_grade,
                                   level=student.leerweg, school_year=year if done else None,
                                   findings=[{**f.as_dict(), "subject": f.subject} for f in outcome.findings])
                if done:
                    self.completed[(m.id, school.brin, year)] += 1
                    if outcome.outcome == "FAILED":
                        status_updates.append((item_id, "not_completed"))
            if student.cohort == EXAM_COHORT:
                self._subject_grades(student, grades)
        self.writer.flush()
        for start in range(0, len(status_updates), 5000):
            chunk = [pk for pk, _ in status_updates[start:start + 5000]]
            ProgrammeItem.objects.filter(pk__in=chunk).update(status="not_completed")

    def _subject_grades(self, student: StudentInfo, grades) -> None:
        rng, lw = self.rng, student.leerweg
        a = student.ability

        def graded(code, name, kind="algemeen", ce=True):
            se = _tenths(rng.gauss(a, 0.8))
            cen = _tenths(rng.gauss(a - 0.3, 1.0)) if ce else None
            grades.add(student_id=student.id, school_year=CURRENT_YEAR, code=code, name=name, kind=kind,
                       school_exam=se, central_exam=cen)

        def qualified(code, name, kind, weights):
            grades.add(student_id=student.id, school_year=CURRENT_YEAR, code=code, name=name, kind=kind,
                       qualification=rng.choices(("voldoende", "goed", "onvoldoende"), weights=weights)[0])

        graded("ne", "Nederlands")
        graded("en", "Engels")
        graded("ma", "maatschappijleer", ce=False)
        for code, name in rng.sample(GENERAL_OPTIONAL, GENERAL_COUNT[lw]):
            graded(code, name)
        if student.school.regulation == "vmbo-huidig" and lw != "TL":
            graded("pv", f"profielvak {student.profiel}", kind="profielvak")
        qualified("lo", "lichamelijke opvoeding", "lo", (70, 29, 1))
        qualified("ckv", "kunstvakken", "kunstvak", (70, 30, 0))
        if lw in ("GL", "TL"):
            qualified("pws", "profielwerkstuk", "profielwerkstuk", (60, 38, 2))

    # --- teaching groups ---------------------------------------------------------------------------

    def groups(self) -> None:
        from maatwerk.schools.models import TeachingGroup

        w = self.writer
        through = TeachingGroup.students.through
        taking: dict[tuple[int, int], list[int]] = defaultdict(list)  # (school, version) -> students in 2026
        for student in self.student_list:
            for m, year, _ in student.items:
                if year == CURRENT_YEAR and student.cohort in (EXAM_COHORT, CURRENT_YEAR):
                    taking[(student.school.id, m.version_id)].append(student.id)
        schools = {s.id: s for s in self.school_list}
        codes = {m.version_id: m.code for m in self.modules}
        self.heavy_group = None
        for (school_id, version_id), ids in sorted(taking.items()):
            school = schools[school_id]
            offering = school.offerings.get((version_id, CURRENT_YEAR))
            if offering is None:
                continue
            for g, start in enumerate(range(0, len(ids), GROUP_SIZE)):
                gid = w[TeachingGroup].add(school_id=school_id, offering_id=offering, name=f"{codes[version_id]}-{g + 1}",
                                           period=g % 4 + 1, teacher_id=school.teachers[g % len(school.teachers)],
                                           schedule="di 3e-4e uur")
                for sid in ids[start:start + GROUP_SIZE]:
                    w[through].add(teachinggroup_id=gid, student_id=sid)
                if (self.heavy_group is None and school.heavy is not None and version_id == school.heavy.version_id):
                    self.heavy_group = gid

    # --- usage reports -----------------------------------------------------------------------------

    def usage(self) -> None:
        from maatwerk.catalog.models import ModuleUsageReport

        rng, w = self.rng, self.writer
        reports: dict[tuple[int, int, str], int] = {}
        for school in self.school_list:
            for m in school.pool:
                for year in USAGE_YEARS:
                    if year < m.valid_from:
                        continue
                    exams = self.completed.get((m.id, school.brin, year), 0)
                    if year < CURRENT_YEAR:  # the cohorts that left before the generated ones
                        exams += rng.randint(0, 12)
                    reports[(m.id, year, school.brin)] = exams
        for (module_id, year, brin), exams in sorted(reports.items()):
            w[ModuleUsageReport].add(module_id=module_id, school_year=year, brin=brin, exams_taken=exams,
                                     source="local")


def main_report(scale: float, seed: int, out=print) -> Report:
    """Generate and print the report (used by `maatwerk bench generate` and bench/generate.py)."""
    report = generate(scale, seed, out=out)
    for line in report.lines():
        out(line)
    return report


__all__ = ["COHORTS", "CURRENT_YEAR", "EXAM_COHORT", "GenerateError", "Plan", "Report", "generate", "main_report"]
