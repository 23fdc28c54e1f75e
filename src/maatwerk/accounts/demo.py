"""Demo step 1: the steward, platforms, two schools with staff of every role, partners and
200 students with Dutch names over BB, KB, GL and TL and leerjaar 1-4, and last year's exam cohort:
the alumni who did their exam in the previous school year and left in July (`Student.left_on`), so that
the exam office has signed-off results to show in November."""

from __future__ import annotations

import datetime as dt

from maatwerk.accounts.models import STAFF_ROLES, Membership, Platform, Role, User
from maatwerk.domain import Leerweg

FIRST_NAMES = [
    "Sanne", "Daan", "Emma", "Noah", "Lotte", "Sem", "Mila", "Levi", "Zoë", "Finn", "Julia", "Luuk", "Tess",
    "Milan", "Sophie", "Jesse", "Fleur", "Thijs", "Anouk", "Bram", "Mohammed", "Fatima", "Yusuf", "Aylin",
    "Bilal", "Priya", "Dewi", "Kevin", "Jayden", "Chantal", "Ilse", "Ricardo", "Nour", "Ilias", "Esra",
    "Dylan", "Kimberly", "Stijn", "Lieke", "Tim", "Amira", "Senna", "Mees", "Roos", "Hamza", "Jill", "Gijs",
    "Yara", "Rayan", "Noa", "Sven", "Maud", "Liam", "Evi", "Ayoub", "Naomi", "Jens", "Lina", "Wout", "Isa",
]
LAST_NAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("", "Visser"), ("", "Smit"),
    ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("", "Kok"), ("", "Yılmaz"), ("El", "Amrani"),
    ("", "Kaya"), ("", "Öztürk"), ("", "Nguyen"), ("", "Pinas"), ("", "Ramdin"), ("", "Bouzid"),
    ("van", "Dam"), ("", "Koster"), ("", "Prins"), ("", "Huisman"), ("", "Postma"), ("van", "Dijk"),
    ("", "Kuipers"), ("ter", "Horst"), ("", "Veenstra"), ("", "Schouten"), ("in 't", "Veld"), ("", "Boukhari"),
]

SCHOOLS = [
    {
        "brin": "21KR", "name": "Het Baken Scholengemeenschap", "city": "Zwolle", "region": "RMC-regio IJssel-Vecht",
        "is_vakschool": False, "domain": "hetbaken.demo",
        "description": "Brede scholengemeenschap voor vmbo (alle leerwegen), met vijf profielen en een breed "
                       "aanbod van kennismakende en verdiepende modulen.",
        "locations": [("00", "Het Baken vmbo", "Zwolle"), ("01", "Het Baken Kampen", "Kampen")],
        "students": 130, "alumni": 28, "leerwegen": [Leerweg.BB, Leerweg.KB, Leerweg.GL, Leerweg.TL],
        "partners": [
            ("Zorgcentrum De Linde", "company", "Zwolle", True, True, True),
            ("Hotel De Wijk", "company", "Zwolle", True, True, True),
            ("Mbo College IJssel-Vecht", "mbo_college", "Zwolle", True, False, True),
            ("Installatiebedrijf Van Dam & Zn.", "company", "Kampen", True, True, True),
        ],
    },
    {
        "brin": "30PF", "name": "Vakschool Maasstad Horeca & Bakkerij", "city": "Rotterdam",
        "region": "RMC-regio Rijnmond", "is_vakschool": True, "domain": "vakschoolmaasstad.demo",
        "description": "Vakschool voor horeca, bakkerij en recreatie: smalle pakketten die rechtstreeks "
                       "doorlopen naar het mbo.",
        "locations": [("00", "Vakschool Maasstad", "Rotterdam")],
        "students": 70, "alumni": 21, "leerwegen": [Leerweg.BB, Leerweg.KB, Leerweg.GL],
        "partners": [
            ("Grand Hotel Maasoever", "company", "Rotterdam", True, True, True),
            ("Bakkerij Van der Meer", "company", "Schiedam", True, True, True),
            ("Mbo College Maasstad", "mbo_college", "Rotterdam", True, False, True),
        ],
    },
]

STAFF = [
    # (role, local part, first, infix, last)
    (Role.SCHOOL_LEADER, "schoolleider", "Marieke", "", "Hoekstra"),
    (Role.EXAM_SECRETARY, "examensecretaris", "Peter", "van", "Wijk"),
    (Role.COUNSELLOR, "decaan", "Saskia", "", "Bosman"),
    (Role.MENTOR, "mentor", "Ahmed", "", "Benali"),
    (Role.MENTOR, "mentor2", "Linda", "de", "Jong"),
    (Role.MENTOR, "mentor3", "Rob", "", "Verhoeven"),
    (Role.TEACHER, "docent", "Eva", "", "Kramer"),
    (Role.TEACHER, "docent2", "Joost", "van", "Oorschot"),
    (Role.TEACHER, "docent3", "Hatice", "", "Demir"),
    (Role.PROPOSER, "indiener", "Wim", "", "Pieterse"),
]
#: Staff names at the vakschool (so the two schools do not share people).
STAFF_VAK = ["Ingrid Zwart", "Martijn Blom", "Karin Groen", "Youssef Amrani", "Petra Wolters",
             "Dennis Koning", "Monique Verbeek", "Richard Lammers", "Esther Faber", "Hans Tromp"]


def _user(ctx, email: str, first: str, infix: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "infix": infix, "last_name": last, "password": ctx.password_hash}
    )
    return user


def _member(user, role, **orgs) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, role=role, **orgs)
    if role in STAFF_ROLES:
        # Staff log in with a second factor; the demo's shared TOTP secret is in the README.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from maatwerk.web.demo import DEMO_TOTP_KEY_HEX

        TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY_HEX,
                                                                            "confirmed": True})
    return membership


def load(ctx) -> None:
    from maatwerk.schools.models import Partner, School, SchoolLocation
    from maatwerk.students.models import Student

    steward = _user(ctx, "beheerder@maatwerk.demo", "Anne", "", "Verbruggen")
    _member(steward, Role.STEWARD)
    for code, name in [("bwi", "Platform Bouwen, wonen en interieur"), ("tl", "Platform TL"),
                       ("zw", "Platform Zorg en welzijn"), ("hbr", "Platform Horeca, bakkerij en recreatie")]:
        platform, _ = Platform.objects.get_or_create(code=code, defaults={"name": name})
        if code in {"bwi", "zw"}:
            proposer = _user(ctx, f"indiener@platform-{code}.demo", "Gerrit" if code == "bwi" else "Yvonne", "",
                             "Bruins" if code == "bwi" else "Lubbers")
            _member(proposer, Role.PROPOSER, platform=platform)

    rng = ctx.rng
    for spec in SCHOOLS:
        school, _ = School.objects.get_or_create(
            brin=spec["brin"],
            defaults={k: spec[k] for k in ("name", "city", "region", "is_vakschool", "description")},
        )
        locations = []
        for number, name, city in spec["locations"]:
            loc, _ = SchoolLocation.objects.get_or_create(school=school, number=number,
                                                          defaults={"name": name, "city": city})
            locations.append(loc)
        partners = []
        for name, kind, city, outside, internship, assessment in spec["partners"]:
            partner, _ = Partner.objects.get_or_create(school=school, name=name, defaults={
                "kind": kind, "city": city, "offers_outside_learning": outside, "offers_internship": internship,
                "offers_assessment": assessment, "contact_name": "Afdeling opleidingen",
                "contact_email": f"opleidingen@{name.lower().split()[0]}{school.brin.lower()}.demo",
            })
            partners.append(partner)
        staff = {}
        for i, (role, local, first, infix, last) in enumerate(STAFF):
            if school.is_vakschool:
                first, _, last = STAFF_VAK[i].partition(" ")
                infix = ""
            user = _user(ctx, f"{local}@{spec['domain']}", first, infix, last)
            _member(user, role, school=school)
            staff.setdefault(role, []).append(user)
        # the school leader also teaches nothing; one mentor is also a teacher (common in the vmbo)
        _member(staff[Role.MENTOR][0], Role.TEACHER, school=school)
        assessor = _user(ctx, f"beoordelaar@{spec['domain']}", "Tom" if not school.is_vakschool else "Nadia",
                         "", "Willems" if not school.is_vakschool else "Haddou")
        _member(assessor, Role.EXTERNAL_ASSESSOR, school=school, partner=partners[1 if not school.is_vakschool else 0])

        mentors = staff[Role.MENTOR]
        names: set[tuple[str, str]] = set()  # no two students of a school share a name
        if Student.objects.filter(school=school).exists():
            _alumni(ctx, school, spec, locations, mentors, names)
            continue
        students = []
        for n in range(spec["students"]):
            leerweg = spec["leerwegen"][n % len(spec["leerwegen"])]
            year_level = 1 + (n // len(spec["leerwegen"])) % 4
            first, infix, last = _name(rng, names)
            class_name = f"{year_level}{leerweg}{1 + n % 2 if leerweg != 'TL' else ''}"
            students.append(Student(
                school=school, location=locations[n % len(locations)],
                student_number=f"{(ctx.school_year - year_level + 1) % 100:02d}{school.pk:01d}{n:04d}",
                first_name=first, infix=infix, last_name=last, leerweg=leerweg, year_level=year_level,
                cohort=ctx.school_year + (3 - year_level), class_name=class_name,
                mentor=mentors[n % len(mentors)],
            ))
        Student.objects.bulk_create(students)
        students = list(Student.objects.filter(school=school).order_by("student_number"))
        # Every student gets a login; the first one (a GL student in leerjaar 3) is the documented demo
        # leerling, with a parent.
        demo_student = next(s for s in students if s.year_level == 3 and s.leerweg == Leerweg.GL)
        demo_student.mentor = mentors[0]  # the documented mentor's mentee
        demo_student.save(update_fields=["mentor"])
        for student in students:
            local = "leerling" if student is demo_student else f"ll{student.student_number}"
            user = _user(ctx, f"{local}@{spec['domain']}", student.first_name, student.infix, student.last_name)
            _member(user, Role.STUDENT, school=school, student=student)
        parent = _user(ctx, f"ouder@{spec['domain']}", "Karin" if not school.is_vakschool else "Samir",
                       demo_student.infix, demo_student.last_name)
        _member(parent, Role.PARENT, school=school, student=demo_student)
        alumni = _alumni(ctx, school, spec, locations, mentors, names)
        ctx.say(f"  {school}: {len(students)} leerlingen, {alumni} oud-leerlingen (examen {ctx.school_year - 1}-"
                f"{ctx.school_year}), {len(partners)} partners, {sum(len(v) for v in staff.values()) + 1} medewerkers")


def _name(rng, taken: set) -> tuple[str, str, str]:
    """A first name and a surname, not yet used at the school."""
    while True:
        first = rng.choice(FIRST_NAMES)
        infix, last = rng.choice(LAST_NAMES)
        if (first, last) not in taken:
            taken.add((first, last))
            return first, infix, last


def _alumni(ctx, school, spec, locations, mentors, names) -> int:
    """Last year's exam cohort (cohort sy-2, leerjaar 4 in sy-1): they left in July after the exam. They keep
    their records (programme, results, exam decision, certificates) but no longer log in."""
    from maatwerk.students.models import Student

    if Student.objects.filter(school=school, left_on__isnull=False).exists():
        return 0
    names |= set(Student.objects.filter(school=school).values_list("first_name", "last_name"))
    sy, rng, leerwegen = ctx.school_year, ctx.rng, spec["leerwegen"]
    rows = []
    for i in range(spec["alumni"]):
        leerweg = leerwegen[i % len(leerwegen)]
        first, infix, last = _name(rng, names)
        n = spec["students"] + i
        rows.append(Student(
            school=school, location=locations[i % len(locations)],
            student_number=f"{(sy - 4) % 100:02d}{school.pk:01d}{n:04d}", first_name=first,
            infix=infix, last_name=last, leerweg=leerweg, year_level=4, cohort=sy - 2,
            class_name=f"4{leerweg}{1 + i % 2 if leerweg != 'TL' else ''}", mentor=mentors[i % len(mentors)],
            enrolled_on=dt.date(sy - 5, 8, 20), left_on=dt.date(sy, 7, 10),
        ))
    Student.objects.bulk_create(rows)
    return len(rows)
