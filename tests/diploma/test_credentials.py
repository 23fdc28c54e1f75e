"""Open Badges 3.0 module credentials: issued for completed modules, valid against the 1EdTech schema, signed
as a VC-JWT (OB 3.0 section 8.2) with the school's Ed25519 key; verification fails after one byte changes or
after revocation, and says why."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator, FormatChecker

from maatwerk.accounts.models import Role
from maatwerk.diploma import credentials as vc
from maatwerk.diploma import services
from maatwerk.diploma.models import ModuleCredential, SchoolKey
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def school():
    return b.exam_school("spv-modulair")


@pytest.fixture
def issued(school):
    student = b.modular_candidate(school, modules=[7, "6.4", 6, 6, 6, 6, 6, "4.5"], levels={"M-1": "GL"})
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    report = services.issue_credentials(by=secretary, school=school)
    return student, secretary, report


def b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def parts(token: str):
    head, payload, sig = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(head))), json.loads(base64.urlsafe_b64decode(pad(payload))), sig


def test_a_credential_for_every_completed_module_only(issued):
    student, _, report = issued
    assert len(report.issued) == 7  # the module of 4.5 is not behaald
    codes = set(ModuleCredential.objects.filter(student=student).values_list("module_version__module__code", flat=True))
    assert "M-8" not in codes and "M-1" in codes
    again = services.issue_credentials(by=None, school=student.school)
    assert not again.issued and again.already == 7


def test_the_credential_validates_against_the_ob3_schema(issued):
    schema = json.loads((DATA / "ob-v3p0-achievementcredential-schema.json").read_text())
    validator = Draft201909Validator(schema, format_checker=FormatChecker())
    for c in ModuleCredential.objects.all():
        assert not list(validator.iter_errors(c.credential)), c.credential
    # the package's copy of the schema is the same file
    assert json.loads(vc.SCHEMA_PATH.read_text()) == schema


def test_the_credential_says_what_ob3_asks(issued, settings):
    student, _, _ = issued
    c = ModuleCredential.objects.get(student=student, module_version__module__code="M-1")
    data = c.credential
    assert data["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert data["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert data["id"] == f"urn:uuid:{c.pk}"
    assert data["issuer"]["name"] == student.school.name
    assert data["issuer"]["otherIdentifier"][0]["identifier"] == student.school.brin
    subject = data["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["humanCode"] == "M-1"
    # criteria = the module's objectives (narrative), with an alignment to each objective's CASE identifier
    for objective in c.module_version.objectives.all():
        assert objective.text in achievement["criteria"]["narrative"]
        assert str(objective.uuid) in {a["targetCode"] for a in achievement["alignment"]}
    assert {r.get("value") for r in subject["result"]} >= {"7,0"}
    assert "gemengde leerweg (GL)" in subject["narrative"]
    # privacy: no name, no student number, no database id of the student in the credential
    text = json.dumps(data, ensure_ascii=False)
    for personal in (student.first_name, student.last_name, student.student_number):
        assert personal not in text
    assert subject["id"].startswith("urn:uuid:")
    ident = subject["identifier"][0]
    assert ident["hashed"] is True and ident["identityHash"] == vc.name_hash(student.full_name, ident["salt"])
    # one pseudonym per student across their credentials
    assert len({x.credential["credentialSubject"]["id"] for x in ModuleCredential.objects.filter(student=student)}) == 1


def test_the_context_defines_every_type_used(issued):
    context = json.loads((DATA / "ob-v3p0-context-3.0.3.json").read_text())["@context"]
    data = ModuleCredential.objects.first().credential
    for term in ("OpenBadgeCredential", "Achievement", "AchievementSubject", "Profile", "Criteria", "IdentityObject",
                 "Alignment", "Result", "ResultDescription", "IdentifierEntry", "Address"):
        assert term in context, term
    assert data["@context"][1].endswith("context-3.0.3.json")


def test_vc_jwt_header_and_claims_follow_ob3_section_8_2(issued):
    c = ModuleCredential.objects.first()
    header, payload, _ = parts(c.jwt)
    assert set(header) == {"alg", "kid", "typ"}  # additional JOSE headers are not allowed
    assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
    assert header["kid"] == vc.key_url(c.key.kid)
    assert payload["iss"] == c.credential["issuer"]["id"]
    assert payload["jti"] == c.credential["id"]
    assert payload["sub"] == c.credential["credentialSubject"]["id"]
    assert payload["nbf"] == int(vc._parse_iso(c.credential["validFrom"]).timestamp())
    assert "vc" not in payload  # VCDM 2.0: the payload is the credential itself
    assert vc.credential_of(payload) == c.credential


def test_a_credential_verifies(issued):
    student, _, _ = issued
    c = ModuleCredential.objects.filter(student=student).first()
    result = vc.verify_text(c.jwt)
    assert result.valid and result.status == "valid", result.as_dict()
    assert all(check.ok for check in result.checks)
    assert any(student.school.name in line for line in result.proves)
    assert result.record == c
    json_result = vc.verify_text(json.dumps(c.credential))
    assert json_result.valid and json_result.form == "json"
    assert vc.verify_text(c.jwt, holder_name=f"  {student.full_name.upper()} ").name_matches is True
    assert vc.verify_text(c.jwt, holder_name="Iemand Anders").name_matches is False


def flip(text: str, index: int) -> str:
    char = text[index]
    return text[:index] + ("B" if char != "B" else "C") + text[index + 1:]


def test_one_changed_byte_fails_verification(issued):
    c = ModuleCredential.objects.first()
    token = c.jwt
    head_end, sig_start = token.index("."), token.rindex(".")
    for index in (head_end + 40, (head_end + sig_start) // 2, sig_start - 3, sig_start + 10, len(token) - 1):
        result = vc.verify_text(flip(token, index))
        assert not result.valid and result.status in {"tampered", "malformed"}, (index, result.status)
    # one character of the JSON form changed
    changed = json.dumps(c.credential).replace("M-", "N-", 1)
    result = vc.verify_text(changed)
    assert not result.valid and result.status == "changed"


def test_a_forged_credential_with_a_valid_signature_of_another_key_fails(issued):
    c = ModuleCredential.objects.first()
    _, private, _ = vc.new_key_material()
    forged = vc.sign(vc.jwt_claims(c.credential), kid=c.key.kid, private_jwk=private)
    assert vc.verify_text(forged).status == "tampered"
    header, payload, _ = parts(c.jwt)
    header["alg"] = "none"
    assert vc.verify_text(f"{b64(header)}.{b64(payload)}.").status in {"header", "malformed"}
    header["alg"] = "EdDSA"
    header["jwk"] = {"kty": "OKP"}
    header["cty"] = "vc"
    assert vc.verify_text(f"{b64(header)}.{b64(payload)}.{c.jwt.rsplit('.', 1)[1]}").status == "header"


def test_unknown_and_malformed_input_is_explained():
    assert vc.verify_text("").status == "empty"
    assert vc.verify_text("dit is geen certificaat").status == "malformed"
    assert vc.verify_text('{"id": "urn:uuid:00000000-0000-0000-0000-000000000000"}').status == "unknown"
    header = {"alg": "EdDSA", "kid": "https://elders.example/keys/1", "typ": "JWT"}
    assert vc.verify_text(f"{b64(header)}.{b64({'iss': 'x'})}.AAAA").status == "unknown_key"


def test_revocation_fails_verification_with_its_reason(issued):
    student, secretary, _ = issued
    c = ModuleCredential.objects.filter(student=student).first()
    services.revoke_credential(by=secretary, credential=c, reason="Het cijfer was verkeerd ingevoerd")
    result = vc.verify_text(c.jwt)
    assert not result.valid and result.status == "revoked"
    assert "Het cijfer was verkeerd ingevoerd" in result.reason
    assert any(not check.ok and check.label == "Niet ingetrokken" for check in result.checks)
    with pytest.raises(services.DiplomaError):
        services.revoke_credential(by=secretary, credential=c, reason="nog eens")


def test_a_corrected_result_revokes_its_credential(issued):
    """The revocation hook: the assessment app corrects a module result; the credential stops verifying."""
    from maatwerk.assessment.models import ModuleResult

    student, _, _ = issued
    result = ModuleResult.objects.get(student=student, module_version__module__code="M-2")
    c = ModuleCredential.objects.get(module_result=result)
    result.save()  # saved again with the same outcome and grade: nothing happens
    assert vc.verify_text(c.jwt).valid
    result.grade, result.final_grade = Decimal("5.0"), 5
    result.outcome = "FAILED"
    result.save()
    c.refresh_from_db()
    assert c.revoked_at is not None and "gecorrigeerd" in c.revocation_reason
    assert vc.verify_text(c.jwt).status == "revoked"
    # corrected upwards again: a new credential with the new grade; the old one stays revoked
    result.grade, result.final_grade, result.outcome = Decimal("8.0"), 8, "PASSED"
    result.save()
    report = services.issue_credentials(by=None, school=student.school)
    assert len(report.issued) == 1
    new = report.issued[0]
    assert new.grade == Decimal("8.0") and vc.verify_text(new.jwt).valid
    assert vc.verify_text(c.jwt).status == "revoked"


def test_the_status_list_carries_the_revocation(issued, client):
    student, secretary, _ = issued
    c = ModuleCredential.objects.filter(student=student).first()
    other = ModuleCredential.objects.filter(student=student).exclude(pk=c.pk).first()
    services.revoke_credential(by=secretary, credential=c, reason="fout")
    response = client.get(f"/examen/status/{student.school.brin}/")
    assert response.status_code == 200
    token = response.content.decode()
    _, payload, _ = parts(token)
    encoded = payload["credentialSubject"]["encodedList"]
    assert vc.bit_is_set(encoded, c.status_index) and not vc.bit_is_set(encoded, other.status_index)
    entry = c.credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusListIndex"] == str(c.status_index)
    assert entry["statusListCredential"].endswith(f"/examen/status/{student.school.brin}/")


def test_public_key_issuer_and_page(issued, client):
    c = ModuleCredential.objects.first()
    key = client.get(f"/examen/sleutels/{c.key.kid}/").json()
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    issuer = client.get(f"/examen/uitgever/{c.key.school.brin}/").json()
    assert issuer["id"] == c.credential["issuer"]["id"] and issuer["type"] == ["Profile"]
    page = client.get(f"/examen/certificaat/{c.pk}/")
    assert page.status_code == 200
    assert "Echt en geldig" in page.content.decode()
    assert c.student.last_name not in page.content.decode()


def test_the_verification_page_and_endpoint(issued, client):
    c = ModuleCredential.objects.first()
    ok = client.post("/examen/verifieer/", {"text": c.jwt})
    assert ok.status_code == 200 and "Echt en geldig" in ok.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("modulecertificaat.jwt", flip(c.jwt, c.jwt.rindex(".") + 5).encode())
    bad = client.post("/examen/verifieer/", {"file": upload})
    assert "Niet geldig" in bad.content.decode() and "handtekening klopt niet" in bad.content.decode().lower()
    api = client.post("/api/v1/diploma/verify/", {"credential": c.jwt}, content_type="application/json")
    assert api.status_code == 200 and api.json()["valid"] is True and api.json()["status"] == "valid"
    api_bad = client.post("/api/v1/diploma/verify/", {"credential": c.jwt[:-5] + "AAAAA"},
                          content_type="application/json")
    assert api_bad.json()["valid"] is False and api_bad.json()["reason"]["en"]


def test_private_keys_can_be_encrypted_at_rest(school, settings):
    from cryptography.fernet import Fernet

    settings.MAATWERK_CREDENTIAL_KEY = Fernet.generate_key().decode()
    key = services.ensure_key(school)
    assert set(key.private_jwk) == {"enc", "token"} and '"d"' not in json.dumps(key.private_jwk)
    assert "d" in vc.open_private(key.private_jwk)
    student = b.modular_candidate(school)
    services.issue_credentials(by=None, school=school, students=[student])
    assert vc.verify_text(ModuleCredential.objects.filter(student=student).first().jwt).valid
    settings.MAATWERK_CREDENTIAL_KEY = ""
    with pytest.raises(vc.CredentialError):
        vc.open_private(SchoolKey.objects.get(pk=key.pk).private_jwk)


def test_keys_are_not_visible_to_school_staff(issued):
    from maatwerk.accounts.scoping import visible_to

    student, secretary, _ = issued
    leader = f.member(Role.SCHOOL_LEADER, school=student.school)
    for user in (secretary, leader):
        assert not visible_to(user, SchoolKey).exists()


def test_a_rotated_key_keeps_old_credentials_valid(issued):
    student, secretary, _ = issued
    old = ModuleCredential.objects.filter(student=student).first()
    new_key = services.rotate_key(by=secretary, school=student.school)
    assert new_key.kid != old.key.kid
    assert vc.verify_text(old.jwt).valid
