"""The menukaart pages: search (accent-insensitive), filters, htmx, the module page, the diff, the steward
pages; and query counts that stay flat as the catalogue grows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.catalog import services
from maatwerk.catalog.models import MboQualification, Module, ModuleUsageReport
from maatwerk.catalog.services import SYSTEM
from maatwerk.kern.models import KernObjective

from .conftest import make_module


@pytest.fixture
def catalogue(db):
    mbo = MboQualification.objects.create(crebo="25960", name="Helpende Zorg en Welzijn", level=2)
    kern = KernObjective.objects.get(code="AV7.4", area__framework__version=1)
    make_module("DP-KV-01", title="Geüniformeerde dienstverlening en veiligheid", profielen=("DP",),
                module_type="DEEPENING", leerwegen=["BB", "KB", "GL"], summary="Toezicht en beveiliging.")
    make_module("ZW-K-01", title="Zorg thuis", objectives=["De kandidaat kan een cliënt wassen."],
                mbo_qualifications=[mbo], kern_objectives=[kern])
    make_module("XS-K-01", title="Domotica in zorg en welzijn", profielen=("ZW", "PIE"), leerwegen=["GL", "TL"])
    make_module("BWI-KV-02", title="Schoonmetselwerk", profielen=("BWI",), module_type="DEEPENING", publish=False)
    return {"mbo": mbo, "kern": kern}


def codes(response) -> list[str]:
    return re.findall(r'<span class="code">([A-Z0-9-]+)</span>', response.content.decode())


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["DP-KV-01", "XS-K-01", "ZW-K-01"]),
    ("geuniformeerde", ["DP-KV-01"]),            # without the accent
    ("GEÜNIFORMEERDE dienst", ["DP-KV-01"]),     # case and accents do not matter, every word counts
    ("clienten", []),
    ("client wassen", ["ZW-K-01"]),              # found in an objective
    ("zw-k", ["ZW-K-01"]),                       # by code
    ("zorg", ["XS-K-01", "ZW-K-01"]),            # title, summary and profiel name
    ("metselwerk", []),                          # concepts are not public
])
def test_search(client, catalogue, query, expected):
    response = client.get(reverse("catalog:list"), {"q": query})
    assert response.status_code == 200
    assert codes(response) == expected


@pytest.mark.parametrize(("params", "expected"), [
    ({"soort": "DEEPENING"}, ["DP-KV-01"]),
    ({"profiel": "PIE"}, ["XS-K-01"]),
    ({"leerweg": "TL"}, ["XS-K-01"]),
    ({"leerweg": "KB"}, ["DP-KV-01", "ZW-K-01"]),
    ({"mbo": "25960"}, ["ZW-K-01"]),
    ({"sectoroverstijgend": "1"}, ["XS-K-01"]),
    ({"sectoroverstijgend": "1", "q": "zorg", "leerweg": "GL"}, ["XS-K-01"]),
])
def test_filters(client, catalogue, params, expected):
    assert codes(client.get(reverse("catalog:list"), params)) == expected


def test_kern_filter_and_status_filters(client, login, steward, catalogue):
    assert codes(client.get(reverse("catalog:list"), {"kern": catalogue["kern"].pk})) == ["ZW-K-01"]
    module = Module.objects.get(code="DP-KV-01")
    services.withdraw_version(version=module.current_version, by=SYSTEM, from_year=2020)
    assert "DP-KV-01" not in codes(client.get(reverse("catalog:list")))
    assert codes(client.get(reverse("catalog:list"), {"status": "retired"})) == ["DP-KV-01"]
    assert codes(client.get(reverse("catalog:list"), {"status": "concept"})) == ["XS-K-01", "ZW-K-01"]  # not public
    login(client, steward)
    assert codes(client.get(reverse("catalog:list"), {"status": "concept"})) == ["BWI-KV-02"]


def test_htmx_returns_only_the_results(client, catalogue):
    response = client.get(reverse("catalog:list"), {"q": "zorg"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultaten")
    html = response.content.decode()
    assert "<!doctype" not in html.lower() and "2 modulen gevonden" in html
    full = client.get(reverse("catalog:list"), {"q": "zorg"}).content.decode()
    assert 'hx-get="/menukaart/"' in full and 'method="get"' in full  # the GET form works without JS
    assert "<script>" not in full and "style=" not in full


def test_pagination(client, db):
    for n in range(30):
        make_module(f"ZW-K-{n + 1:02d}", title=f"Module {n}")
    first = client.get(reverse("catalog:list"))
    assert len(codes(first)) == 25 and "pagina 1 van 2" in first.content.decode()
    assert len(codes(client.get(reverse("catalog:list"), {"pagina": 2}))) == 5


def test_module_page(client, catalogue):
    version = Module.objects.get(code="ZW-K-01").current_version
    concept = services.new_version(module=version.module, by=SYSTEM)
    services.update_concept(version=concept, by=SYSTEM, guides={"BB": {"emphasis": "meer praktijk", "text": "Oefenen."}})
    html = client.get(reverse("catalog:module", args=["ZW-K-01"])).content.decode()
    for text in ("Zorg thuis", "De kandidaat kan een cliënt wassen.", "AV7.4", "Helpende Zorg en Welzijn",
                 "crebo 25960", "Handreiking per leerweg", "Niet uitgewerkt voor TL", "Versie 1"):
        assert text in html, text
    assert "Versie 2" not in html  # a concept is not public
    assert client.get(reverse("catalog:module", args=["BWI-KV-02"])).status_code == 404
    assert client.get(reverse("catalog:module", args=["ZW-K-01"]), {"versie": 2}).status_code == 404


def test_compare_two_versions(client, catalogue):
    v1 = Module.objects.get(code="ZW-K-01").current_version
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    services.update_concept(version=v2, by=SYSTEM, title="Zorg thuis en in de wijk",
                            objectives=["De kandidaat kan een cliënt helpen wassen.", "Kan een zorgplan lezen."])
    services.publish_version(version=v2, by=SYSTEM, valid_from=2026)
    response = client.get(reverse("catalog:compare", args=["ZW-K-01"]), {"van": 1, "naar": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<ins>en in de wijk</ins>" in html.replace("<ins> en in de wijk</ins>", "<ins>en in de wijk</ins>") or \
        "<ins> en in de wijk</ins>" in html
    assert "<ins>helpen </ins>" in html or "<ins>helpen</ins>" in html
    assert "zorgplan" in html and "<del>" in html
    assert "Ongewijzigd:" in html and "soort module" in html
    assert client.get(reverse("catalog:compare", args=["ZW-K-01"]), {"van": 1, "naar": 9}).status_code == 404


def test_word_diff_escapes():
    from maatwerk.catalog.diff import word_diff

    assert word_diff("a <b> c", "a <b> d") == "a &lt;b&gt; <del>c</del><ins>d</ins>"


def test_steward_pages_and_actions(client, login, steward, catalogue, two_schools):
    login(client, two_schools["a"]["staff"]["mentor"])
    assert client.get(reverse("catalog:steward")).status_code == 403
    login(client, steward)
    old = make_module("GROEN-KV-10", title="Water", profielen=("Groen",), valid_from=2015)
    for year in range(2015, 2031):
        ModuleUsageReport.objects.create(module=old.module, school_year=year, brin="21KR",
                                         exams_taken=2 if year == 2018 else 0)
        ModuleUsageReport.objects.create(module=Module.objects.get(code="ZW-K-01"), school_year=year, brin="21KR",
                                         exams_taken=4)
    services.run_lifecycle(on=dt.date(2020, 9, 1))
    page = client.get(reverse("catalog:steward"))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Voorstellen om te beoordelen", "Reviewkalender", "Bijna van de menukaart", "GROEN-KV-10"):
        assert text in html
    review = old.reviews.get()
    response = client.post(reverse("catalog:review", args=[review.pk]), {
        "decision": "update", "reasons": "Verouderd.", "consulted_vmbo": "Platform Groen", "consulted_mbo": "Aeres",
        "consulted_employers": "LTO", "decided_on": "2026-01-15"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "update" and str(review.update_due_on) == "2027-01-15"
    response = client.post(reverse("catalog:version_new", args=["ZW-K-01"]))
    assert response.status_code == 302 and Module.objects.get(code="ZW-K-01").versions.count() == 2
    from maatwerk.domain import school_year_of

    response = client.post(reverse("catalog:version_publish", args=["ZW-K-01", 2]), {"valid_from": school_year_of() + 1})
    assert response.status_code == 302
    assert Module.objects.get(code="ZW-K-01").current_version.version == 2


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(n: int):
    mbo = MboQualification.objects.get_or_create(crebo="25656", defaults={"name": "Verzorgende IG", "level": 3})[0]
    kern = list(KernObjective.objects.all()[:2])
    for i in range(Module.objects.count(), n):
        make_module(f"T-K-{i:03d}", title=f"Module {i}", profielen=("ZW", "PIE") if i % 2 else ("BWI",),
                    kern_objectives=kern, mbo_qualifications=[mbo], objectives=[f"Eindterm {i}", "Nog een"],
                    guides={"BB": "Praktijk", "KB": "Praktijk en theorie"})


@pytest.mark.parametrize("url", ["/menukaart/", "/menukaart/?q=module&leerweg=BB", "/menukaart/?sectoroverstijgend=1",
                                 "/menukaart/T-K-003/", "/menukaart/T-K-003/vergelijk/?van=1&naar=2",
                                 "/api/v1/catalog/modules/", "/api/v1/catalog/versions/", "/api/v1/catalog/objectives/"])
def test_query_counts_stay_flat_as_the_catalogue_grows(client, login, steward, db, django_assert_num_queries, url):
    _grow(5)
    v = Module.objects.get(code="T-K-003").current_version
    services.publish_version(version=services.new_version(module=v.module, by=SYSTEM), by=SYSTEM, valid_from=2030)
    login(client, steward)
    small = _count(client, url)
    _grow(50)
    with django_assert_num_queries(small):
        client.get(url)
    client.logout()
    small_anonymous = _count(client, url)
    _grow(60)
    with django_assert_num_queries(small_anonymous):
        client.get(url)


def test_the_list_tells_a_new_module_from_the_starting_stock(client, db):
    make_module("ZW-K-07", title="Werken met en voor mensen", data_note="Demo-inhoud voor de pilot: geen bestaand "
                                                                      "examenprogramma.")
    make_module("MT-PM-01", title="Motorconditie testen", profielen=("MT",), legacy_kind="profielmodule",
                data_note="De leerwegen staan niet in de gevonden bron.")
    html = client.get(reverse("catalog:list")).content.decode()
    rows = {re.search(r'class="code">([A-Z0-9-]+)<', row).group(1): row for row in html.split('<li class="module-row">')[1:]}
    assert "was profielmodule" in rows["MT-PM-01"] and "bron onvolledig" in rows["MT-PM-01"]
    assert "nieuwe module" in rows["ZW-K-07"] and "let op: Demo-inhoud voor de pilot:" in rows["ZW-K-07"]
    assert "bron onvolledig" not in rows["ZW-K-07"]
