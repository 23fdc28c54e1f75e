"""/api/v1/schools/: the same services and errors as the pages, scoped to the user's school."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maatwerk.accounts.models import Role
from maatwerk.schools import services
from maatwerk.schools.models import Licence, Offering, Package, Partner, SchoolPolicy, TeachingGroup
from tests import factories as f

from .conftest import version

pytestmark = pytest.mark.django_db
API = "/api/v1/schools"


@pytest.fixture
def licensed(school):
    f.LicenceFactory(school=school, from_year=2020)
    return school


def test_create_an_offering_and_be_refused_with_the_engines_codes(client, login, licensed, leader):
    login(client, leader)
    ok = version("ZW-K-01")
    response = client.post(f"{API}/offerings/", {"module_version": ok.pk, "school_year": 2026,
                                                 "leerwegen": ["BB", "KB"]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["offering"]["leerwegen"] == ["BB", "KB"]
    eo = version("EO-K-01", profielen=("EO",))
    response = client.post(f"{API}/offerings/", {"module_version": eo.pk, "school_year": 2026},
                           content_type="application/json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "offering_refused"
    assert [d["code"] for d in body["details"]] == ["PROGRAMME_PROFIEL_NOT_LICENSED"]
    assert body["message"]["nl"] and body["message"]["en"]
    retired = version("ZW-K-02")
    retired.module.retired_from = 2026
    retired.module.save()
    body = client.post(f"{API}/offerings/", {"module_version": retired.pk, "school_year": 2026},
                       content_type="application/json").json()
    assert [d["code"] for d in body["details"]] == ["PROGRAMME_MODULE_RETIRED"]


def test_bulk_and_copy(client, login, licensed, leader):
    login(client, leader)
    versions = [version(f"ZW-K-1{i}") for i in range(3)] + [version("EO-K-11", profielen=("EO",))]
    body = client.post(f"{API}/offerings/bulk/", {"school_year": 2025, "module_versions": [v.pk for v in versions]},
                       content_type="application/json").json()
    assert len(body["created"]) == 3 and list(body["refused"]) == ["EO-K-11"]
    body = client.post(f"{API}/offerings/copy/", {"from_year": 2025, "to_year": 2026},
                       content_type="application/json").json()
    assert len(body["created"]) == 3
    response = client.get(f"{API}/offerings/", {"school_year": 2026, "page_size": 2})
    assert response.json()["count"] == 3 and len(response.json()["results"]) == 2


def test_packages_report_their_completable_leerwegen(client, login, licensed, leader):
    login(client, leader)
    for i in range(3):
        services.plan_offering(school=licensed, module_version=version(f"ZW-K-2{i}"), school_year=2026, by=leader)
        services.plan_offering(school=licensed, module_version=version(f"ZW-V-2{i}", module_type="DEEPENING"),
                               school_year=2026, by=leader)
    codes = [f"ZW-K-2{i}" for i in range(3)] + [f"ZW-V-2{i}" for i in range(3)]
    check = client.post(f"{API}/packages/check/", {"school_year": 2026, "modules": codes},
                        content_type="application/json").json()
    assert {v["leerweg"]: v["ok"] for v in check["verdicts"]} == {"BB": False, "KB": False, "GL": True, "TL": False}
    assert "PACKAGE_UNITS_TOO_FEW" in {x["code"] for v in check["verdicts"] for x in v["findings"]}
    response = client.post(f"{API}/packages/", {
        "name": "Zorg", "kind": "broad", "school_year": 2026,
        "module_list": [{"module": c} for c in codes]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["completable"] == ["GL"]
    pk = response.json()["id"]
    assert client.get(f"{API}/packages/").json()["results"][0]["completable"] == ["GL"]
    detail = client.get(f"{API}/packages/{pk}/completability/").json()
    assert [v["leerweg"] for v in detail["verdicts"]] == ["BB", "KB", "GL", "TL"]


def test_teaching_group_with_mixed_leerwegen(client, login, licensed, leader):
    login(client, leader)
    offering, _ = services.plan_offering(school=licensed, module_version=version("ZW-K-30"), school_year=2026,
                                         by=leader)
    students = [f.StudentFactory(school=licensed, leerweg=lw) for lw in ("BB", "KB", "GL", "TL")]
    response = client.post(f"{API}/teaching-groups/", {"offering": offering.pk, "name": "3zw",
                                                       "student_ids": [s.pk for s in students[:3]]},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["leerwegen"] == {"BB": 1, "KB": 1, "GL": 1}
    pk = response.json()["id"]
    body = client.post(f"{API}/teaching-groups/{pk}/add-students/", {"student_ids": [students[3].pk]},
                       content_type="application/json").json()
    assert body["code"] == "student_leerweg_not_offered"
    # the module has no TL elaboration, and the school offers it for BB, KB and GL only
    assert {d["code"] for d in body["details"]} == {"PROGRAMME_MODULE_WRONG_LEERWEG", "PROGRAMME_MODULE_NOT_OFFERED"}


def test_policy_and_partners(client, login, licensed, leader):
    login(client, leader)
    response = client.post(f"{API}/policies/", {"introductory_before_deepening": True, "extra_min_units": {"BB": 1}},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    assert SchoolPolicy.objects.get(school=licensed).introductory_before_deepening
    body = client.post(f"{API}/policies/", {"max_units_per_year": 1}, content_type="application/json").json()
    assert body["code"] == "policy_outside_regulation"
    response = client.post(f"{API}/partners/", {"name": "Hotel De Wijk", "kind": "company",
                                                "offers_internship": True}, content_type="application/json")
    assert response.status_code == 201
    assert client.post(f"{API}/partners/", {"name": "Hotel De Wijk"},
                       content_type="application/json").json()["code"] == "partner_exists"


def test_import_through_the_api_is_all_or_nothing(client, login, licensed, leader):
    login(client, leader)
    version("ZW-K-40")
    text = b"Schooljaar;Modulecode\n2026;ZW-K-40\n2026;BESTAAT-NIET\n"
    response = client.post(f"{API}/imports/", {"kind": "aanbod", "dry_run": "true",
                                               "file": SimpleUploadedFile("a.csv", text)})
    assert response.status_code == 200 and [e["line"] for e in response.json()["errors"]] == [3]
    response = client.post(f"{API}/imports/", {"kind": "aanbod", "dry_run": "false",
                                               "file": SimpleUploadedFile("a.csv", text)})
    assert response.status_code == 400 and response.json()["code"] == "import_rejected"
    assert response.json()["details"]["errors"][0]["line"] == 3
    assert not Offering.objects.exists()
    response = client.get(f"{API}/exports/aanbod/", {"file_format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_the_public_endpoint_needs_no_login_and_holds_no_personal_data(client, licensed, leader):
    offering, _ = services.plan_offering(school=licensed, module_version=version("ZW-K-50"), school_year=2026,
                                         by=leader)
    f.PartnerFactory(school=licensed, name="Hotel", contact_email="geheim@hotel.example")
    response = client.get(f"{API}/public/{licensed.brin}/", {"school_year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ZW-K-50" in body and "Hotel" in body and "geheim@hotel.example" not in body
    assert client.get(f"{API}/public/99ZZ/").status_code == 404


# --- tenancy -------------------------------------------------------------------------------------------

def test_school_a_cannot_read_or_change_anything_of_school_b(client, login, two_schools):
    a, b = two_schools["a"], two_schools["b"]
    login(client, a["staff"][Role.SCHOOL_LEADER])
    b_school = b["school"]
    rows = {
        "offerings": b["offering"].pk, "teaching-groups": b["group"].pk, "partners": b["partner"].pk,
        "packages": Package.objects.filter(school=b_school).first().pk,
        "licences": Licence.objects.filter(school=b_school).first().pk,
        "policies": SchoolPolicy.objects.get(school=b_school).pk, "schools": b_school.pk,
    }
    counts = lambda: (Offering.objects.filter(school=b_school).count(), Package.objects.filter(school=b_school).count(),  # noqa: E731
                      Partner.objects.filter(school=b_school).count(), b["group"].students.count(),
                      Licence.objects.filter(school=b_school).count(),
                      TeachingGroup.objects.filter(school=b_school).count())
    before = counts()
    for endpoint, pk in rows.items():
        listing = client.get(f"{API}/{endpoint}/").json()
        assert pk not in [r["id"] for r in listing["results"]], endpoint
        assert client.get(f"{API}/{endpoint}/{pk}/").status_code == 404, endpoint
        assert client.patch(f"{API}/{endpoint}/{pk}/", {"name": "overgenomen", "capacity": 1},
                            content_type="application/json").status_code == 404, endpoint
        if endpoint not in {"schools", "policies"}:
            assert client.delete(f"{API}/{endpoint}/{pk}/").status_code == 404, endpoint
    # creating rows in school B, or linking B's rows into A's, is refused
    for endpoint, body in [("offerings", {"module_version": b["offering"].module_version_id, "school_year": 2027}),
                           ("partners", {"name": "Inbreker"}), ("licences", {"profiel": "EO", "from_year": 2027}),
                           ("packages", {"name": "x", "kind": "broad", "school_year": 2027}),
                           ("policies", {"max_units_per_year": 5})]:
        response = client.post(f"{API}/{endpoint}/", {**body, "school_id": b_school.pk},
                               content_type="application/json")
        assert response.status_code == 404, (endpoint, response.content)
    assert client.post(f"{API}/teaching-groups/", {"offering": b["offering"].pk, "name": "x"},
                       content_type="application/json").status_code == 400  # B's offering does not exist for A
    assert client.post(f"{API}/teaching-groups/{a['group'].pk}/add-students/",
                       {"student_ids": [b["students"][0].pk]}, content_type="application/json").status_code == 404
    assert client.post(f"{API}/offerings/", {"module_version": a["offering"].module_version_id, "school_year": 2027,
                                             "partner": b["partner"].pk}, content_type="application/json"
                       ).status_code == 400
    assert client.post(f"{API}/packages/{rows['packages']}/completability/").status_code in {404, 405}
    assert client.get(f"{API}/exports/leerlingen/", {"school": b_school.pk}).status_code == 404
    assert client.post(f"{API}/imports/", {"school_id": b_school.pk, "kind": "aanbod",
                                           "file": SimpleUploadedFile("a.csv", b"Schooljaar;Modulecode\n")}
                       ).status_code == 404
    assert counts() == before


def test_a_teacher_reads_but_cannot_write(client, login, two_schools):
    a = two_schools["a"]
    login(client, a["staff"][Role.TEACHER])
    assert client.get(f"{API}/offerings/{a['offering'].pk}/").status_code == 200
    assert client.delete(f"{API}/offerings/{a['offering'].pk}/").status_code == 403
    assert client.post(f"{API}/partners/", {"name": "x"}, content_type="application/json").status_code == 403
    assert Offering.objects.filter(pk=a["offering"].pk).exists()


def test_anonymous_users_get_nothing_but_the_public_page(client, two_schools):
    for endpoint in ("offerings", "packages", "teaching-groups", "partners", "licences", "policies", "schools"):
        assert client.get(f"{API}/{endpoint}/").json()["count"] == 0
    assert client.post(f"{API}/partners/", {"name": "x"}, content_type="application/json").status_code in {401, 403}


@pytest.mark.parametrize("endpoint", ["offerings", "packages", "teaching-groups", "partners"])
def test_list_query_counts_stay_flat(client, login, endpoint):
    counts = []
    for n in (3, 30):
        school = f.SchoolFactory()
        leader = f.member(Role.SCHOOL_LEADER, school=school)
        f.LicenceFactory(school=school, from_year=2020)
        teacher = f.member(Role.TEACHER, school=school)
        for i in range(n):
            o, _ = services.plan_offering(school=school, module_version=version(f"Q{n}-{i}"), school_year=2026,
                                          teachers=[teacher], by=leader)
            services.create_teaching_group(school=school, offering=o, name="g", students=[
                f.StudentFactory(school=school, leerweg=lw) for lw in ("BB", "KB")], by=leader)
            services.create_package(school=school, name=f"P{i}", kind="narrow", school_year=2026,
                                    modules=[o.module_version.module], by=leader)
            f.PartnerFactory(school=school)
        client.logout()
        login(client, leader)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{API}/{endpoint}/")
        assert response.json()["count"] == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
