"""Request bodies for the write cases of the matrix: VALID input wherever a route takes input, so an
allowed relation gets past validation (and really writes, in a savepoint that is rolled back) and a
denied relation cannot hide behind a validation error: it must be refused by the permission check.

`t` is the target dict of tests/security/world.py (school A's objects, or for `assessor_unassigned`
those of a student and item not assigned to them)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

COMPETENCY = "motives"


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _offering_import(t):
    module = t["module"].code
    return _csv("aanbod.csv", f"modulecode;schooljaar;leerwegen\n{module};2026-2027;KB\n")


def _grades_csv(t):
    return _csv("cijfers.csv", f"leerlingnummer;toetscode;cijfer\n{t['student'].student_number};{t['item'].code};7,0\n")


def _cell(t):
    key = f"c-{t['student'].pk}-{t['item'].pk}-1"
    result = t["result"]
    return {key: "7,2", f"o-{key}": "6,5", f"v-{key}": result.version}


def _assess(t):
    data = {"version": t["result"].version, "attempt": 1, "comment": "Netjes gewerkt."}
    rubric = getattr(t["item"], "rubric", None)
    if rubric is not None:
        for criterion in rubric.criteria.all():
            data[f"crit_{criterion.pk}"] = criterion.levels.first().pk
    else:
        data["value"] = "7,0"
    return data


PAGES = {
    "login": lambda t: {"username": "niemand@example.invalid", "password": "fout-wachtwoord"},
    "accounts:otp_verify": lambda t: {"code": "000000"},
    "accounts:otp_setup": lambda t: {"code": "000000"},
    "accounts:password_reset": lambda t: {"email": "niemand@example.invalid"},
    "accounts:password_reset_confirm": lambda t: {"new_password1": "Nieuw-wachtwoord-42",
                                                  "new_password2": "Nieuw-wachtwoord-42"},
    "accounts:password_change": lambda t: {"old_password": "fout", "new_password1": "Nieuw-wachtwoord-42",
                                           "new_password2": "Nieuw-wachtwoord-42"},
    "catalog:lifecycle_run": lambda t: {"dry_run": "1"},
    "catalog:review": lambda t: {"decision": "keep", "decided_on": "2026-01-15", "reasons": "Actueel",
                                 "consulted_vmbo": "vmbo", "consulted_mbo": "mbo", "consulted_employers": "SBB"},
    "catalog:proposal_action": lambda t: {"reason": "Past in de ronde."},
    "catalog:version_publish": lambda t: {"valid_from": 2027},
    "catalog:version_withdraw": lambda t: {"reason": "Niet meer gegeven."},
    "schools:offering_add": lambda t: {"versions": [t["offering2"].module_version_id], "leerwegen": ["KB"]},
    "schools:offering_copy": lambda t: {"from_year": t["offering"].school_year},
    "schools:package_check": lambda t: {"modules": [t["module"].pk], "school_year": t["offering"].school_year},
    "schools:partner_new": lambda t: {"name": "Bakkerij De Korenaar", "kind": "company"},
    "schools:partner_edit": lambda t: {"name": "Bakkerij De Korenaar", "kind": "company"},
    "schools:group_remove_student": lambda t: {},
    "schools:policy": lambda t: {"form": "policy", "regulation_id": "spv-modulair", "extra_bb": 0, "extra_kb": 0,
                                 "extra_gl": 0, "extra_tl": 0, "extra_min_introductory": 0,
                                 "extra_min_deepening": 0, "max_units_per_year": 6},
    "schools:licence_change": lambda t: {"to_year": 2030},
    "schools:import": lambda t: {"kind": "aanbod", "file": _offering_import(t), "school_year": 2026,
                                 "dry_run": "on"},
    "students:programme_add": lambda t: {"offering": t["offering2"].pk},
    "students:programme_item_status": lambda t: {"status": "completed"},
    "students:programme_decide": lambda t: {"conversation": t["conversation"].pk, "comment": "Besproken."},
    "students:programme_reopen": lambda t: {"reason": "Andere richting gekozen."},
    "students:activity_new": lambda t: {"date": "2025-10-02", "kind": "company_visit", "title": "Bezoek bakkerij"},
    "students:activity_edit": lambda t: {"date": "2025-10-02", "kind": "company_visit", "title": "Bezoek bakkerij"},
    "students:activity_comment": lambda t: {"comment": "Mooi verslag."},
    "students:attachment_add": lambda t: {"file": SimpleUploadedFile("verslag.txt", b"Verslag", "text/plain")},
    "students:conversation_new": lambda t: {"date": "2025-11-03", "participants": "leerling, mentor"},
    "students:conversation_reflect": lambda t: {COMPETENCY: "Ik wil met mensen werken."},
    "assessment:pta_adopt": lambda t: {"reason": ""},
    "assessment:gradebook": _cell,
    "assessment:grade_import": lambda t: {"file": _grades_csv(t), "dry_run": "on"},
    "assessment:assess": _assess,
    "diploma:run": lambda t: {"school": t["school"].brin, "school_year": 2026, "dry_run": "on"},
    "diploma:sign_off_selected": lambda t: {"school": t["school"].brin, "besluit": [t["decision"].pk]},
    "diploma:decision_correct": lambda t: {"reason": "Cijfer verkeerd overgenomen."},
    "diploma:credential_revoke": lambda t: {"reason": "Resultaat gecorrigeerd."},
    "diploma:credentials_issue": lambda t: {"school": t["school"].brin},
    "diploma:routes": lambda t: {"name": "Route bakker", "kind": "continuous", "mbo_college": t["mbo_college"].pk,
                                 "qualification": t["qualification"].pk},
    "diploma:verify": lambda t: {"text": "geen certificaat"},
}

def _sid(t):
    return t["school"].pk


PARTNER = {"name": "Bakkerij De Korenaar", "kind": "company"}
REASON = {"reason": "Verkeerd overgenomen."}

API = {
    "POST /api/v1/accounts/token/": lambda t: {"username": "niemand@example.invalid", "password": "fout"},
    "POST /api/v1/kern/frameworks/": lambda t: {"identifier": "kern-test", "title": "Kern (test)", "valid_from": 2027},
    "PUT /api/v1/kern/frameworks/{id}/": lambda t: {"identifier": t["framework"].identifier, "title": "Kern",
                                                    "valid_from": 2027},
    "PATCH /api/v1/kern/frameworks/{id}/": lambda t: {"title": "Kern"},
    "POST /api/v1/kern/areas/": lambda t: {"framework": t["framework"].pk, "part": "lob", "code": "X",
                                           "title": "Gebied", "order": 99},
    "PATCH /api/v1/kern/areas/{id}/": lambda t: {"title": "Gebied"},
    "POST /api/v1/kern/objectives/": lambda t: {"area": t["kern_area"].pk, "code": "X1", "text": "Doel", "order": 99},
    "PATCH /api/v1/kern/objectives/{id}/": lambda t: {"text": "Doel"},
    "POST /api/v1/catalog/modules/": lambda t: {"title": "Drones in de zorg", "module_type": "INTRODUCTORY"},
    "PUT /api/v1/catalog/versions/{id}/": lambda t: {"title": "Nieuwe titel"},
    "PATCH /api/v1/catalog/versions/{id}/": lambda t: {"title": "Nieuwe titel"},
    "POST /api/v1/catalog/versions/{id}/publish/": lambda t: {"valid_from": 2027},
    "POST /api/v1/catalog/versions/{id}/withdraw/": lambda t: {"reason": "Niet meer gegeven."},
    "POST /api/v1/catalog/proposals/": lambda t: {
        "kind": "new", "title": "Robots in de bakkerij", "module_type": "INTRODUCTORY", "leerwegen": ["KB"],
        "summary": "Samenvatting", "objectives": "Een robot bedienen", "rationale": "Regio", "evidence": "Werkgevers"},
    "POST /api/v1/catalog/proposals/{id}/accept/": lambda t: {"reason": "Goed voorstel."},
    "POST /api/v1/catalog/proposals/{id}/reject/": lambda t: {"reason": "Past niet."},
    "POST /api/v1/catalog/usage-reports/": lambda t: {"module": t["module"].code, "school_year": "2025-2026",
                                                      "brin": t["school"].brin, "exams_taken": 3},
    "PUT /api/v1/schools/schools/{id}/": lambda t: {"description": "Onze school", "region": "Zwolle"},
    "PATCH /api/v1/schools/schools/{id}/": lambda t: {"description": "Onze school"},
    "POST /api/v1/schools/imports/": lambda t: {"__multipart__": True, "school_id": _sid(t), "kind": "aanbod",
                                                "file": _offering_import(t), "dry_run": "true"},
    "POST /api/v1/schools/licences/": lambda t: {"school_id": _sid(t), "profiel": "BWI", "from_year": 2026},
    "PUT /api/v1/schools/licences/{id}/": lambda t: {"profiel": "ZW", "from_year": 2020, "to_year": 2030},
    "PATCH /api/v1/schools/licences/{id}/": lambda t: {"to_year": 2030},
    "POST /api/v1/schools/offerings/": lambda t: {"school_id": _sid(t), "school_year": 2026,
                                                  "module_version": t["offering2"].module_version_id,
                                                  "leerwegen": ["KB"]},
    "PUT /api/v1/schools/offerings/{id}/": lambda t: {"school_year": t["offering"].school_year,
                                                      "module_version": t["offering"].module_version_id,
                                                      "leerwegen": ["KB"], "note": "Aangepast"},
    "PATCH /api/v1/schools/offerings/{id}/": lambda t: {"note": "Aangepast"},
    "POST /api/v1/schools/offerings/bulk/": lambda t: {"school_id": _sid(t), "school_year": 2026,
                                                       "module_versions": [t["offering2"].module_version_id]},
    "POST /api/v1/schools/offerings/copy/": lambda t: {"school_id": _sid(t), "from_year": t["offering"].school_year,
                                                       "to_year": t["offering"].school_year + 1},
    "POST /api/v1/schools/packages/": lambda t: {"school_id": _sid(t), "name": "Bakker breed", "kind": "broad",
                                                 "school_year": 2026},
    "PUT /api/v1/schools/packages/{id}/": lambda t: {"name": "Bakker breed", "kind": "broad", "school_year": 2025},
    "PATCH /api/v1/schools/packages/{id}/": lambda t: {"name": "Bakker breed"},
    "POST /api/v1/schools/packages/check/": lambda t: {"school_id": _sid(t), "school_year": 2025,
                                                       "modules": [t["module"].code]},
    "POST /api/v1/schools/policies/": lambda t: {"school_id": _sid(t), "regulation_id": "spv-modulair"},
    "PUT /api/v1/schools/policies/{id}/": lambda t: {"regulation_id": "spv-modulair"},
    "PATCH /api/v1/schools/policies/{id}/": lambda t: {"regulation_id": "spv-modulair"},
    "POST /api/v1/schools/partners/": lambda t: {"school_id": _sid(t), **PARTNER},
    "PUT /api/v1/schools/partners/{id}/": lambda t: PARTNER,
    "PATCH /api/v1/schools/partners/{id}/": lambda t: {"city": "Zwolle"},
    "POST /api/v1/schools/teaching-groups/": lambda t: {"offering": t["offering"].pk, "name": "3kb-x"},
    "PUT /api/v1/schools/teaching-groups/{id}/": lambda t: {"offering": t["offering"].pk, "name": "3kb-x"},
    "PATCH /api/v1/schools/teaching-groups/{id}/": lambda t: {"name": "3kb-x"},
    "POST /api/v1/schools/teaching-groups/{id}/add-students/": lambda t: {"student_ids": [t["student"].pk]},
    "POST /api/v1/schools/teaching-groups/{id}/remove-students/": lambda t: {"student_ids": [t["student"].pk]},
    "POST /api/v1/students/programmes/": lambda t: {"student": t["student"].pk},
    "POST /api/v1/students/programmes/{id}/items/": lambda t: {"offering": t["offering2"].pk},
    "POST /api/v1/students/programmes/{id}/items/{item_id}/status/": lambda t: {"status": "completed"},
    "POST /api/v1/students/programmes/{id}/approve/": lambda t: {"conversation": t["conversation"].pk,
                                                                 "comment": "Besproken."},
    "POST /api/v1/students/programmes/{id}/send-back/": lambda t: {"conversation": t["conversation"].pk,
                                                                   "comment": "Nog een keer."},
    "POST /api/v1/students/programmes/{id}/reopen/": lambda t: {"reason": "Andere richting."},
    "POST /api/v1/students/validate/": lambda t: {"student": t["student"].pk, "items": [
        {"module_version": t["version"].pk, "school_year": t["offering"].school_year}]},
    "POST /api/v1/students/activities/": lambda t: {"student": t["student"].pk, "date": "2025-10-02",
                                                    "kind": "company_visit", "title": "Bezoek bakkerij"},
    "PUT /api/v1/students/activities/{id}/": lambda t: {"student": t["student"].pk, "date": "2025-10-02",
                                                        "kind": "company_visit", "title": "Bezoek bakkerij"},
    "PATCH /api/v1/students/activities/{id}/": lambda t: {"title": "Bezoek bakkerij"},
    "POST /api/v1/students/activities/{id}/comment/": lambda t: {"comment": "Mooi verslag."},
    "POST /api/v1/students/conversations/": lambda t: {"student": t["student"].pk, "date": "2025-11-03",
                                                       "participants": "leerling, mentor"},
    "PUT /api/v1/students/conversations/{id}/reflections/": lambda t: {
        "reflections": [{"competency": COMPETENCY, "text": "Ik wil met mensen werken."}]},
    "POST /api/v1/assessment/ptas/": lambda t: {"school": _sid(t), "cohort": 2026, "exam_year": 2027,
                                                "title": "PTA KB 2026", "leerwegen": ["KB"]},
    "PUT /api/v1/assessment/ptas/{id}/": lambda t: {"title": "PTA (gewijzigd)", "reason": "Kennelijke fout."},
    "PATCH /api/v1/assessment/ptas/{id}/": lambda t: {"title": "PTA (gewijzigd)", "reason": "Kennelijke fout."},
    "POST /api/v1/assessment/ptas/{id}/adopt/": lambda t: {"reason": ""},
    "POST /api/v1/assessment/items/": lambda t: {"pta": t["pta"].pk, "code": "SE50", "title": "Proeve",
                                                 "module_versions": [t["version"].pk], "reason": "Toegevoegd."},
    "PUT /api/v1/assessment/items/{id}/": lambda t: {"title": "Proeve", "reason": "Kennelijke fout."},
    "PATCH /api/v1/assessment/items/{id}/": lambda t: {"title": "Proeve", "reason": "Kennelijke fout."},
    "DELETE /api/v1/assessment/items/{id}/": lambda t: {"reason": "Kennelijke fout."},
    "PUT /api/v1/assessment/items/{id}/rubric/": lambda t: {
        "grade_rule": "linear", "cesuur": "0.55", "reason": "Kennelijke fout.",
        "criteria": [{"text": "Werkt veilig", "levels": [{"label": "goed", "points": 2, "descriptor": "Veilig"}]}]},
    "POST /api/v1/assessment/results/": lambda t: {"student": t["student"].pk, "item": t["item"].pk, "attempt": 1,
                                                   "value": "7,0", "version": t["result"].version},
    "PUT /api/v1/assessment/results/{id}/": lambda t: {"value": "7,0", "version": t["result"].version},
    "PATCH /api/v1/assessment/results/{id}/": lambda t: {"value": "7,0", "version": t["result"].version},
    "POST /api/v1/assessment/kern-observations/": lambda t: {"student": t["student"].pk,
                                                             "objective": t["kern_objective"].pk,
                                                             "level": "developing", "item": t["item"].pk,
                                                             "observed_on": "2025-12-02"},
    "POST /api/v1/assessment/assignments/": lambda t: {"assessor": t["assessor_user"].pk, "item": t["item2"].pk,
                                                       "student": t["assigned_student"].pk},
    "POST /api/v1/diploma/decisions/run/": lambda t: {"school": t["school"].brin, "school_year": 2026,
                                                      "dry_run": True},
    "POST /api/v1/diploma/decisions/{id}/correct/": lambda t: REASON,
    "POST /api/v1/diploma/credentials/issue/": lambda t: {"school": t["school"].brin},
    "POST /api/v1/diploma/credentials/{id}/revoke/": lambda t: REASON,
    "POST /api/v1/diploma/verify/": lambda t: {"credential": "geen certificaat"},
    "POST /api/v1/diploma/routes/": lambda t: {"school": t["school"].brin, "name": "Route bakker",
                                               "kind": "continuous", "mbo_college_id": t["mbo_college"].pk,
                                               "crebo": t["qualification"].crebo},
}


def page(key: str, t: dict) -> dict:
    make = PAGES.get(key)
    return make(t) if make else {}


def api(key: str, t: dict):
    make = API.get(key)
    return make(t) if make else {}
