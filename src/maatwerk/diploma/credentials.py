"""Open Badges 3.0 module credentials: build, sign (VC-JWT, EdDSA/Ed25519 with joserfc) and verify.

A credential is an `OpenBadgeCredential` (VC Data Model 2.0 + the OB 3.0 context 3.0.3): an
`Achievement` for the module version (criteria = the module's eindtermen, alignments to their CASE
identifiers), the school as issuer `Profile`, the student as `AchievementSubject` under a random
pseudonym (`urn:uuid:`) with a salted hash of their name (`IdentityObject`), the SE grade as a
`Result`, and a `BitstringStatusListEntry` for revocation.

It is secured as a VC-JWT (OB 3.0 section 8.2, "JSON Web Token Proof Format"): JOSE header
``{"alg": "EdDSA", "kid": <URL of the public JWK>, "typ": "JWT"}`` and nothing else; the payload is the
credential itself with the registered claims ``iss`` (issuer.id), ``jti`` (id), ``nbf`` (validFrom) and
``sub`` (credentialSubject.id). See docs/credentials.md for the choices.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import os
import re
import secrets
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from maatwerk.domain import LEERWEG_SHORT, Leerweg, school_year_label

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "EdDSA"
#: Verification also accepts the fully-specified name of RFC 9864 for the same Ed25519 signature.
ACCEPTED_ALGORITHMS = ("EdDSA", "Ed25519")
#: 131,072 entries: the minimum size of a Bitstring Status List (herd privacy).
STATUS_LIST_SIZE = 16 * 1024 * 8
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "ob-v3p0-achievementcredential-schema.json"


class CredentialError(Exception):
    """A credential that cannot be issued (a Dutch message, a stable code)."""

    def __init__(self, code: str, nl: str, en: str):
        super().__init__(nl)
        self.code, self.nl, self.en = code, nl, en


# --- addresses ----------------------------------------------------------------------------------


def public_base() -> str:
    """The address the credentials point at (issuer profile, keys, status list, achievement pages):
    MAATWERK_PUBLIC_URL (setting or environment), default http://localhost:8000."""
    base = getattr(settings, "MAATWERK_PUBLIC_URL", None) or os.environ.get("MAATWERK_PUBLIC_URL") or \
        "http://localhost:8000"
    return base.rstrip("/")


def public_url(name: str, **kwargs) -> str:
    return public_base() + reverse(name, kwargs=kwargs or None)


def issuer_id(school) -> str:
    return public_url("diploma:issuer", brin=school.brin)


def key_url(kid: str) -> str:
    return public_url("diploma:key", kid=kid)


def status_list_url(school) -> str:
    return public_url("diploma:status_list", brin=school.brin)


def achievement_id(version) -> str:
    return public_base() + reverse("catalog:module", kwargs={"code": version.module.code}) + f"?versie={version.version}"


# --- keys ---------------------------------------------------------------------------------------


def _fernet():
    secret = getattr(settings, "MAATWERK_CREDENTIAL_KEY", None) or os.environ.get("MAATWERK_CREDENTIAL_KEY")
    if not secret:
        return None
    from cryptography.fernet import Fernet

    return Fernet(secret.encode() if isinstance(secret, str) else secret)


def seal_private(jwk: dict) -> dict:
    """The private JWK as stored: encrypted with MAATWERK_CREDENTIAL_KEY when it is set."""
    fernet = _fernet()
    if fernet is None:
        return jwk
    return {"enc": "fernet", "token": fernet.encrypt(json.dumps(jwk).encode()).decode()}


def open_private(stored: dict) -> dict:
    if stored.get("enc") != "fernet":
        return stored
    fernet = _fernet()
    if fernet is None:
        raise CredentialError("diploma_key_locked",
                              "De sleutel van de school is versleuteld, maar MAATWERK_CREDENTIAL_KEY ontbreekt.",
                              "The school's key is encrypted but MAATWERK_CREDENTIAL_KEY is not set.")
    return json.loads(fernet.decrypt(stored["token"].encode()))


def new_key_material() -> tuple[str, dict, dict]:
    """(kid, private JWK, public JWK) for a new Ed25519 key; the kid is the key's RFC 7638 thumbprint."""
    from joserfc.jwk import OKPKey

    key = OKPKey.generate_key("Ed25519")
    kid = key.thumbprint()
    public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
    private = {**key.as_dict(private=True), "kid": kid}
    return kid, private, public


def _okp(jwk: dict):
    from joserfc.jwk import OKPKey

    return OKPKey.import_key({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "d")})


# --- building -----------------------------------------------------------------------------------


def issuer_profile(school) -> dict:
    profile = {
        "id": issuer_id(school),
        "type": ["Profile"],
        "name": school.name,
        "url": school.website or public_base(),
        "otherIdentifier": [{"type": "IdentifierEntry", "identifier": school.brin, "identifierType": "ext:BRIN"}],
    }
    if school.city:
        profile["address"] = {"type": ["Address"], "addressLocality": school.city, "addressCountry": "Nederland",
                              "addressCountryCode": "NL"}
    if school.description:
        profile["description"] = school.description
    return profile


def name_hash(name: str, salt: str) -> str:
    """The IdentityHash of a name (OB 3.0: 'sha256$' + hex of SHA-256 over identity + salt)."""
    normalised = " ".join(name.split()).casefold()
    return "sha256$" + hashlib.sha256((normalised + salt).encode()).hexdigest()


def _grade_text(grade) -> str:
    return "" if grade is None else f"{grade}".replace(".", ",")


def _level_text(level: str) -> str:
    if level in LEERWEG_SHORT:
        return f"{Leerweg(level).label} ({level})"
    return level


def criteria_narrative(version, objectives) -> str:
    lines = [f"De leerling heeft het schoolexamen van de module {version.module.code} \u201c{version.title}\u201d "
             f"(versie {version.version}) van de landelijke menukaart behaald: ten minste een 5,5 en elk "
             f"onderdeel voldoende, volgens het PTA van de school. De module toetst deze eindtermen:"]
    lines += [f"- {o.code}: {o.text}" for o in objectives]
    if not objectives:
        lines.append("- (de menukaart noemt voor deze versie geen eindtermen)")
    return "\n".join(lines)


def build_credential(*, credential_id, module_result, school, subject_id: str, salt: str, status_index: int,
                     valid_from: datetime, objectives) -> dict:
    """The OpenBadgeCredential for a PASSED module result (not yet signed)."""
    version = module_result.module_version
    student = module_result.student
    ach_id = achievement_id(version)
    module_type = {"INTRODUCTORY": "kennismakende module", "DEEPENING": "verdiepende module",
                   "ORIENTING": "oriënterende module"}.get(version.module_type, "module")
    achievement = {
        "id": ach_id,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": f"{version.module.code} {version.title}",
        "description": (version.summary or f"Een {module_type} van de landelijke menukaart voor het vmbo.").strip(),
        "criteria": {"id": ach_id, "narrative": criteria_narrative(version, objectives)},
        "humanCode": version.module.code,
        "version": str(version.version),
        "inLanguage": "nl",
        "tag": [module_type, *[p.name for p in version.profielen.all()]],
        "alignment": [
            {"type": ["Alignment"], "targetName": f"{o.code} {version.module.code}", "targetDescription": o.text,
             "targetUrl": ach_id, "targetType": "CFItem", "targetCode": str(o.uuid),
             "targetFramework": "Landelijke menukaart beroepsgerichte modulen vmbo"}
            for o in objectives
        ],
        "resultDescription": [
            {"id": f"{ach_id}#cijfer", "type": ["ResultDescription"], "name": "Cijfer schoolexamen (1,0-10,0)",
             "resultType": "ScaledScore", "valueMin": "1,0", "valueMax": "10,0", "requiredValue": "5,5"},
            {"id": f"{ach_id}#status", "type": ["ResultDescription"], "name": "Module behaald",
             "resultType": "Status"},
        ],
    }
    results = [{"type": ["Result"], "resultDescription": f"{ach_id}#status", "status": "Completed"}]
    if module_result.grade is not None:
        results.insert(0, {"type": ["Result"], "resultDescription": f"{ach_id}#cijfer",
                           "value": _grade_text(module_result.grade)})
    year = f", schooljaar {school_year_label(module_result.school_year)}" if module_result.school_year else ""
    subject = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "achievement": achievement,
        "identifier": [{"type": "IdentityObject", "identityHash": name_hash(student.full_name, salt),
                        "identityType": "name", "hashed": True, "salt": salt}],
        "result": results,
        "narrative": f"Behaald op het niveau van de {_level_text(module_result.level or student.leerweg)}{year}.",
    }
    list_url = status_list_url(school)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Modulecertificaat {version.module.code} {version.title}",
        "description": f"{school.name} verklaart dat de houder de module {version.module.code} \u201c{version.title}\u201d "
                       f"heeft behaald.",
        "issuer": issuer_profile(school),
        "validFrom": _iso(valid_from),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{list_url}#{status_index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(status_index), "statusListCredential": list_url,
        },
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@cache
def _schema_validator():
    from jsonschema import Draft201909Validator, FormatChecker

    schema = json.loads(SCHEMA_PATH.read_text())
    return Draft201909Validator(schema, format_checker=FormatChecker())


def schema_errors(credential: dict) -> list[str]:
    """Where the credential breaks the OB 3.0 AchievementCredential JSON Schema (empty when valid)."""
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
            for e in sorted(_schema_validator().iter_errors(credential), key=lambda e: list(e.absolute_path))]


# --- signing ------------------------------------------------------------------------------------


def jwt_claims(credential: dict) -> dict:
    """The JWT payload: the credential with iss, jti, nbf and sub (OB 3.0 section 8.2.3)."""
    claims = dict(credential)
    issuer = credential["issuer"]
    claims["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    claims["jti"] = credential["id"]
    claims["nbf"] = int(_parse_iso(credential["validFrom"]).timestamp())
    if credential["credentialSubject"].get("id"):
        claims["sub"] = credential["credentialSubject"]["id"]
    if "validUntil" in credential:
        claims["exp"] = int(_parse_iso(credential["validUntil"]).timestamp())
    return claims


def sign(claims: dict, *, kid: str, private_jwk: dict) -> str:
    """A Compact JWS with exactly the JOSE header alg/kid/typ (OB 3.0 section 8.2.2)."""
    from joserfc import jwt

    header = {"alg": ALGORITHM, "kid": key_url(kid), "typ": "JWT"}
    with warnings.catch_warnings():  # joserfc flags "EdDSA" as superseded by RFC 9864's "Ed25519"
        warnings.simplefilter("ignore")
        return jwt.encode(header, claims, _okp(private_jwk), algorithms=[ALGORITHM])


# --- the status list ----------------------------------------------------------------------------


def encoded_list(revoked_indexes) -> str:
    """A Bitstring Status List: multibase base64url (no padding) of the GZIP of the bitstring, index 0
    being the left-most bit of the first byte."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(school, revoked_indexes, now: datetime | None = None) -> dict:
    url = status_list_url(school)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(school),
        "validFrom": _iso(now or timezone.now()),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_indexes)},
    }


def new_status_index(taken: set[int]) -> int:
    """A random free place in the school's status list (random, so the index says nothing about when
    or for whom the credential was issued)."""
    for _ in range(1000):
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if index not in taken:
            return index
    raise CredentialError("diploma_status_list_full", "De statuslijst van de school is vol.",
                          "The school's status list is full.")


def new_subject_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def new_salt() -> str:
    return secrets.token_hex(8)


# --- verification -------------------------------------------------------------------------------


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Verification:
    """What the verification page and endpoint say: valid or not, why, and what it proves."""

    valid: bool
    status: str
    reason: str
    reason_en: str
    checks: list[Check] = field(default_factory=list)
    credential: dict | None = None
    record: object | None = None
    header: dict | None = None
    proves: list[str] = field(default_factory=list)
    form: str = ""  # "jwt" or "json"
    name_matches: bool | None = None

    @property
    def issued_on(self) -> str:
        """validFrom as a Dutch date and time, for people."""
        try:
            moment = _parse_iso(self.credential["validFrom"]).astimezone(timezone.get_current_timezone())
        except (TypeError, KeyError, ValueError):
            return ""
        return moment.strftime("%d-%m-%Y %H:%M")

    def as_dict(self) -> dict:
        return {
            "valid": self.valid, "status": self.status, "reason": {"nl": self.reason, "en": self.reason_en},
            "form": self.form,
            "checks": [{"label": c.label, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "proves": self.proves, "credential": self.credential,
            "credential_id": str(self.record.pk) if self.record is not None else None,
            "name_matches": self.name_matches,
        }


_FAIL = {
    "empty": ("Plak een certificaat (de ondertekende tekst of het JSON-bestand) of kies een bestand.",
              "Paste a credential (the signed text or the JSON file) or choose a file."),
    "malformed": ("Dit is geen leesbaar certificaat: het is geen ondertekende tekst (JWT) en geen Open Badges-JSON.",
                  "This is not a readable credential: neither a signed JWT nor Open Badges JSON."),
    "header": ("De ondertekening heeft een vorm die Open Badges 3.0 niet toestaat.",
               "The signature header is not allowed by Open Badges 3.0."),
    "unknown_key": ("Dit certificaat is niet ondertekend met een sleutel van een school in Maatwerk; het kan hier niet "
                    "worden gecontroleerd.", "The credential is not signed with a key of a school in Maatwerk."),
    "tampered": ("De handtekening klopt niet: het certificaat is na ondertekening veranderd of is niet door de school "
                 "ondertekend.", "The signature does not match: the credential was changed after signing."),
    "claims": ("De gegevens in de handtekening (uitgever, houder, nummer of datum) passen niet bij het certificaat.",
               "The JWT claims do not match the credential."),
    "schema": ("Het certificaat voldoet niet aan het Open Badges 3.0-schema.",
               "The credential does not conform to the Open Badges 3.0 schema."),
    "not_yet_valid": ("Dit certificaat is nog niet geldig (de begindatum ligt in de toekomst).",
                      "The credential is not valid yet."),
    "expired": ("Dit certificaat is verlopen.", "The credential has expired."),
    "unknown": ("Maatwerk kent dit certificaat niet: het is niet (meer) door een school uitgegeven.",
                "Maatwerk does not know this credential."),
    "changed": ("Dit JSON-bestand wijkt af van wat de school heeft ondertekend: het is veranderd.",
                "This JSON differs from what the school signed: it was changed."),
    "revoked": ("Dit certificaat is ingetrokken door de school", "The school revoked this credential"),
}


def failed(status: str, checks=None, **kwargs) -> Verification:
    nl, en = _FAIL[status]
    return Verification(False, status, nl, en, checks or [], **kwargs)


def _b64decode_strict(segment: str) -> bytes:
    """base64url without padding; refuses a non-canonical encoding, so that no changed character
    can decode to the same bytes."""
    if not segment or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" for c in segment):
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != segment:
        raise ValueError("non-canonical base64url")
    return raw


def split_jwt(text: str) -> tuple[dict, dict]:
    parts = text.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(_b64decode_strict(parts[0]))
    payload = json.loads(_b64decode_strict(parts[1]))
    _b64decode_strict(parts[2])
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("not JSON objects")
    return header, payload


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def credential_of(payload: dict) -> dict:
    """The credential inside a JWT payload (the payload minus the registered claims; a VCDM 1.1 token
    keeps it in the `vc` claim)."""
    if "vc" in payload and isinstance(payload["vc"], dict):
        return payload["vc"]
    return {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "sub", "exp", "iat")}


_KID_PATH = re.compile(r"/examen/sleutels/([A-Za-z0-9_-]{8,100})/?$")


def find_key(kid_url):
    """The SchoolKey a `kid` URL points at. Only Maatwerk's own keys are looked up (by the key id in
    the path); a verifier that fetches arbitrary URLs would be a liability, and the signature is then
    checked with the stored public key, so the host in the URL does not matter."""
    from .models import SchoolKey

    match = _KID_PATH.search(kid_url) if isinstance(kid_url, str) else None
    if match is None:
        return None
    return SchoolKey.objects.select_related("school").filter(kid=match.group(1)).first()


def _same_issuer(claimed: str, school) -> bool:
    """The issuer the credential names is the school that owns the key (compared by path, so a change
    of the public address does not invalidate earlier credentials)."""
    return isinstance(claimed, str) and claimed.rstrip("/").endswith(
        reverse("diploma:issuer", kwargs={"brin": school.brin}).rstrip("/"))


def verify_text(text: str, *, holder_name: str = "", now: datetime | None = None) -> Verification:
    """Verify a credential as pasted or uploaded: a VC-JWT (checked cryptographically) or the JSON of
    a credential Maatwerk issued (checked against the signed original)."""
    text = (text or "").strip().lstrip("\ufeff")
    if not text:
        return failed("empty")
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return failed("malformed", form="json")
        return _verify_json(data, holder_name=holder_name, now=now)
    return _verify_jwt("".join(text.split()), holder_name=holder_name, now=now)


def _verify_json(data, *, holder_name: str, now) -> Verification:
    from .models import ModuleCredential

    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"].startswith("urn:uuid:"):
        return failed("malformed", form="json")
    try:
        pk = uuid.UUID(data["id"].removeprefix("urn:uuid:"))
    except ValueError:
        return failed("malformed", form="json")
    record = ModuleCredential.objects.select_related("key__school").filter(pk=pk).first()
    checks = [Check("Leesbaar als Open Badges-JSON", True)]
    if record is None:
        return failed("unknown", checks, form="json", credential=data)
    same = canonical(data) == canonical(record.credential)
    checks.append(Check("Gelijk aan wat de school ondertekende", same,
                        "" if same else "Een of meer tekens verschillen van het ondertekende origineel."))
    if not same:
        return failed("changed", checks, form="json", credential=data)
    result = _verify_jwt(record.jwt, holder_name=holder_name, now=now)
    result.form = "json"
    result.checks = checks + result.checks
    return result


def _verify_jwt(token: str, *, holder_name: str, now) -> Verification:
    from joserfc import jwt
    from joserfc.errors import JoseError

    checks: list[Check] = []
    try:
        header, payload = split_jwt(token)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return failed("malformed", form="jwt")
    checks.append(Check("Leesbaar als ondertekend certificaat (VC-JWT)", True))
    allowed_headers = {"alg", "kid", "jwk", "typ"}
    header_ok = (header.get("alg") in ACCEPTED_ALGORITHMS and set(header) <= allowed_headers
                 and header.get("typ", "JWT") == "JWT" and "kid" in header)
    checks.append(Check("Ondertekening volgens Open Badges 3.0 (alg, kid, typ)", header_ok,
                        f"alg {header.get('alg')!s}"))
    if not header_ok:
        return failed("header", checks, form="jwt", header=header)
    key = find_key(header["kid"])
    checks.append(Check("Sleutel van een school in Maatwerk", key is not None,
                        f"{key.school.name} (BRIN {key.school.brin})" if key else str(header["kid"])[:120]))
    if key is None:
        return failed("unknown_key", checks, form="jwt", header=header)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jwt.decode(token, _okp(key.public_jwk), algorithms=[header["alg"]])
    except (JoseError, ValueError):
        checks.append(Check("Handtekening klopt", False))
        return failed("tampered", checks, form="jwt", header=header)
    checks.append(Check("Handtekening klopt", True, f"sleutel {key.kid[:12]}…"))
    credential = credential_of(payload)
    try:
        claims_ok = (payload.get("iss") == credential["issuer"]["id"] and payload.get("jti") == credential["id"]
                     and payload.get("sub") == credential["credentialSubject"].get("id")
                     and payload.get("nbf") == int(_parse_iso(credential["validFrom"]).timestamp())
                     and _same_issuer(credential["issuer"]["id"], key.school))
    except (KeyError, TypeError, AttributeError, ValueError):
        claims_ok = False
    checks.append(Check("Uitgever, houder, nummer en datum kloppen met de handtekening", claims_ok))
    if not claims_ok:
        return failed("claims", checks, form="jwt", header=header, credential=credential)
    errors = schema_errors(credential)
    checks.append(Check("Voldoet aan het Open Badges 3.0-schema", not errors, "; ".join(errors[:3])))
    if errors:
        return failed("schema", checks, form="jwt", header=header, credential=credential)
    moment = now or timezone.now()
    if _parse_iso(credential["validFrom"]) > moment:
        checks.append(Check("Geldig vanaf", False, credential["validFrom"]))
        return failed("not_yet_valid", checks, form="jwt", header=header, credential=credential)
    if "validUntil" in credential and _parse_iso(credential["validUntil"]) < moment:
        checks.append(Check("Nog geldig", False, credential["validUntil"]))
        return failed("expired", checks, form="jwt", header=header, credential=credential)
    from .models import ModuleCredential

    try:
        pk = uuid.UUID(credential["id"].removeprefix("urn:uuid:"))
    except ValueError:
        pk = None
    record = ModuleCredential.objects.select_related("module_version__module", "key__school").filter(pk=pk).first()
    revoked = record is not None and record.revoked_at is not None
    checks.append(Check("Niet ingetrokken", not revoked and record is not None,
                        (record.revocation_reason if revoked else "") if record else "Onbekend bij de school."))
    if record is None:
        return failed("unknown", checks, form="jwt", header=header, credential=credential)
    matches = None
    if holder_name.strip():
        ident = (credential["credentialSubject"].get("identifier") or [{}])[0]
        matches = name_hash(holder_name, ident.get("salt", "")) == ident.get("identityHash")
    if revoked:
        nl, en = _FAIL["revoked"]
        when = timezone.localtime(record.revoked_at).strftime("%d-%m-%Y")
        return Verification(False, "revoked", f"{nl} op {when}: {record.revocation_reason or 'geen reden opgegeven'}.",
                            f"{en} on {when}.", checks, credential=credential, record=record, header=header,
                            form="jwt", name_matches=matches)
    return Verification(True, "valid", "Dit certificaat is echt: de school heeft het ondertekend, het is niet veranderd "
                        "en niet ingetrokken.", "This credential is genuine: signed by the school, unchanged and not "
                        "revoked.", checks, credential=credential, record=record, header=header,
                        proves=what_it_proves(credential), form="jwt", name_matches=matches)


def what_it_proves(credential: dict) -> list[str]:
    """Plain Dutch sentences: what a valid credential says."""
    subject = credential.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    issuer = credential.get("issuer", {})
    brin = next((i.get("identifier") for i in issuer.get("otherIdentifier", []) if i.get("identifierType") == "ext:BRIN"),
                "")
    grade = next((r.get("value") for r in subject.get("result", []) if r.get("value")), None)
    when = _parse_iso(credential["validFrom"]).astimezone(timezone.get_current_timezone()).strftime("%d-%m-%Y")
    lines = [
        f"{issuer.get('name', 'De school')}{f' (BRIN {brin})' if brin else ''} verklaart dat de houder de module "
        f"{achievement.get('humanCode', '')} \u201c{achievement.get('name', '').removeprefix(achievement.get('humanCode', '')).strip()}\u201d "
        f"(versie {achievement.get('version', '?')}) van de landelijke menukaart heeft behaald.",
    ]
    if grade:
        lines.append(f"Het cijfer voor het schoolexamen van de module is een {grade}.")
    if subject.get("narrative"):
        lines.append(subject["narrative"])
    lines.append(f"Het certificaat is uitgegeven op {when}.")
    lines.append("De naam van de houder staat niet leesbaar in het certificaat (privacy): vul de naam van de houder "
                 "in om te controleren of het certificaat bij die persoon hoort.")
    return lines
