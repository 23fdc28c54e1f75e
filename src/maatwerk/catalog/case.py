"""Exchange of the whole menukaart plus the kern as one 1EdTech CASE 1.1 package (CFPackage).

Mapping (docs/catalog.md has the full table):

* one CFDocument "Menukaart" (caseVersion 1.1, language nl);
* CFItems, each with a stable identifier: the kern's own uuid fields for kern frameworks (CFItemType
  "Kern"), areas ("Kerngebied") and objectives ("Kerndoel"); deterministic uuid5 (models.catalog_uuid)
  for modules ("Module"), module versions ("Moduleversie"), module objectives ("Eindterm"), guides
  ("Handreiking"), example assessments ("Voorbeeldtoets") and mbo qualifications ("Mbo-kwalificatie");
* CFAssociations: isChildOf (document > kern > area > objective; document > module > version >
  eindterm; document > mbo qualification), isPartOf (handreiking of a version), exemplar (version to
  its example assessments), replacedBy (a version to the version that replaced it), isRelatedTo (a
  version to the kern objectives it practises and assesses, and to the mbo qualifications it prepares
  for; told apart by CFAssociationGrouping);
* CFDefinitions: the item types, the profielen as CFSubjects (items carry them in `subject`, a CASE
  1.1 field), the two association groupings;
* what CASE has no field for (status, validity years, module type, units, origin, notes) travels in
  each item's `extensions` (CASE 1.1's extension point).

Not in the package: reviews, proposals, usage reports, lifecycle runs and users (they are the
steward's work, not the catalogue), and the files of example assessments (only their name).

Timestamps (`lastChangeDateTime`) come from stored data (published_at / created_at, the kern's
valid-from) and are written back on import, so export -> import into an empty database -> export
gives the same package, byte for byte once canonicalised (sorted keys).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from maatwerk.domain import school_year_start
from maatwerk.kern.models import KernArea, KernFramework, KernObjective

from .models import (
    ExampleAssessment,
    MboQualification,
    Module,
    ModuleGuide,
    ModuleObjective,
    ModuleVersion,
    Profiel,
    VersionStatus,
    catalog_uuid,
)

CASE_VERSION = "1.1"
DOCUMENT_ID = str(catalog_uuid("document", "menukaart"))
ITEM_TYPES = {
    "Kern": "Een versie van de kern (algemene beroepsvaardigheden, procesmatig werken, LOB).",
    "Kerngebied": "Een gebied van de kern.",
    "Kerndoel": "Een doel van de kern.",
    "Module": "Een module van de menukaart, met een vaste code.",
    "Moduleversie": "Een versie van een module: concept, gepubliceerd (vanaf een schooljaar), vervangen of "
                    "ingetrokken.",
    "Eindterm": "Wat een leerling in de module minimaal moet kennen en kunnen (examenprogramma).",
    "Handreiking": "Hoe de module voor één leerweg is uitgewerkt.",
    "Voorbeeldtoets": "Een voorbeeldtoets uit de examenbank.",
    "Mbo-kwalificatie": "Een mbo-kwalificatie (crebo) waarop een module voorbereidt.",
}
GROUPINGS = {
    "kern": "Kerndoelen die de module oefent en toetst",
    "mbo": "Mbo-kwalificaties waarop de module voorbereidt",
}
ASSOCIATION_TYPES = {"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes", "isRelatedTo", "replacedBy",
                     "exemplar", "hasSkillLevel", "isTranslationOf"}
#: The properties CASE 1.1 allows on a CFItem / CFDocument / CFAssociation in a package (no others).
ITEM_KEYS = {"identifier", "fullStatement", "alternativeLabel", "CFItemType", "uri", "humanCodingScheme",
             "listEnumeration", "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes", "subject",
             "subjectURI", "language", "educationLevel", "CFItemTypeURI", "licenseURI", "statusStartDate",
             "statusEndDate", "lastChangeDateTime", "extensions"}
DOCUMENT_KEYS = {"identifier", "uri", "frameworkType", "caseVersion", "creator", "title", "lastChangeDateTime",
                 "officialSourceURL", "publisher", "description", "subject", "subjectURI", "language", "version",
                 "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes", "extensions"}
ASSOCIATION_KEYS = {"identifier", "associationType", "sequenceNumber", "uri", "originNodeURI", "destinationNodeURI",
                    "CFAssociationGroupingURI", "lastChangeDateTime", "notes", "extensions"}
#: CASE 1.1 identifiers: lower-case RFC 4122 uuids (uuid5 and uuid4 both match).
IDENTIFIER_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class CaseError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:10]))


def urn(identifier) -> str:
    return f"urn:uuid:{identifier}"


def _ts(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _parse_ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _kern_ts(framework: KernFramework) -> str:
    if framework.published_at:
        return _ts(framework.published_at)
    start = school_year_start(framework.valid_from)
    return _ts(dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC))


def _version_ts(version: ModuleVersion) -> str:
    return _ts(version.published_at or version.created_at)


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, "", [], {})}


def _link(identifier, title: str) -> dict:
    return {"title": title, "identifier": str(identifier), "uri": urn(identifier)}


def export_package() -> dict:
    """The whole menukaart and the kern as one CFPackage (a JSON-ready dict, deterministic)."""
    items: list[dict] = []
    associations: list[dict] = []
    titles: dict[str, str] = {DOCUMENT_ID: document_title()}
    profielen = {p.code: p for p in Profiel.objects.all()}
    subject_ids = {code: str(catalog_uuid("profiel", code)) for code in profielen}

    def item(identifier, item_type: str, statement: str, ts: str, **fields) -> dict:
        identifier = str(identifier)
        titles[identifier] = statement[:200]
        entry = _clean({"identifier": identifier, "uri": urn(identifier), "fullStatement": statement,
                        "CFItemType": item_type, "CFItemTypeURI": _link(catalog_uuid("itemtype", item_type), item_type),
                        "language": "nl", "lastChangeDateTime": ts, **fields})
        items.append(entry)
        return entry

    def assoc(kind: str, origin, destination, ts: str, seq: int | None = None, grouping: str | None = None):
        origin, destination = str(origin), str(destination)
        ident = catalog_uuid("association", origin, kind, destination)
        entry = {"identifier": str(ident), "uri": urn(ident), "associationType": kind,
                 "originNodeURI": _link(origin, titles.get(origin, "")),
                 "destinationNodeURI": _link(destination, titles.get(destination, "")),
                 "lastChangeDateTime": ts}
        if seq is not None:
            entry["sequenceNumber"] = seq
        if grouping:
            entry["CFAssociationGroupingURI"] = _link(catalog_uuid("grouping", grouping), GROUPINGS[grouping])
        associations.append(entry)

    frameworks = KernFramework.objects.order_by("identifier", "version").prefetch_related(
        Prefetch("areas", queryset=KernArea.objects.order_by("order").prefetch_related(
            Prefetch("objectives", queryset=KernObjective.objects.order_by("order")))))
    for n, fw in enumerate(frameworks, start=1):
        ts = _kern_ts(fw)
        item(fw.uuid, "Kern", fw.title, ts, humanCodingScheme=f"{fw.identifier} v{fw.version}", notes=fw.description,
             extensions=_clean({"identifier": fw.identifier, "version": fw.version, "status": fw.status,
                                "validFrom": fw.valid_from, "source": fw.source}))
        assoc("isChildOf", fw.uuid, DOCUMENT_ID, ts, n)
        for area in fw.areas.all():
            item(area.uuid, "Kerngebied", area.title, ts, humanCodingScheme=area.code, notes=area.intro,
                 listEnumeration=str(area.order), extensions={"part": area.part})
            assoc("isChildOf", area.uuid, fw.uuid, ts, area.order)
            for o in area.objectives.all():
                item(o.uuid, "Kerndoel", o.text, ts, humanCodingScheme=o.code, listEnumeration=str(o.order))
                assoc("isChildOf", o.uuid, area.uuid, ts, o.order)

    versions = list(ModuleVersion.objects.select_related("module", "based_on").order_by("module__code", "version")
                    .prefetch_related(
                        Prefetch("objectives", queryset=ModuleObjective.objects.order_by("order", "code")),
                        Prefetch("guides", queryset=ModuleGuide.objects.order_by("leerweg")),
                        Prefetch("examples", queryset=ExampleAssessment.objects.order_by("title", "pk")),
                        Prefetch("profielen", queryset=Profiel.objects.order_by("code")),
                        Prefetch("kern_objectives", queryset=KernObjective.objects.order_by("uuid")),
                        Prefetch("mbo_qualifications", queryset=MboQualification.objects.order_by("crebo"))))
    by_module = defaultdict(list)
    for v in versions:
        by_module[v.module_id].append(v)
    stamps = [_version_ts(v) for v in versions] + [i["lastChangeDateTime"] for i in items]
    newest = max(stamps) if stamps else _ts(dt.datetime(2024, 8, 1, tzinfo=dt.UTC))

    qualifications = MboQualification.objects.order_by("crebo").prefetch_related(
        Prefetch("profielen", queryset=Profiel.objects.order_by("code")))
    for n, q in enumerate(qualifications, start=1):
        ident = catalog_uuid("mbo", q.crebo)
        item(ident, "Mbo-kwalificatie", q.name, newest, humanCodingScheme=q.crebo, notes=q.source,
             educationLevel=[f"mbo-{q.level}"] if q.level else [], subject=[p.code for p in q.profielen.all()])
        assoc("isChildOf", ident, DOCUMENT_ID, newest, n)

    modules = Module.objects.order_by("code")
    for n, module in enumerate(modules, start=1):
        own = by_module.get(module.pk, [])
        current = next((v for v in own if v.pk == module.current_version_id), own[-1] if own else None)
        ts = _ts(module.created_at)
        item(module.uuid, "Module", current.title if current else module.code, ts, humanCodingScheme=module.code,
             extensions=_clean({"currentVersion": current.version if module.current_version_id else None,
                                "retiredFrom": module.retired_from, "retirementReason": module.retirement_reason}))
        assoc("isChildOf", module.uuid, DOCUMENT_ID, ts, n)
        for v in own:
            vts = _version_ts(v)
            vid = catalog_uuid("version", module.code, v.version)
            fields = {
                "humanCodingScheme": f"{module.code} v{v.version}", "notes": v.summary,
                "educationLevel": v.leerwegen, "subject": [p.code for p in v.profielen.all()],
                "subjectURI": [_link(subject_ids[p.code], p.name) for p in v.profielen.all()],
                "extensions": _clean({
                    "version": v.version, "status": v.status, "moduleType": v.module_type, "units": v.units,
                    "validFrom": v.valid_from, "validUntil": v.valid_until, "legacyKind": v.legacy_kind,
                    "legacyCode": v.legacy_code, "changeNote": v.change_note, "source": v.source,
                    "dataNote": v.data_note, "basedOn": v.based_on.version if v.based_on_id else None,
                    "createdAt": _ts(v.created_at)}),
            }
            # Validity is given in school years (extensions validFrom/validUntil). statusStartDate/EndDate
            # are left out on purpose: the CASE 1.0 schema's oneOf(date, date-time) rejects a plain date
            # for validators that do not check formats, and 1.0 consumers must be able to read the package.
            item(vid, "Moduleversie", v.title, vts, **fields)
            assoc("isChildOf", vid, module.uuid, vts, v.version)
            for o in v.objectives.all():
                oid = catalog_uuid("objective", module.code, v.version, o.code)
                item(oid, "Eindterm", o.text, vts, humanCodingScheme=o.code, listEnumeration=str(o.order))
                assoc("isChildOf", oid, vid, vts, o.order)
            for g in v.guides.all():
                gid = catalog_uuid("guide", module.code, v.version, g.leerweg)
                item(gid, "Handreiking", g.text, vts, humanCodingScheme=f"{module.code} v{v.version} {g.leerweg}",
                     alternativeLabel=g.emphasis, educationLevel=[g.leerweg])
                assoc("isPartOf", gid, vid, vts)
            for i, e in enumerate(v.examples.all(), start=1):
                eid = catalog_uuid("example", module.code, v.version, i, e.title)
                item(eid, "Voorbeeldtoets", e.title, vts, notes=e.description,
                     educationLevel=[e.leerweg] if e.leerweg else [],
                     extensions=_clean({"form": e.form, "file": e.file.name if e.file else ""}))
                assoc("exemplar", vid, eid, vts, i)
            for k in v.kern_objectives.all():
                assoc("isRelatedTo", vid, k.uuid, vts, grouping="kern")
            for q in v.mbo_qualifications.all():
                assoc("isRelatedTo", vid, catalog_uuid("mbo", q.crebo), vts, grouping="mbo")
        published = [v for v in own if v.status != VersionStatus.CONCEPT]
        for old, new in zip(published, published[1:], strict=False):
            if old.status == VersionStatus.SUPERSEDED:
                assoc("replacedBy", catalog_uuid("version", module.code, old.version),
                      catalog_uuid("version", module.code, new.version), _version_ts(new))

    used_types = sorted({i["CFItemType"] for i in items})
    definitions = {
        "CFItemTypes": [{"identifier": str(catalog_uuid("itemtype", t)), "uri": urn(catalog_uuid("itemtype", t)),
                         "title": t, "description": ITEM_TYPES[t], "hierarchyCode": t, "typeCode": t,
                         "lastChangeDateTime": newest} for t in used_types],
        "CFSubjects": [{"identifier": subject_ids[code], "uri": urn(subject_ids[code]), "title": p.name,
                        "hierarchyCode": code, "description": p.source, "lastChangeDateTime": newest}
                       for code, p in sorted(profielen.items())],
        "CFAssociationGroupings": [{"identifier": str(catalog_uuid("grouping", key)),
                                    "uri": urn(catalog_uuid("grouping", key)), "title": title,
                                    "lastChangeDateTime": newest} for key, title in GROUPINGS.items()],
    }
    document = {
        "identifier": DOCUMENT_ID, "uri": urn(DOCUMENT_ID), "caseVersion": CASE_VERSION,
        "frameworkType": "Menukaart beroepsgerichte modulen vmbo", "creator": creator(),
        "publisher": creator(), "title": document_title(), "lastChangeDateTime": newest, "language": "nl",
        "adoptionStatus": "Implemented", "subject": ["vmbo", "beroepsgericht onderwijs"],
        "description": "De landelijke menukaart van oriënterende, kennismakende en verdiepende modulen, met hun "
                       "versies, eindtermen, handreikingen per leerweg en koppelingen, en de kern.",
        "notes": "Gemaakt door Maatwerk. Statussen en geldigheid per schooljaar staan in 'extensions'.",
    }
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations, "CFDefinitions": definitions}


def document_title() -> str:
    return "Menukaart beroepsgerichte modulen vmbo, met de kern"


def creator() -> str:
    return getattr(settings, "MAATWERK", {}).get("STEWARD_NAME", "Landelijk beheer menukaart vmbo")


def dumps(package: dict) -> str:
    """Canonical JSON: sorted keys, two-space indent, UTF-8 text (what export-case writes)."""
    return json.dumps(package, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# --- checks --------------------------------------------------------------------------------------


def check_package(package: dict) -> list[str]:
    """Structural checks of a CFPackage as CASE 1.1 requires them, plus Maatwerk's own needs: every
    identifier a lower-case uuid, the required fields, known association types, references that
    resolve. Returns Dutch problem descriptions (empty: fine)."""
    problems: list[str] = []
    if not isinstance(package, dict) or "CFDocument" not in package:
        return ["geen CFPackage: CFDocument ontbreekt"]
    extra = set(package) - {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions"}
    if extra:
        problems.append(f"onbekende onderdelen in het pakket: {', '.join(sorted(extra))}")
    doc = package["CFDocument"]
    for key in ("identifier", "uri", "creator", "title", "lastChangeDateTime"):
        if not doc.get(key):
            problems.append(f"CFDocument mist '{key}'")
    if set(doc) - DOCUMENT_KEYS:
        problems.append(f"CFDocument heeft onbekende velden: {', '.join(sorted(set(doc) - DOCUMENT_KEYS))}")
    if doc.get("caseVersion") not in (None, CASE_VERSION):
        problems.append(f"caseVersion '{doc.get('caseVersion')}' wordt niet ondersteund (alleen 1.1)")
    ids = {doc.get("identifier")}
    for n, it in enumerate(package.get("CFItems", []), start=1):
        for key in ("identifier", "fullStatement", "uri", "lastChangeDateTime"):
            if key not in it:
                problems.append(f"CFItem {n} mist '{key}'")
        if set(it) - ITEM_KEYS:
            problems.append(f"CFItem {n} heeft onbekende velden: {', '.join(sorted(set(it) - ITEM_KEYS))}")
        if it.get("identifier") in ids:
            problems.append(f"CFItem {n}: identifier {it.get('identifier')} komt twee keer voor")
        ids.add(it.get("identifier"))
    for ident in ids:
        if not isinstance(ident, str) or not IDENTIFIER_RE.match(ident):
            problems.append(f"identifier '{ident}' is geen uuid in kleine letters")
    for n, a in enumerate(package.get("CFAssociations", []), start=1):
        kind = a.get("associationType", "")
        if set(a) - ASSOCIATION_KEYS:
            problems.append(f"CFAssociation {n} heeft onbekende velden: {', '.join(sorted(set(a) - ASSOCIATION_KEYS))}")
        if kind not in ASSOCIATION_TYPES and not re.fullmatch(r"ext:[a-zA-Z0-9.\-_]+", kind):
            problems.append(f"CFAssociation {n}: onbekend associationType '{kind}'")
        for end in ("originNodeURI", "destinationNodeURI"):
            node = a.get(end) or {}
            if not {"title", "identifier", "uri"} <= set(node):
                problems.append(f"CFAssociation {n}: {end} is onvolledig")
        if not IDENTIFIER_RE.match(str(a.get("identifier", ""))):
            problems.append(f"CFAssociation {n}: identifier is geen uuid in kleine letters")
    for t in (package.get("CFDefinitions") or {}).get("CFItemTypes", []):
        if "description" not in t:
            problems.append(f"CFItemType '{t.get('title')}' mist 'description' (verplicht in CASE 1.1)")
    return problems


# --- import --------------------------------------------------------------------------------------


def import_package(package: dict) -> dict[str, int]:
    """Import a package made by export_package into a database without modules (the kern may exist:
    kern frameworks are matched on their uuid). All or nothing."""
    problems = check_package(package)
    if problems:
        raise CaseError(problems)
    if Module.objects.exists():
        raise CaseError(["de menukaart in deze database is niet leeg: importeer in een lege database"])
    items = package.get("CFItems", [])
    by_id = {i["identifier"]: i for i in items}
    children: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    related: dict[str, list[tuple[str, str]]] = defaultdict(list)
    groupings = {str(catalog_uuid("grouping", k)): k for k in GROUPINGS}
    for a in package.get("CFAssociations", []):
        origin, dest = a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]
        if a["associationType"] in ("isChildOf", "isPartOf"):
            children[dest].append((a.get("sequenceNumber") or 0, by_id.get(origin)))
        elif a["associationType"] == "exemplar":
            children[origin].append((a.get("sequenceNumber") or 0, by_id.get(dest)))
        elif a["associationType"] == "isRelatedTo":
            group = groupings.get((a.get("CFAssociationGroupingURI") or {}).get("identifier", ""), "")
            related[origin].append((group, dest))
    missing = [i for kids in children.values() for _, i in kids if i is None]
    if missing:
        raise CaseError(["een associatie verwijst naar een CFItem dat niet in het pakket staat"])

    def kids(identifier: str, item_type: str) -> list[dict]:
        return [i for _, i in sorted(children.get(identifier, []), key=lambda p: (p[0], p[1]["identifier"]))
                if i.get("CFItemType") == item_type]

    counts = defaultdict(int)
    with transaction.atomic():
        for fw_item in kids(DOCUMENT_ID, "Kern"):
            counts["kern"] += _import_kern(fw_item, kids)
        profielen = {p.code: p for p in Profiel.objects.all()}
        mbo = {}
        for q_item in kids(DOCUMENT_ID, "Mbo-kwalificatie"):
            level = next((int(x[4:]) for x in q_item.get("educationLevel", []) if x.startswith("mbo-")), None)
            q, _ = MboQualification.objects.update_or_create(
                crebo=q_item["humanCodingScheme"],
                defaults={"name": q_item["fullStatement"], "level": level, "source": q_item.get("notes", "")})
            q.profielen.set([profielen[c] for c in q_item.get("subject", []) if c in profielen])
            mbo[q_item["identifier"]] = q
            counts["mbo"] += 1
        kern = {str(k.uuid): k for k in KernObjective.objects.all()}
        for m_item in kids(DOCUMENT_ID, "Module"):
            ext = m_item.get("extensions", {})
            module = Module.objects.create(code=m_item["humanCodingScheme"])
            current = None
            made = {}
            for v_item in kids(m_item["identifier"], "Moduleversie"):
                version = _import_version(module, v_item, kids, related, profielen, kern, mbo, made)
                made[version.version] = version
                if version.version == ext.get("currentVersion"):
                    current = version
                counts["versions"] += 1
            Module.objects.filter(pk=module.pk).update(
                current_version=current, retired_from=ext.get("retiredFrom"),
                retirement_reason=ext.get("retirementReason", ""),
                created_at=_parse_ts(m_item["lastChangeDateTime"]))
            counts["modules"] += 1
    return dict(counts)


def _import_kern(fw_item: dict, kids) -> int:
    ident = uuid.UUID(fw_item["identifier"])
    if KernFramework.objects.filter(uuid=ident).exists():
        return 0
    ext = fw_item.get("extensions", {})
    framework = KernFramework.objects.create(
        uuid=ident, identifier=ext["identifier"], version=ext["version"], title=fw_item["fullStatement"],
        status="concept", valid_from=ext["validFrom"], source=ext.get("source", ""),
        description=fw_item.get("notes", ""))
    for a_item in kids(fw_item["identifier"], "Kerngebied"):
        area = KernArea.objects.create(
            framework=framework, uuid=uuid.UUID(a_item["identifier"]), part=a_item["extensions"]["part"],
            code=a_item["humanCodingScheme"], title=a_item["fullStatement"], intro=a_item.get("notes", ""),
            order=int(a_item.get("listEnumeration") or 0))
        KernObjective.objects.bulk_create(
            KernObjective(area=area, uuid=uuid.UUID(o["identifier"]), code=o["humanCodingScheme"],
                          text=o["fullStatement"], order=int(o.get("listEnumeration") or 0))
            for o in kids(a_item["identifier"], "Kerndoel"))
    published_at = None
    if ext.get("status", "concept") != "concept":
        start = school_year_start(framework.valid_from)
        stamp = _parse_ts(fw_item["lastChangeDateTime"])
        if stamp != dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC):
            published_at = stamp
    KernFramework.objects.filter(pk=framework.pk).update(status=ext.get("status", "concept"),
                                                         published_at=published_at)
    return 1


def _import_version(module, v_item, kids, related, profielen, kern, mbo, made) -> ModuleVersion:
    ext = v_item.get("extensions", {})
    version = ModuleVersion.objects.create(
        module=module, version=ext["version"], status=VersionStatus.CONCEPT, title=v_item["fullStatement"],
        summary=v_item.get("notes", ""), module_type=ext["moduleType"], units=ext.get("units", 1),
        legacy_kind=ext.get("legacyKind", ""), legacy_code=ext.get("legacyCode", ""),
        change_note=ext.get("changeNote", ""), source=ext.get("source", ""), data_note=ext.get("dataNote", ""),
        based_on=made.get(ext.get("basedOn")),
        **{f"for_{lw.lower()}": lw in v_item.get("educationLevel", []) for lw in ("BB", "KB", "GL", "TL")})
    version.profielen.set([profielen[c] for c in v_item.get("subject", []) if c in profielen])
    links = related.get(v_item["identifier"], [])
    version.kern_objectives.set([kern[d] for g, d in links if g == "kern" and d in kern])
    version.mbo_qualifications.set([mbo[d] for g, d in links if g == "mbo" and d in mbo])
    ModuleObjective.objects.bulk_create(
        ModuleObjective(version=version, code=o["humanCodingScheme"], text=o["fullStatement"],
                        order=int(o.get("listEnumeration") or 0)) for o in kids(v_item["identifier"], "Eindterm"))
    ModuleGuide.objects.bulk_create(
        ModuleGuide(version=version, leerweg=g["educationLevel"][0], emphasis=g.get("alternativeLabel", ""),
                    text=g["fullStatement"]) for g in kids(v_item["identifier"], "Handreiking"))
    ExampleAssessment.objects.bulk_create(
        ExampleAssessment(version=version, title=e["fullStatement"], description=e.get("notes", ""),
                          leerweg=(e.get("educationLevel") or [""])[0], form=e.get("extensions", {}).get("form", "other"),
                          file=e.get("extensions", {}).get("file", ""))
        for e in kids(v_item["identifier"], "Voorbeeldtoets"))
    from .services import search_text_of

    created_at = _parse_ts(ext["createdAt"]) if ext.get("createdAt") else _parse_ts(v_item["lastChangeDateTime"])
    ModuleVersion.objects.filter(pk=version.pk).update(search_text=search_text_of(version), created_at=created_at)
    version.refresh_from_db()
    status = ext.get("status", VersionStatus.CONCEPT)
    if status != VersionStatus.CONCEPT:
        # Built as a concept, then moved to its status in one save: the immutability guard allows that.
        version.status = status
        version.valid_from = ext.get("validFrom")
        version.valid_until = ext.get("validUntil")
        version.published_at = _parse_ts(v_item["lastChangeDateTime"])
        version.save()
    return version
