"""The planning pages and the public school page: they work, they show the engine's verdicts, their
query counts stay flat, and a user of school A cannot read or change anything of school B."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.catalog.models import ModuleGuide, unfrozen
from maatwerk.schools import services
from maatwerk.schools.models import Licence, Offering, Package, Partner, TeachingGroup
from maatwerk.schools.selectors import planning_year
from tests import factories as f

from .conftest import version

pytestmark = pytest.mark.django_db
YEAR = planning_year()


def plan(school, leader, n, prefix="ZW-K", module_type="INTRODUCTORY"):
    return [services.plan_offering(school=school, module_version=version(f"{prefix}-{i:02d}", module_type=module_type),
                                   school_year=YEAR, by=leader)[0] for i in range(n)]


@pytest.fixture
def licensed(school):
    f.LicenceFactory(school=school, from_year=2020)
    return school


def test_offering_page_lists_the_offering_and_its_licences(client, login, licensed, leader):
    plan(licensed, leader, 2)
    login(client, leader)
    html = client.get(reverse("schools:offering")).content.decode()
    assert "ZW-K-00" in html and "ZW-K-01" in html
    assert "Modulen toevoegen uit de menukaart" in html
    assert "Z&amp;W" in html  # the licence badge


def test_pick_from_the_menukaart_and_add_in_bulk(client, login, licensed, leader):
    good = [version(f"ZW-K-1{i}") for i in range(3)]
    unlicensed = version("EO-K-10", profielen=("EO",))
    login(client, leader)
    page = client.get(reverse("schools:offering_add"), {"jaar": YEAR, "q": "K-1"}).content.decode()
    assert "geen licentie" in page  # the engine's reason, shown before ticking
    response = client.post(f"{reverse('schools:offering_add')}?jaar={YEAR}",
                           {"jaar": YEAR, "versions": [v.pk for v in good], "leerwegen": ["BB", "KB"]})
    assert response.status_code == 302
    assert Offering.objects.filter(school=licensed, school_year=YEAR).count() == 3
    assert Offering.objects.filter(module_version=good[0]).get().leerwegen == ["BB", "KB"]
    response = client.post(f"{reverse('schools:offering_add')}?jaar={YEAR}",
                           {"jaar": YEAR, "versions": [unlicensed.pk]}, follow=True)
    assert "EO-K-10 niet toegevoegd" in response.content.decode()
    assert "geen licentie" in response.content.decode()
    assert not Offering.objects.filter(module_version=unlicensed).exists()


def test_copy_last_years_offering(client, login, licensed, leader):
    for v in (version("ZW-K-21"), version("ZW-K-22")):
        services.plan_offering(school=licensed, module_version=v, school_year=YEAR - 1, by=leader)
    login(client, leader)
    client.post(reverse("schools:offering_copy"), {"jaar": YEAR, "from_year": YEAR - 1})
    assert Offering.objects.filter(school=licensed, school_year=YEAR).count() == 2


def test_package_builder_shows_the_verdict_live_and_saves(client, login, licensed, leader):
    intro = plan(licensed, leader, 3)
    deep = plan(licensed, leader, 3, prefix="ZW-V", module_type="DEEPENING")
    modules = [o.module_version.module_id for o in intro + deep]
    login(client, leader)
    data = {"name": "Zorg breed", "kind": "broad", "school_year": YEAR, "modules": modules, "is_public": "on"}
    partial = client.post(reverse("schools:package_check"), data, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200 and 'id="verdict"' in html and "<html" not in html
    assert html.count("✓ kan het pakket afmaken") == 1  # GL only (6 units); BB and KB need 8
    assert "er zijn er minimaal 8 nodig" in html
    assert not Package.objects.exists()
    # without JavaScript: the "Controleer" button posts to the form's own URL and does not save
    html = client.post(reverse("schools:package_new"), {**data, "check": "1"}).content.decode()
    assert "✓ kan het pakket afmaken" in html and not Package.objects.exists()
    response = client.post(reverse("schools:package_new"), data)
    package = Package.objects.get()
    assert response.status_code == 302 and package.package_modules.count() == 6
    html = client.get(reverse("schools:packages"), {"jaar": YEAR}).content.decode()
    assert "Zorg breed" in html and "GL ✓" in html and "BB ✗" in html


def test_group_page_shows_each_students_own_guide(client, login, licensed, leader):
    offering = plan(licensed, leader, 1)[0]
    with unfrozen():
        ModuleGuide.objects.create(version=offering.module_version, leerweg="BB", emphasis="meer praktijk",
                                   text="Werk vooral in de praktijkruimte.")
        ModuleGuide.objects.create(version=offering.module_version, leerweg="GL", emphasis="meer theorie",
                                   text="Schrijf een verslag met onderbouwing.")
    students = [f.StudentFactory(school=licensed, leerweg=lw, last_name=f"Leerling{lw}") for lw in ("BB", "KB", "GL")]
    group = services.create_teaching_group(school=licensed, offering=offering, name="3zw-a", students=students,
                                           by=leader)
    login(client, leader)
    html = client.get(reverse("schools:group", args=[group.pk])).content.decode()
    assert "Werk vooral in de praktijkruimte." in html and "Schrijf een verslag" in html
    assert "geen handreiking voor KB" in html
    listing = client.get(reverse("schools:groups"), {"jaar": YEAR}).content.decode()
    assert "BB 1" in listing and "KB 1" in listing and "GL 1" in listing


def test_every_planning_page_renders(client, login, licensed, leader):
    offering = plan(licensed, leader, 1)[0]
    group = services.create_teaching_group(school=licensed, offering=offering, name="g", by=leader)
    package = services.create_package(school=licensed, name="P", kind="narrow", school_year=YEAR, by=leader)
    partner = f.PartnerFactory(school=licensed)
    login(client, leader)
    for url in [reverse("schools:offering"), reverse("schools:offering_add"),
                reverse("schools:offering_edit", args=[offering.pk]), reverse("schools:packages"),
                reverse("schools:package_new"), reverse("schools:package_edit", args=[package.pk]),
                reverse("schools:partners"), reverse("schools:partner_new"),
                reverse("schools:partner_edit", args=[partner.pk]), reverse("schools:groups"),
                reverse("schools:group_new"), reverse("schools:group", args=[group.pk]),
                reverse("schools:group_edit", args=[group.pk]), reverse("schools:policy"),
                reverse("schools:import"), reverse("schools:index")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'style="' not in response.content.decode(), url  # the CSP forbids inline styles
    for kind in ("aanbod", "leerlingen", "medewerkers", "lesgroepen"):
        for fmt in ("csv", "xlsx"):
            assert client.get(reverse("schools:export", args=[kind, fmt])).status_code == 200


def test_import_page_dry_run_then_import(client, login, licensed, leader):
    version("ZW-K-70")
    login(client, leader)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("aanbod.csv", f"Schooljaar;Modulecode\n{YEAR};ZW-K-70\n{YEAR};XX-1\n".encode())
    html = client.post(reverse("schools:import"), {"kind": "aanbod", "file": upload, "dry_run": "on",
                                                   "school_year": YEAR}).content.decode()
    assert "XX-1" in html and "er is niets veranderd" in html
    upload = SimpleUploadedFile("aanbod.csv", f"Schooljaar;Modulecode\n{YEAR};ZW-K-70\n".encode())
    response = client.post(reverse("schools:import"), {"kind": "aanbod", "file": upload, "dry_run": "on",
                                                       "school_year": YEAR})
    token = response.context["pending"]
    assert token and not Offering.objects.exists()
    client.post(reverse("schools:import"), {"token": token})
    assert Offering.objects.filter(school=licensed).count() == 1


def test_public_school_page_shows_packages_modules_partners_and_no_personal_data(client, licensed, leader):
    offering = plan(licensed, leader, 1)[0]
    offering.module_version.module  # noqa: B018
    partner = f.PartnerFactory(school=licensed, name="Zorgcentrum De Linde", contact_name="Mevrouw Geheim",
                               contact_email="geheim@linde.example")
    f.StudentFactory(school=licensed, first_name="Xanthippe", last_name="Privé")
    services.create_package(school=licensed, name="Zorg en welzijn breed", kind="broad", school_year=YEAR,
                            modules=[offering.module_version.module], regional_rationale="Veel zorg in de regio.",
                            by=leader)
    services.create_package(school=licensed, name="Geheim pakket", kind="narrow", school_year=YEAR,
                            is_public=False, by=leader)
    html = client.get(reverse("schools:public", args=[licensed.brin]), {"jaar": YEAR}).content.decode()
    assert licensed.name in html and "Zorg en welzijn breed" in html and "Veel zorg in de regio." in html
    assert offering.module_version.title in html and partner.name in html
    for secret in ("Geheim pakket", "Mevrouw Geheim", "geheim@linde.example", "Xanthippe", leader.email):
        assert secret not in html
    assert client.get(reverse("schools:public", args=["99ZZ"])).status_code == 404
    assert client.get(f"/scholen/{licensed.brin.lower()}/").status_code == 200


# --- tenancy: a user of school A cannot read or change anything of school B --------------------------

def test_school_a_cannot_read_or_change_school_b(client, login, two_schools):
    a, b = two_schools["a"], two_schools["b"]
    leader_a, leader_b = a["staff"][Role.SCHOOL_LEADER], b["staff"][Role.SCHOOL_LEADER]
    b_school = b["school"]
    package_b = Package.objects.filter(school=b_school).first()
    offering_b, group_b, partner_b = b["offering"], b["group"], b["partner"]
    licence_b = Licence.objects.filter(school=b_school).first()
    student_b = b["students"][0]
    before = (Offering.objects.filter(school=b_school).count(), Package.objects.filter(school=b_school).count(),
              Partner.objects.filter(school=b_school).count(), group_b.students.count(),
              Licence.objects.filter(school=b_school).count())
    login(client, leader_a)
    for url in [reverse("schools:offering_edit", args=[offering_b.pk]),
                reverse("schools:package_edit", args=[package_b.pk]),
                reverse("schools:partner_edit", args=[partner_b.pk]), reverse("schools:group", args=[group_b.pk]),
                reverse("schools:group_edit", args=[group_b.pk])]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "overgenomen", "leerwegen": ["BB"], "taught_at": "school"}).status_code == 404
    for url in [reverse("schools:offering_delete", args=[offering_b.pk]),
                reverse("schools:package_delete", args=[package_b.pk]),
                reverse("schools:partner_delete", args=[partner_b.pk]),
                reverse("schools:group_delete", args=[group_b.pk]),
                reverse("schools:group_remove_student", args=[group_b.pk, student_b.pk]),
                reverse("schools:licence_change", args=[licence_b.pk])]:
        assert client.post(url, {"action": "delete"}).status_code == 404, url
    # asking for school B explicitly gives A's own pages, never B's
    html = client.get(reverse("schools:offering"), {"school": b_school.pk}).content.decode()
    assert b_school.name not in html
    # the live check cannot read B's package either
    assert client.post(reverse("schools:package_check"), {"package": package_b.pk}).status_code == 404
    # and the export is A's
    body = client.get(reverse("schools:export", args=["leerlingen", "csv"]), {"school": b_school.pk}).content
    assert student_b.student_number.encode() not in body
    after = (Offering.objects.filter(school=b_school).count(), Package.objects.filter(school=b_school).count(),
             Partner.objects.filter(school=b_school).count(), group_b.students.count(),
             Licence.objects.filter(school=b_school).count())
    assert before == after
    assert leader_b  # B's own leader still sees B
    login(client, leader_b)
    assert client.get(reverse("schools:offering_edit", args=[offering_b.pk])).status_code == 200


def test_a_teacher_may_look_at_groups_but_not_change_them(client, login, two_schools):
    a = two_schools["a"]
    teacher = a["staff"][Role.TEACHER]
    login(client, teacher)
    assert client.get(reverse("schools:group", args=[a["group"].pk])).status_code == 200
    assert client.get(reverse("schools:offering")).status_code == 404
    response = client.post(reverse("schools:group_remove_student", args=[a["group"].pk, a["students"][0].pk]))
    assert response.status_code == 403
    assert a["group"].students.count() == 3
    assert client.post(reverse("schools:offering_delete", args=[a["offering"].pk])).status_code == 403
    assert Offering.objects.filter(pk=a["offering"].pk).exists()


# --- flat query counts ---------------------------------------------------------------------------------

def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _world(school, leader, n):
    offerings = plan(school, leader, n, prefix=f"ZW-Q{n}")
    teachers = [f.member(Role.TEACHER, school=school) for _ in range(2)]
    partner = f.PartnerFactory(school=school)
    for i, o in enumerate(offerings):
        services.change_offering(offering=o, by=leader, teachers=teachers, taught_at="both", partner=partner)
        students = [f.StudentFactory(school=school, leerweg=lw) for lw in ("BB", "KB", "GL")]
        services.create_teaching_group(school=school, offering=o, name=f"g{i}", teacher=teachers[0],
                                       students=students, by=leader)
        services.create_package(school=school, name=f"Pakket {i}", kind="broad", school_year=YEAR,
                                modules=[x.module_version.module for x in offerings[: 1 + i % 4]],
                                mbo_qualifications=[f.MboQualificationFactory()], by=leader)
    return offerings


@pytest.mark.parametrize("page", ["schools:offering", "schools:packages", "schools:groups"])
def test_query_counts_stay_flat(client, login, page):
    counts = []
    for n in (3, 30):
        school = f.SchoolFactory()
        leader = f.member(Role.SCHOOL_LEADER, school=school)
        f.LicenceFactory(school=school, from_year=2020)
        _world(school, leader, n)
        client.logout()
        login(client, leader)
        assert TeachingGroup.objects.filter(school=school).count() == n
        counts.append(count_queries(client, reverse(page), {"jaar": YEAR}))
    assert counts[0] == counts[1], counts


def test_group_detail_query_count_stays_flat(client, login, licensed, leader):
    counts = []
    for n in (3, 30):
        offering = plan(licensed, leader, 1, prefix=f"ZW-G{n}")[0]
        students = [f.StudentFactory(school=licensed, leerweg=("BB", "KB", "GL")[i % 3]) for i in range(n)]
        group = services.create_teaching_group(school=licensed, offering=offering, name=f"g{n}",
                                               students=students, by=leader)
        login(client, leader)
        counts.append(count_queries(client, reverse("schools:group", args=[group.pk])))
    assert counts[0] == counts[1], counts


def test_public_page_query_count_stays_flat(client, login):
    counts = []
    for n in (3, 30):
        school = f.SchoolFactory()
        leader = f.member(Role.SCHOOL_LEADER, school=school)
        f.LicenceFactory(school=school, from_year=2020)
        _world(school, leader, n)
        counts.append(count_queries(client, reverse("schools:public", args=[school.brin]), {"jaar": YEAR}))
    assert counts[0] == counts[1], counts
