"""Usage reports: upsert by module, school year and BRIN, from the API and from CSV (; or ,; UTF-8 with or
without BOM, or Windows-1252), all or nothing, with a dry run that lists every bad row."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from maatwerk.catalog import services
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.catalog.services import SYSTEM
from tests.factories import UserFactory


@pytest.fixture
def modules(module_factory):
    return module_factory("ZW-K-01"), module_factory("GROEN-KV-01", title="Het groene machinepark", profielen=["Groen"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_formats(modules, encoding, sep):
    text = f"module{sep}schooljaar{sep}brin{sep}examens\nZW-K-01{sep}2024-2025{sep}21KR{sep}12\n" \
           f"groen-kv-01{sep}2025{sep}30pf{sep}0\n"
    result = services.import_usage_csv(by=SYSTEM, data=text.encode(encoding))
    assert result.ok and (result.created, result.updated) == (2, 0)
    assert set(ModuleUsageReport.objects.values_list("module__code", "school_year", "brin", "exams_taken")) == {
        ("ZW-K-01", 2024, "21KR", 12), ("GROEN-KV-01", 2025, "30PF", 0)}


def test_windows_1252_text_survives(modules):
    data = "Module;Schooljaar;BRIN;Aantal examens;Opmerking\nZW-K-01;2024;21KR;3;Geüniformeerd\n".encode("cp1252")
    assert services.read_csv(data)[0]["opmerking"] == "Geüniformeerd"
    assert services.import_usage_csv(by=SYSTEM, data=data).ok


def test_all_or_nothing_with_every_bad_row_listed(modules):
    services.report_usage(by=SYSTEM, module="ZW-K-01", school_year=2024, brin="21KR", exams_taken=5)
    data = (b"module;schooljaar;brin;examens\n"
            b"ZW-K-01;2024;21KR;7\n"          # fine (an update)
            b"BESTAAT-NIET;2024;21KR;1\n"     # unknown module
            b"ZW-K-01;2024-2026;21KR;1\n"     # not a school year
            b"ZW-K-01;2023;ABCD;-2\n"         # bad BRIN and negative count
            b"ZW-K-01;2024;21KR;8\n")  # duplicate of line 2
    dry = services.import_usage_csv(by=SYSTEM, data=data, dry_run=True)
    lines = sorted({line for line, _ in dry.errors})
    assert lines == [3, 4, 5, 6]
    assert len([e for e in dry.errors if e[0] == 5]) == 2
    result = services.import_usage_csv(by=SYSTEM, data=data)
    assert not result.ok
    assert ModuleUsageReport.objects.get().exams_taken == 5  # nothing changed


def test_missing_column_is_reported(modules):
    result = services.import_usage_csv(by=SYSTEM, data=b"module,jaar\nZW-K-01,2024\n")
    assert result.errors and "brin" in result.errors[0][1]


def test_command_import_usage(modules, tmp_path):
    good = tmp_path / "goed.csv"
    good.write_bytes("module;schooljaar;brin;examens\nZW-K-01;2024;21KR;4\n".encode("utf-8-sig"))
    out = StringIO()
    call_command("catalog", "import-usage", str(good), "--dry-run", stdout=out)
    assert "Proefdraai" in out.getvalue() and ModuleUsageReport.objects.count() == 0
    call_command("catalog", "import-usage", str(good), stdout=out)
    assert ModuleUsageReport.objects.get().exams_taken == 4
    bad = tmp_path / "fout.csv"
    bad.write_bytes(b"module;schooljaar;brin;examens\nZW-K-01;2024;21KR;veel\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("catalog", "import-usage", str(bad), stdout=out, stderr=err)
    assert "regel 2" in err.getvalue()


def test_api_upserts_for_stewards_and_system_accounts(client, login, steward, modules, two_schools):
    url = reverse("catalog-usage-report-list")
    body = {"module": "ZW-K-01", "school_year": "2024-2025", "brin": "21KR", "exams_taken": 9}
    login(client, two_schools["a"]["staff"]["school_leader"])
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(client, steward)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["school_year"] == 2024
    response = client.post(url, {**body, "exams_taken": 11}, content_type="application/json")
    assert response.status_code == 201 and ModuleUsageReport.objects.get().exams_taken == 11
    response = client.post(url, {**body, "brin": "XX", "module": "ONBEKEND"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "catalog_usage_invalid"
    assert "Onbekende module 'ONBEKEND'" in response.json()["message"]["nl"]
    assert client.get(url).json()["count"] == 1
    # another installation: a system account with the model permission and an API token
    from rest_framework.authtoken.models import Token

    system = UserFactory(email="meldingen@andere-installatie.example")
    system.user_permissions.add(Permission.objects.get(codename="add_moduleusagereport"))
    token = Token.objects.create(user=system)
    client.logout()
    response = client.post(url, {**body, "brin": "30PF"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 201, response.content
    assert ModuleUsageReport.objects.get(brin="30PF").source == "api"
