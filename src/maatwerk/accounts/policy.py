"""The authorisation policy: for EVERY page and EVERY API operation, who may read it and who may write
it, and what everyone else gets (403 or 404, or the login page).

This table is the specification; the predicates (`accounts.predicates`, each app's `permissions.py`)
and the scoping (`accounts.scoping.visible_to`) are the implementation. `tests/security/
test_authz_matrix.py` walks every URL pattern of the resolver and every operation of the OpenAPI
schema, looks each one up here (a route without an entry fails the test, naming it), and checks every
relation below against the running code. See docs/security.md.

A route is about one object of one school ("school A"): a student, a PTA, an offering, ... Who asks
is described by their relation to that object:

  anonymous             not logged in
  steward               landelijk beheerder (the national menukaart)
  proposer              indiener of a national platform
  school_leader, exam_secretary, counsellor, mentor, teacher
                        staff of the object's school, in that role (counsellor = decaan)
  assessor              externe beoordelaar of that school, assigned to the student and the item
  assessor_unassigned   the same assessor, for a student and item NOT assigned to them
  student               the leerling the object is about (its owner)
  other_student         another leerling of the same school
  parent                ouder of that leerling
  other_parent          ouder of another leerling of the school
  other_school_leader, other_exam_secretary, other_counsellor, other_mentor, other_teacher
                        the same staff roles at ANOTHER school

Outcomes: ALLOW (the page or operation answers: 2xx, a redirect to where the work goes on, or a 400/409
that refuses bad input after the permission check), FORBIDDEN (403: you see the object, you may not do
this), NOT_FOUND (404: you do not see the object, and we do not say it exists), LOGIN (anonymous: the
login page; 401/403 from the API), REFUSED (the page answers 400/409 and saves nothing, e.g. a grade
cell someone may see but not enter).

Pages that are "your own" (the school's planning pages, "mijn programma") have no object in the URL:
staff of another school get their OWN school's page there, which is ALLOW; the test checks that no
personal data of school A's students appears in any answer to someone who may not see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ALLOW = "allow"
FORBIDDEN = "403"
NOT_FOUND = "404"
LOGIN = "login"
REFUSED = "refused"
OUTCOMES = (ALLOW, FORBIDDEN, NOT_FOUND, LOGIN, REFUSED)

# --- relations --------------------------------------------------------------------------------------

LEADER, EXAMSEC, COUNSELLOR, MENTOR, TEACHER = "school_leader", "exam_secretary", "counsellor", "mentor", "teacher"
STAFF = (LEADER, EXAMSEC, COUNSELLOR, MENTOR, TEACHER)
OTHER_SCHOOL = tuple(f"other_{r}" for r in STAFF)
ASSESSOR, ASSESSOR_UNASSIGNED = "assessor", "assessor_unassigned"
STUDENT, OTHER_STUDENT, PARENT, OTHER_PARENT = "student", "other_student", "parent", "other_parent"
OWNER = (STUDENT, PARENT)  # the leerling and their ouder
STUDENTS_AND_PARENTS = (STUDENT, OTHER_STUDENT, PARENT, OTHER_PARENT)
STEWARD, PROPOSER, ANONYMOUS = "steward", "proposer", "anonymous"
RELATIONS = (ANONYMOUS, STEWARD, PROPOSER, *STAFF, ASSESSOR, ASSESSOR_UNASSIGNED, *STUDENTS_AND_PARENTS,
             *OTHER_SCHOOL)
LOGGED_IN_RELATIONS = tuple(r for r in RELATIONS if r != ANONYMOUS)


def other(*roles: str) -> tuple[str, ...]:
    """The same staff roles at another school: other("school_leader") -> ("other_school_leader",)."""
    return tuple(f"other_{r}" for r in roles)


def both(*roles: str) -> tuple[str, ...]:
    """Staff roles at the object's school AND at another school (pages about "your own school")."""
    return (*roles, *other(*roles))


# --- access rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """The outcome for every relation."""

    outcomes: Mapping[str, str]

    def __post_init__(self):
        missing = set(RELATIONS) - set(self.outcomes)
        unknown = set(self.outcomes) - set(RELATIONS)
        bad = {o for o in self.outcomes.values() if o not in OUTCOMES}
        if missing or unknown or bad:
            raise ValueError(f"incomplete access rule: missing {missing}, unknown {unknown}, bad outcomes {bad}")

    def __getitem__(self, relation: str) -> str:
        return self.outcomes[relation]

    def allowed(self) -> tuple[str, ...]:
        return tuple(r for r in RELATIONS if self.outcomes[r] == ALLOW)

    def but(self, **outcomes: str) -> Access:
        """The same rule with some relations changed: rule.but(parent=FORBIDDEN)."""
        return Access(MappingProxyType({**self.outcomes, **outcomes}))


def rule(allow: Iterable[str] = (), *, forbid: Iterable[str] = (), refuse: Iterable[str] = (),
         deny: str = NOT_FOUND, anonymous: str = LOGIN) -> Access:
    """`allow` may; `forbid` see the object but may not (403); `refuse` get an answer that saves nothing;
    every other logged-in relation gets `deny`; anonymous gets `anonymous`."""
    allow, forbid, refuse = set(allow), set(forbid), set(refuse)
    if allow & forbid or allow & refuse or forbid & refuse:
        raise ValueError("a relation is in more than one group")
    outcomes = {}
    for r in RELATIONS:
        if r == ANONYMOUS:
            outcomes[r] = ALLOW if ANONYMOUS in allow else anonymous
        elif r in allow:
            outcomes[r] = ALLOW
        elif r in forbid:
            outcomes[r] = FORBIDDEN
        elif r in refuse:
            outcomes[r] = REFUSED
        else:
            outcomes[r] = deny
    return Access(MappingProxyType(outcomes))


# Named templates, so the table below stays readable.
PUBLIC = rule(RELATIONS)                                   # everyone, also without logging in
LOGGED_IN = rule(LOGGED_IN_RELATIONS)                      # everyone logged in (lists are scoped)
STEWARD_ONLY = rule([STEWARD], deny=FORBIDDEN)             # the landelijk beheerder
STAFF_PAGE = rule(both(*STAFF), deny=FORBIDDEN)            # any school staff: their own school
ANY_STUDENT_OR_PARENT = rule(STUDENTS_AND_PARENTS)         # "mijn ...": their own (child's) data


def own_school(*roles: str, forbid: Iterable[str] = (), deny: str = NOT_FOUND) -> Access:
    """A page about the user's own school (no object in the URL): `roles` at any school may."""
    return rule(both(*roles), forbid=forbid, deny=deny)


def school_object(*roles: str, seen_by: Iterable[str] = STAFF, also: Iterable[str] = (),
                  refuse: Iterable[str] = ()) -> Access:
    """An object of school A: `roles` of school A (and `also`) may; the rest of `seen_by` sees the object
    and gets 403; everyone else 404."""
    allow = {*roles, *also}
    return rule(allow, forbid=[r for r in seen_by if r not in allow and r not in refuse], refuse=refuse)


def school_create(*roles: str, other_school: str = NOT_FOUND) -> Access:
    """Create a row for school A through the API (the school is in the body): `roles` of school A may; the
    same roles at another school pass the role check but do not see school A (`other_school`: 404, or
    REFUSED where a scoped field answers "does not exist"); everyone else has no such role anywhere: 403."""
    others = other(*roles)
    forbid = [r for r in LOGGED_IN_RELATIONS if r not in roles and r not in others]
    if other_school == REFUSED:
        return rule(roles, forbid=forbid, refuse=others)
    return rule(roles, forbid=forbid, deny=other_school)


def student_object(*roles: str, owner: Iterable[str] = OWNER, also: Iterable[str] = ()) -> Access:
    """An object about one student: `roles` of the school and the `owner` relations may; the other staff
    of the school and the owners who may only read get 403; everyone else 404."""
    return school_object(*roles, *owner, *also, seen_by=(*STAFF, *OWNER))


#: Reading anything about one student: all staff of the school, the student, their parent.
STUDENT_READ = student_object(*STAFF)


# --- the table --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page (URL name). `read` is GET; `write` is POST (None: the page takes no writes).
    `args` fill the URL: kwarg -> target ("student", "module.code") or "=literal"."""

    read: Access | None
    write: Access | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Op:
    """An API operation ("METHOD /path/{param}/" as in the OpenAPI schema)."""

    access: Access
    args: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    note: str = ""


#: Targets (objects of school A that fill the URLs; built by tests/security/world.py):
#: school, student, offering, package, partner, group, licence, policy, programme, programme_item,
#: activity, conversation, attachment, pta, item, rubric, result, assignment, kern_observation,
#: module_result, decision, credential, route, key, module, version (published), concept (a concept
#: version), proposal (of the proposer's platform), review (not yet decided), framework, kern_area,
#: kern_objective, class_name. For `assessor_unassigned` the student, item, result and assignment are
#: those of another student and item of the same PTA, assigned to another assessor.

PK = {"pk": "student"}
MANAGEMENT = (LEADER, COUNSELLOR)            # schools.plan and most schools.change_* (schoolleider, decaan)
GUIDANCE = (MENTOR, COUNSELLOR)              # students: approve, comment, conversations
EXAM_OFFICE = (EXAMSEC, LEADER)              # diploma: decisions, credentials
GRADERS = (TEACHER, EXAMSEC)                 # assessment.enter_result / import_results
PTA_MANAGERS = (EXAMSEC, LEADER)             # assessment.manage_pta
GRADEBOOK_READERS = (TEACHER, EXAMSEC, LEADER)

INSIGHT_SCHOOL = (LEADER, COUNSELLOR, EXAMSEC)   # insight.view_school

PAGES: dict[str, Page] = {
    # --- web shell, login, privacy, audit -----------------------------------------------------------
    "home": Page(PUBLIC),
    "privacy": Page(PUBLIC),
    "login": Page(PUBLIC, PUBLIC),
    "logout": Page(None, PUBLIC, note="POST only (Django's LogoutView)."),
    "oidc_authentication_init": Page(rule(deny=NOT_FOUND, anonymous=NOT_FOUND),
                                     note="404 until a school connects OpenID Connect (OIDC_RP_CLIENT_ID)."),
    "oidc_authentication_callback": Page(rule(deny=NOT_FOUND, anonymous=NOT_FOUND),
                                         note="404 until OpenID Connect is configured."),
    "audit": Page(school_object(*EXAM_OFFICE, seen_by=(*STAFF, *OWNER, ASSESSOR)),
                  args={"app_label": "=assessment", "model_name": "=result", "pk": "result"},
                  note="The history of a result: examensecretaris and schoolleider of its school only."),
    "privacy_export_json": Page(student_object(LEADER), args=PK, note="AVG inzage: schoolleider, leerling, ouder."),
    "privacy_export_pdf": Page(student_object(LEADER), args=PK),
    "schema": Page(PUBLIC, query={"format": "=json"}),
    "api-docs": Page(PUBLIC),
    "accounts:otp_verify": Page(LOGGED_IN, LOGGED_IN),
    "accounts:otp_setup": Page(LOGGED_IN, LOGGED_IN),
    "accounts:password_reset": Page(PUBLIC, PUBLIC),
    "accounts:password_reset_done": Page(PUBLIC),
    "accounts:password_reset_confirm": Page(PUBLIC, PUBLIC, args={"uidb64": "=MQ", "token": "=ongeldig-token"}),
    "accounts:password_reset_complete": Page(PUBLIC),
    "accounts:password_change": Page(LOGGED_IN, LOGGED_IN),
    "accounts:password_change_done": Page(LOGGED_IN),
    # --- kern ------------------------------------------------------------------------------------------
    "kern:detail": Page(PUBLIC),
    "kern:version": Page(PUBLIC, args={"pk": "framework"}),
    # --- menukaart ---------------------------------------------------------------------------------
    "catalog:list": Page(PUBLIC),
    "catalog:steward": Page(STEWARD_ONLY),
    "catalog:lifecycle_run": Page(None, STEWARD_ONLY),
    "catalog:review": Page(rule([STEWARD]), rule([STEWARD]), args={"pk": "review"},
                           note="An undecided review is the steward's; decided reviews are public on the module."),
    "catalog:proposals": Page(rule([STEWARD, PROPOSER], deny=FORBIDDEN)),
    "catalog:proposal_new": Page(rule([PROPOSER], deny=FORBIDDEN), rule([PROPOSER], deny=FORBIDDEN)),
    "catalog:proposal": Page(rule([STEWARD, PROPOSER]), args={"pk": "proposal"},
                             note="The steward, and the proposers of the platform or school that sent it."),
    "catalog:proposal_action": Page(None, rule([STEWARD], forbid=[PROPOSER]),
                                    args={"pk": "proposal", "action": "=in-behandeling"}),
    "catalog:module": Page(PUBLIC, args={"code": "module.code"}),
    "catalog:compare": Page(PUBLIC, args={"code": "module.code"}),
    "catalog:version_new": Page(None, STEWARD_ONLY, args={"code": "module.code"}),
    "catalog:version_edit": Page(rule([STEWARD]), rule([STEWARD]),
                                 args={"code": "module.code", "number": "concept.version"},
                                 note="A concept version is visible to the steward only."),
    "catalog:version_publish": Page(None, rule([STEWARD]), args={"code": "module.code", "number": "concept.version"}),
    "catalog:version_withdraw": Page(None, STEWARD_ONLY, args={"code": "module.code", "number": "version.version"}),
    # --- school offering -----------------------------------------------------------------------------
    "schools:index": Page(PUBLIC),
    "schools:public": Page(PUBLIC, args={"brin": "school.brin"}),
    "schools:offering": Page(own_school(*MANAGEMENT)),
    "schools:offering_add": Page(own_school(*MANAGEMENT), own_school(*MANAGEMENT)),
    "schools:offering_copy": Page(None, own_school(*MANAGEMENT)),
    "schools:offering_edit": Page(school_object(*MANAGEMENT), school_object(*MANAGEMENT), args={"pk": "offering"}),
    "schools:offering_delete": Page(None, school_object(*MANAGEMENT), args={"pk": "offering"}),
    "schools:packages": Page(own_school(*MANAGEMENT)),
    "schools:package_new": Page(own_school(*MANAGEMENT), own_school(*MANAGEMENT)),
    "schools:package_check": Page(None, own_school(*MANAGEMENT), note="The builder's live verdict (htmx)."),
    "schools:package_edit": Page(school_object(*MANAGEMENT), school_object(*MANAGEMENT), args={"pk": "package"}),
    "schools:package_delete": Page(None, school_object(*MANAGEMENT), args={"pk": "package"}),
    "schools:partners": Page(own_school(*MANAGEMENT)),
    "schools:partner_new": Page(own_school(*MANAGEMENT), own_school(*MANAGEMENT)),
    "schools:partner_edit": Page(school_object(*MANAGEMENT), school_object(*MANAGEMENT), args={"pk": "partner"}),
    "schools:partner_delete": Page(None, school_object(*MANAGEMENT), args={"pk": "partner"}),
    "schools:groups": Page(own_school(*STAFF), note="Every staff member sees the groups of their school."),
    "schools:group_new": Page(own_school(*MANAGEMENT), own_school(*MANAGEMENT)),
    "schools:group": Page(school_object(*STAFF), school_object(*MANAGEMENT), args={"pk": "group"}),
    "schools:group_edit": Page(school_object(*MANAGEMENT), school_object(*MANAGEMENT), args={"pk": "group"}),
    "schools:group_delete": Page(None, school_object(*MANAGEMENT), args={"pk": "group"}),
    "schools:group_remove_student": Page(None, school_object(*MANAGEMENT),
                                         args={"pk": "group", "student_pk": "student"}),
    "schools:policy": Page(own_school(*MANAGEMENT), own_school(LEADER, forbid=both(COUNSELLOR)),
                           note="The decaan reads the school policy; only the schoolleider changes it."),
    "schools:licence_change": Page(None, school_object(LEADER), args={"pk": "licence"}),
    "schools:import": Page(own_school(*MANAGEMENT), own_school(*MANAGEMENT),
                           note="Offering and groups: schoolleider, decaan; students and staff: schoolleider."),
    "schools:export": Page(own_school(*MANAGEMENT), args={"kind": "=aanbod", "fmt": "=csv"}),
    # --- students: programme and loopbaandossier ---------------------------------------------------
    "students:list": Page(STAFF_PAGE),
    "students:my_programme": Page(rule([STUDENT, OTHER_STUDENT])),
    "students:my_dossier": Page(rule([STUDENT, OTHER_STUDENT])),
    "students:my_children": Page(rule([PARENT, OTHER_PARENT])),
    "students:class_routes": Page(school_object(*STAFF, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                  args={"class_name": "class_name"},
                                  note="The routes of a class: school staff."),
    "students:programme": Page(STUDENT_READ, args=PK),
    "students:programme_start": Page(None, student_object(*GUIDANCE, owner=[STUDENT]), args=PK),
    "students:programme_add": Page(None, student_object(*GUIDANCE, owner=[STUDENT]), args=PK),
    "students:programme_remove": Page(None, student_object(*GUIDANCE, owner=[STUDENT]),
                                      args={"pk": "student", "item_pk": "programme_item"}),
    "students:programme_item_status": Page(None, student_object(*GUIDANCE, EXAMSEC, owner=()),
                                           args={"pk": "student", "item_pk": "programme_item"}),
    "students:programme_propose": Page(None, student_object(*GUIDANCE, owner=[STUDENT]), args=PK),
    "students:programme_decide": Page(None, student_object(*GUIDANCE, owner=()), args=PK),
    "students:programme_reopen": Page(None, student_object(*GUIDANCE, owner=[STUDENT]), args=PK),
    "students:programme_history": Page(STUDENT_READ, args=PK),
    "students:route_svg": Page(STUDENT_READ, args=PK),
    "students:dossier": Page(STUDENT_READ, args=PK),
    "students:dossier_pdf": Page(STUDENT_READ, args=PK),
    "students:activity_new": Page(student_object(*GUIDANCE, owner=[STUDENT]),
                                  student_object(*GUIDANCE, owner=[STUDENT]), args=PK),
    "students:activity_edit": Page(student_object(*GUIDANCE, owner=[STUDENT]),
                                   student_object(*GUIDANCE, owner=[STUDENT]),
                                   args={"pk": "student", "activity_pk": "activity"}),
    "students:activity_comment": Page(None, student_object(*GUIDANCE, owner=()),
                                      args={"pk": "student", "activity_pk": "activity"}),
    "students:attachment_add": Page(None, student_object(*GUIDANCE, owner=[STUDENT]),
                                    args={"pk": "student", "activity_pk": "activity"}),
    "students:attachment": Page(STUDENT_READ, args={"attachment_pk": "attachment"}),
    "students:attachment_delete": Page(None, student_object(*GUIDANCE, owner=[STUDENT]),
                                       args={"attachment_pk": "attachment"}),
    "students:conversation_new": Page(student_object(*GUIDANCE, owner=()), student_object(*GUIDANCE, owner=()),
                                      args=PK),
    "students:conversation_reflect": Page(student_object(*GUIDANCE, owner=[STUDENT]),
                                          student_object(*GUIDANCE, owner=[STUDENT]),
                                          args={"pk": "student", "conversation_pk": "conversation"}),
    # --- assessment: PTA, gradebook, assessors, results ------------------------------------------------
    "assessment:pta_list": Page(LOGGED_IN),
    "assessment:pta_create": Page(own_school(*PTA_MANAGERS, deny=FORBIDDEN),
                                  own_school(*PTA_MANAGERS, deny=FORBIDDEN)),
    "assessment:pta_detail": Page(school_object(*STAFF, also=STUDENTS_AND_PARENTS), args={"pk": "pta"},
                                  note="A published PTA is for the school's candidates and their parents."),
    "assessment:pta_edit": Page(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                args={"pk": "pta"}),
    "assessment:pta_adopt": Page(None, school_object(LEADER, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                 args={"pk": "pta"}, note="The competent authority adopts the PTA (WVO 2.60a)."),
    "assessment:pta_publish": Page(None, school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                   args={"pk": "pta"}),
    "assessment:pta_pdf": Page(school_object(*STAFF, also=STUDENTS_AND_PARENTS), args={"pk": "pta"}),
    "assessment:item_create": Page(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                   school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                   args={"pk": "pta"}),
    "assessment:item_edit": Page(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                 school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                 args={"pk": "pta", "item_pk": "item"}),
    "assessment:rubric": Page(school_object(*STAFF, also=(*STUDENTS_AND_PARENTS, ASSESSOR)), args={"pk": "item"}),
    "assessment:rubric_edit": Page(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS, ASSESSOR)),
                                   school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS, ASSESSOR)),
                                   args={"pk": "item"}),
    "assessment:gradebooks": Page(own_school(*GRADEBOOK_READERS, deny=FORBIDDEN)),
    "assessment:gradebook": Page(school_object(*GRADEBOOK_READERS),
                                 school_object(*GRADERS, seen_by=STAFF, refuse=[LEADER]), args={"pk": "group"},
                                 note="The schoolleider reads the gradebook; a cell they send is refused."),
    "assessment:grade_import": Page(own_school(*GRADERS, deny=FORBIDDEN), own_school(*GRADERS, deny=FORBIDDEN)),
    "assessment:assessor_home": Page(rule([ASSESSOR, ASSESSOR_UNASSIGNED, *both(*STAFF)]),
                                     note="An assessor's own assignments; staff see those of their own school."),
    "assessment:assess": Page(school_object(*STAFF, also=[ASSESSOR]), school_object(*GRADERS, also=[ASSESSOR]),
                              args={"pk": "assignment"},
                              note="The assessor scores their own assignment; staff of the school see it."),
    "assessment:my_results": Page(ANY_STUDENT_OR_PARENT),
    # --- diploma: decisions, documents, credentials, routes --------------------------------------------
    "diploma:decisions": Page(rule([*both(*EXAM_OFFICE), *STUDENTS_AND_PARENTS], deny=FORBIDDEN),
                              note="A leerling or ouder is sent on to their own page."),
    "diploma:run": Page(None, own_school(*EXAM_OFFICE, deny=FORBIDDEN)),
    "diploma:sign_off_selected": Page(None, own_school(*EXAM_OFFICE, deny=FORBIDDEN)),
    "diploma:decision": Page(student_object(*EXAM_OFFICE, owner=()), args={"pk": "decision"}),
    "diploma:decision_sign_off": Page(None, student_object(*EXAM_OFFICE, owner=()), args={"pk": "decision"}),
    "diploma:decision_correct": Page(None, student_object(*EXAM_OFFICE, owner=()), args={"pk": "decision"}),
    "diploma:decision_rerun": Page(None, student_object(*EXAM_OFFICE, owner=()), args={"pk": "decision"}),
    "diploma:export": Page(own_school(*EXAM_OFFICE, deny=FORBIDDEN)),
    "diploma:subject_grades": Page(own_school(*EXAM_OFFICE, deny=FORBIDDEN), own_school(*EXAM_OFFICE, deny=FORBIDDEN),
                                   note="The vakcijfers from the administration: upload (dry run or all or nothing)."),
    "diploma:credentials": Page(own_school(*EXAM_OFFICE, deny=FORBIDDEN)),
    "diploma:credentials_issue": Page(None, own_school(*EXAM_OFFICE, deny=FORBIDDEN)),
    "diploma:credential_revoke": Page(None, student_object(*EXAM_OFFICE, owner=()), args={"pk": "credential"}),
    "diploma:credential_download": Page(student_object(*EXAM_OFFICE), args={"pk": "credential", "fmt": "=json"}),
    "diploma:mine": Page(ANY_STUDENT_OR_PARENT),
    "diploma:student": Page(STUDENT_READ, args=PK),
    "diploma:transcript_pdf": Page(STUDENT_READ, args=PK),
    "diploma:diploma_pdf": Page(STUDENT_READ, args=PK),
    "diploma:certificate_pdf": Page(STUDENT_READ, args=PK),
    "diploma:routes": Page(own_school(LEADER, COUNSELLOR, EXAMSEC, MENTOR, deny=FORBIDDEN),
                           own_school(LEADER, COUNSELLOR, forbid=both(EXAMSEC, MENTOR), deny=FORBIDDEN)),
    "diploma:verify": Page(PUBLIC, PUBLIC),
    "diploma:credential_public": Page(PUBLIC, args={"pk": "credential"},
                                      note="Public by design: the holder shares the unguessable link."),
    "diploma:key": Page(PUBLIC, args={"kid": "key.kid"}),
    "diploma:issuer": Page(PUBLIC, args={"brin": "school.brin"}),
    "diploma:status_list": Page(PUBLIC, args={"brin": "school.brin"}),
    # --- insight: dashboards and what-if (insight/permissions.py) --------------------------------------
    "insight:national": Page(STEWARD_ONLY, note="National aggregates only (counts below 5 suppressed)."),
    "insight:national_csv": Page(STEWARD_ONLY),
    "insight:national_pdf": Page(STEWARD_ONLY),
    "insight:school_redirect": Page(own_school(*INSIGHT_SCHOOL, deny=FORBIDDEN),
                                    note="Sends the schoolleider, decaan or examensecretaris to their own school."),
    "insight:school": Page(school_object(*INSIGHT_SCHOOL), args={"brin": "school.brin"},
                           note="A school's aggregates: schoolleider, decaan, examensecretaris of that school."),
    "insight:school_csv": Page(school_object(*INSIGHT_SCHOOL), args={"brin": "school.brin"}),
    "insight:school_pdf": Page(school_object(*INSIGHT_SCHOOL), args={"brin": "school.brin"}),
    "insight:school_risk": Page(school_object(*INSIGHT_SCHOOL), args={"brin": "school.brin"},
                                note="The named work list behind the risk counts, for the same roles."),
    "insight:whatif": Page(STEWARD_ONLY, STEWARD_ONLY, note="POST computes (and with action=save keeps) a scenario."),
    "insight:compare": Page(STEWARD_ONLY),
    "insight:compare_csv": Page(STEWARD_ONLY, query={"s": "scenarios"},
                                note="Without two saved scenarios (?s=1&s=2) the steward gets a 400."),
    "insight:compare_pdf": Page(STEWARD_ONLY, query={"s": "scenarios"}),
    # --- the browsable API roots -------------------------------------------------------------------
    **{f"api-root /api/v1/{prefix}/": Page(PUBLIC) for prefix in
       ("kern", "catalog", "schools", "students", "assessment", "diploma")},
}

# --- the API ------------------------------------------------------------------------------------------

def _id(target: str) -> dict[str, str]:
    return {"id": target}


STEWARD_WRITE = rule([STEWARD], deny=FORBIDDEN)
SCHOOL_LIST = LOGGED_IN.but(anonymous=ALLOW)   # RulesPermission lets anyone read; the list is scoped (empty)
SCHOOL_READ = rule(STAFF)                      # any staff member of the object's school

API: dict[str, Op] = {
    # accounts
    "POST /api/v1/accounts/token/": Op(PUBLIC, note="E-mail, password and (staff) the one-time code."),
    "GET /api/v1/accounts/me/": Op(LOGGED_IN),
    # kern: read for all, write for the steward
    "GET /api/v1/kern/frameworks/": Op(PUBLIC),
    "POST /api/v1/kern/frameworks/": Op(STEWARD_WRITE),
    "GET /api/v1/kern/frameworks/{id}/": Op(PUBLIC, _id("framework")),
    "PUT /api/v1/kern/frameworks/{id}/": Op(STEWARD_WRITE, _id("framework")),
    "PATCH /api/v1/kern/frameworks/{id}/": Op(STEWARD_WRITE, _id("framework")),
    "DELETE /api/v1/kern/frameworks/{id}/": Op(STEWARD_WRITE, _id("framework")),
    "POST /api/v1/kern/frameworks/{id}/new-version/": Op(STEWARD_WRITE, _id("framework")),
    "POST /api/v1/kern/frameworks/{id}/publish/": Op(STEWARD_WRITE, _id("framework")),
    "GET /api/v1/kern/areas/": Op(PUBLIC),
    "POST /api/v1/kern/areas/": Op(STEWARD_WRITE),
    "GET /api/v1/kern/areas/{id}/": Op(PUBLIC, _id("kern_area")),
    "PUT /api/v1/kern/areas/{id}/": Op(STEWARD_WRITE, _id("kern_area")),
    "PATCH /api/v1/kern/areas/{id}/": Op(STEWARD_WRITE, _id("kern_area")),
    "DELETE /api/v1/kern/areas/{id}/": Op(STEWARD_WRITE, _id("kern_area")),
    "GET /api/v1/kern/objectives/": Op(PUBLIC),
    "POST /api/v1/kern/objectives/": Op(STEWARD_WRITE),
    "GET /api/v1/kern/objectives/{id}/": Op(PUBLIC, _id("kern_objective")),
    "PUT /api/v1/kern/objectives/{id}/": Op(STEWARD_WRITE, _id("kern_objective")),
    "PATCH /api/v1/kern/objectives/{id}/": Op(STEWARD_WRITE, _id("kern_objective")),
    "DELETE /api/v1/kern/objectives/{id}/": Op(STEWARD_WRITE, _id("kern_objective")),
    # menukaart
    "GET /api/v1/catalog/modules/": Op(PUBLIC),
    "POST /api/v1/catalog/modules/": Op(STEWARD_WRITE),
    "GET /api/v1/catalog/modules/{code}/": Op(PUBLIC, {"code": "module.code"}),
    "POST /api/v1/catalog/modules/{code}/new-version/": Op(STEWARD_WRITE, {"code": "module.code"}),
    "GET /api/v1/catalog/versions/": Op(PUBLIC),
    "GET /api/v1/catalog/versions/{id}/": Op(PUBLIC, _id("version")),
    "PUT /api/v1/catalog/versions/{id}/": Op(rule([STEWARD]), _id("concept"), note="A concept is the steward's."),
    "PATCH /api/v1/catalog/versions/{id}/": Op(rule([STEWARD]), _id("concept")),
    "POST /api/v1/catalog/versions/{id}/publish/": Op(rule([STEWARD]), _id("concept")),
    "POST /api/v1/catalog/versions/{id}/withdraw/": Op(STEWARD_WRITE, _id("version")),
    "GET /api/v1/catalog/objectives/": Op(PUBLIC),
    "GET /api/v1/catalog/proposals/": Op(LOGGED_IN),
    "POST /api/v1/catalog/proposals/": Op(rule([PROPOSER], deny=FORBIDDEN)),
    "GET /api/v1/catalog/proposals/{id}/": Op(rule([STEWARD, PROPOSER]), _id("proposal")),
    "POST /api/v1/catalog/proposals/{id}/accept/": Op(rule([STEWARD], forbid=[PROPOSER]), _id("proposal")),
    "POST /api/v1/catalog/proposals/{id}/reject/": Op(rule([STEWARD], forbid=[PROPOSER]), _id("proposal")),
    "POST /api/v1/catalog/proposals/{id}/start-assessment/": Op(rule([STEWARD], forbid=[PROPOSER]),
                                                                _id("proposal")),
    "GET /api/v1/catalog/reviews/": Op(LOGGED_IN),
    "GET /api/v1/catalog/usage-reports/": Op(LOGGED_IN),
    "POST /api/v1/catalog/usage-reports/": Op(STEWARD_WRITE, note="Or a system account with the Django "
                                                                  "permission catalog.add_moduleusagereport."),
    # school offering
    "GET /api/v1/schools/public/{brin}/": Op(PUBLIC, {"brin": "school.brin"}),
    "GET /api/v1/schools/schools/": Op(SCHOOL_LIST),
    "GET /api/v1/schools/schools/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("school")),
    "PUT /api/v1/schools/schools/{id}/": Op(school_object(LEADER), _id("school")),
    "PATCH /api/v1/schools/schools/{id}/": Op(school_object(LEADER), _id("school")),
    "POST /api/v1/schools/imports/": Op(school_object(*MANAGEMENT), note="Offering and groups: schoolleider, "
                                        "decaan; students and staff: schoolleider (as on the page)."),
    "GET /api/v1/schools/exports/{kind}/": Op(school_object(*MANAGEMENT), {"kind": "=aanbod"},
                                              query={"school": "school.pk"}),
    **{f"GET /api/v1/schools/{name}/": Op(SCHOOL_LIST) for name in
       ("licences", "offerings", "packages", "policies", "partners", "teaching-groups")},
    "GET /api/v1/schools/licences/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("licence")),
    "POST /api/v1/schools/licences/": Op(school_create(LEADER)),
    "PUT /api/v1/schools/licences/{id}/": Op(school_object(LEADER), _id("licence")),
    "PATCH /api/v1/schools/licences/{id}/": Op(school_object(LEADER), _id("licence")),
    "DELETE /api/v1/schools/licences/{id}/": Op(school_object(LEADER), _id("licence")),
    "GET /api/v1/schools/offerings/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("offering")),
    "POST /api/v1/schools/offerings/": Op(school_create(*MANAGEMENT)),
    "PUT /api/v1/schools/offerings/{id}/": Op(school_object(*MANAGEMENT), _id("offering")),
    "PATCH /api/v1/schools/offerings/{id}/": Op(school_object(*MANAGEMENT), _id("offering")),
    "DELETE /api/v1/schools/offerings/{id}/": Op(school_object(*MANAGEMENT), _id("offering")),
    "POST /api/v1/schools/offerings/bulk/": Op(school_create(*MANAGEMENT)),
    "POST /api/v1/schools/offerings/copy/": Op(school_create(*MANAGEMENT)),
    "GET /api/v1/schools/packages/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("package")),
    "GET /api/v1/schools/packages/{id}/completability/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("package")),
    "POST /api/v1/schools/packages/": Op(school_create(*MANAGEMENT)),
    "POST /api/v1/schools/packages/check/": Op(school_create(*MANAGEMENT)),
    "PUT /api/v1/schools/packages/{id}/": Op(school_object(*MANAGEMENT), _id("package")),
    "PATCH /api/v1/schools/packages/{id}/": Op(school_object(*MANAGEMENT), _id("package")),
    "DELETE /api/v1/schools/packages/{id}/": Op(school_object(*MANAGEMENT), _id("package")),
    "GET /api/v1/schools/policies/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("policy")),
    "POST /api/v1/schools/policies/": Op(school_create(LEADER)),
    "PUT /api/v1/schools/policies/{id}/": Op(school_object(LEADER), _id("policy")),
    "PATCH /api/v1/schools/policies/{id}/": Op(school_object(LEADER), _id("policy")),
    "GET /api/v1/schools/partners/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("partner")),
    "POST /api/v1/schools/partners/": Op(school_create(*MANAGEMENT)),
    "PUT /api/v1/schools/partners/{id}/": Op(school_object(*MANAGEMENT), _id("partner")),
    "PATCH /api/v1/schools/partners/{id}/": Op(school_object(*MANAGEMENT), _id("partner")),
    "DELETE /api/v1/schools/partners/{id}/": Op(school_object(*MANAGEMENT), _id("partner")),
    "GET /api/v1/schools/teaching-groups/{id}/": Op(SCHOOL_READ.but(anonymous=NOT_FOUND), _id("group")),
    "POST /api/v1/schools/teaching-groups/": Op(school_create(*MANAGEMENT, other_school=REFUSED),
                                                note="The offering is a scoped reference: another school's "
                                                     "leader is told it does not exist."),
    "PUT /api/v1/schools/teaching-groups/{id}/": Op(school_object(*MANAGEMENT), _id("group")),
    "PATCH /api/v1/schools/teaching-groups/{id}/": Op(school_object(*MANAGEMENT), _id("group")),
    "DELETE /api/v1/schools/teaching-groups/{id}/": Op(school_object(*MANAGEMENT), _id("group")),
    "POST /api/v1/schools/teaching-groups/{id}/add-students/": Op(school_object(*MANAGEMENT), _id("group")),
    "POST /api/v1/schools/teaching-groups/{id}/remove-students/": Op(school_object(*MANAGEMENT), _id("group")),
    # students: programmes and the loopbaandossier
    "GET /api/v1/students/students/": Op(LOGGED_IN),
    "GET /api/v1/students/students/{id}/": Op(STUDENT_READ, _id("student")),
    "GET /api/v1/students/programmes/": Op(LOGGED_IN),
    "POST /api/v1/students/programmes/": Op(student_object(*GUIDANCE, owner=[STUDENT])),
    "GET /api/v1/students/programmes/{id}/": Op(STUDENT_READ, _id("programme")),
    "GET /api/v1/students/programmes/{id}/revisions/": Op(STUDENT_READ, _id("programme")),
    "POST /api/v1/students/programmes/{id}/items/": Op(student_object(*GUIDANCE, owner=[STUDENT]), _id("programme")),
    "DELETE /api/v1/students/programmes/{id}/items/{item_id}/": Op(
        student_object(*GUIDANCE, owner=[STUDENT]), {"id": "programme", "item_id": "programme_item"}),
    "POST /api/v1/students/programmes/{id}/items/{item_id}/status/": Op(
        student_object(*GUIDANCE, EXAMSEC, owner=()), {"id": "programme", "item_id": "programme_item"}),
    "POST /api/v1/students/programmes/{id}/propose/": Op(student_object(*GUIDANCE, owner=[STUDENT]),
                                                         _id("programme")),
    "POST /api/v1/students/programmes/{id}/approve/": Op(student_object(*GUIDANCE, owner=()), _id("programme")),
    "POST /api/v1/students/programmes/{id}/send-back/": Op(student_object(*GUIDANCE, owner=()), _id("programme")),
    "POST /api/v1/students/programmes/{id}/reopen/": Op(student_object(*GUIDANCE, owner=[STUDENT]), _id("programme"),
                                                        note="A change starts a new revision, approved again."),
    "POST /api/v1/students/validate/": Op(STUDENT_READ, note="Evaluates a draft; saves nothing."),
    "GET /api/v1/students/activities/": Op(LOGGED_IN),
    "POST /api/v1/students/activities/": Op(student_object(*GUIDANCE, owner=[STUDENT])),
    "GET /api/v1/students/activities/{id}/": Op(STUDENT_READ, _id("activity")),
    "PUT /api/v1/students/activities/{id}/": Op(student_object(*GUIDANCE, owner=[STUDENT]), _id("activity")),
    "PATCH /api/v1/students/activities/{id}/": Op(student_object(*GUIDANCE, owner=[STUDENT]), _id("activity")),
    "POST /api/v1/students/activities/{id}/comment/": Op(student_object(*GUIDANCE, owner=()), _id("activity")),
    "GET /api/v1/students/conversations/": Op(LOGGED_IN),
    "POST /api/v1/students/conversations/": Op(student_object(*GUIDANCE, owner=())),
    "GET /api/v1/students/conversations/{id}/": Op(STUDENT_READ, _id("conversation")),
    "PUT /api/v1/students/conversations/{id}/reflections/": Op(student_object(*GUIDANCE, owner=[STUDENT]),
                                                               _id("conversation")),
    # assessment
    "GET /api/v1/assessment/ptas/": Op(LOGGED_IN),
    "POST /api/v1/assessment/ptas/": Op(school_object(*PTA_MANAGERS)),
    "GET /api/v1/assessment/ptas/{id}/": Op(school_object(*STAFF, also=STUDENTS_AND_PARENTS), _id("pta")),
    "PUT /api/v1/assessment/ptas/{id}/": Op(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                            _id("pta")),
    "PATCH /api/v1/assessment/ptas/{id}/": Op(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                              _id("pta")),
    "POST /api/v1/assessment/ptas/{id}/adopt/": Op(school_object(LEADER, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)),
                                                   _id("pta")),
    "POST /api/v1/assessment/ptas/{id}/publish/": Op(
        school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS)), _id("pta")),
    "GET /api/v1/assessment/items/": Op(LOGGED_IN),
    "POST /api/v1/assessment/items/": Op(school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS))),
    "GET /api/v1/assessment/items/{id}/": Op(school_object(*STAFF, also=(*STUDENTS_AND_PARENTS, ASSESSOR)),
                                             _id("item")),
    **{f"{method} /api/v1/assessment/items/{{id}}/": Op(
        school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS, ASSESSOR)), _id("item"))
       for method in ("PUT", "PATCH", "DELETE")},
    "GET /api/v1/assessment/items/{id}/rubric/": Op(school_object(*STAFF, also=(*STUDENTS_AND_PARENTS, ASSESSOR)),
                                                    _id("item")),
    "PUT /api/v1/assessment/items/{id}/rubric/": Op(
        school_object(*PTA_MANAGERS, seen_by=(*STAFF, *STUDENTS_AND_PARENTS, ASSESSOR)), _id("item")),
    "GET /api/v1/assessment/rubrics/": Op(LOGGED_IN),
    "GET /api/v1/assessment/rubrics/{id}/": Op(school_object(*STAFF, also=(*STUDENTS_AND_PARENTS, ASSESSOR)),
                                               _id("rubric")),
    "GET /api/v1/assessment/results/": Op(LOGGED_IN),
    "POST /api/v1/assessment/results/": Op(student_object(*GRADERS, owner=(), also=[ASSESSOR])),
    "GET /api/v1/assessment/results/{id}/": Op(student_object(*STAFF, also=[ASSESSOR]), _id("result"),
                                               note="An assessor sees only the results of their own assignments."),
    "PUT /api/v1/assessment/results/{id}/": Op(student_object(*GRADERS, owner=(), also=[ASSESSOR]), _id("result")),
    "PATCH /api/v1/assessment/results/{id}/": Op(student_object(*GRADERS, owner=(), also=[ASSESSOR]),
                                                 _id("result")),
    "GET /api/v1/assessment/results/{id}/history/": Op(student_object(*STAFF, also=[ASSESSOR]), _id("result")),
    "GET /api/v1/assessment/kern-observations/": Op(LOGGED_IN),
    "POST /api/v1/assessment/kern-observations/": Op(student_object(*GRADERS, MENTOR, owner=(), also=[ASSESSOR])),
    "GET /api/v1/assessment/kern-observations/{id}/": Op(STUDENT_READ, _id("kern_observation")),
    "GET /api/v1/assessment/module-results/": Op(LOGGED_IN),
    "GET /api/v1/assessment/module-results/{id}/": Op(STUDENT_READ, _id("module_result")),
    "GET /api/v1/assessment/assignments/": Op(LOGGED_IN),
    "POST /api/v1/assessment/assignments/": Op(school_object(*GRADERS)),
    "GET /api/v1/assessment/assignments/{id}/": Op(school_object(*STAFF, also=[ASSESSOR]), _id("assignment")),
    "DELETE /api/v1/assessment/assignments/{id}/": Op(school_object(*GRADERS, seen_by=(*STAFF, ASSESSOR)),
                                                      _id("assignment")),
    # diploma
    "GET /api/v1/diploma/decisions/": Op(LOGGED_IN),
    "GET /api/v1/diploma/decisions/{id}/": Op(rule([*EXAM_OFFICE, *OWNER]), _id("decision"),
                                              note="The exam office of the school; the student and parent their own."),
    "GET /api/v1/diploma/decisions/{id}/history/": Op(rule([*EXAM_OFFICE, *OWNER]), _id("decision")),
    "POST /api/v1/diploma/decisions/{id}/sign-off/": Op(rule(EXAM_OFFICE, forbid=OWNER), _id("decision")),
    "POST /api/v1/diploma/decisions/{id}/correct/": Op(rule(EXAM_OFFICE, forbid=OWNER), _id("decision")),
    "POST /api/v1/diploma/decisions/run/": Op(rule(EXAM_OFFICE)),
    "GET /api/v1/diploma/decisions/export/": Op(rule(EXAM_OFFICE), query={"school": "school.brin",
                                                                                 "school_year": "decision.school_year"}),
    "GET /api/v1/diploma/transcripts/{id}/": Op(STUDENT_READ, _id("student")),
    "GET /api/v1/diploma/transcripts/{id}/certificate/": Op(STUDENT_READ, _id("student")),
    "GET /api/v1/diploma/transcripts/{id}/diploma/": Op(STUDENT_READ, _id("student")),
    "GET /api/v1/diploma/credentials/": Op(LOGGED_IN),
    "GET /api/v1/diploma/credentials/{id}/": Op(rule([*EXAM_OFFICE, *OWNER]), _id("credential"),
                                                note="The exam office of the school; the student and parent their own."),
    "GET /api/v1/diploma/credentials/{id}/jwt/": Op(rule([*EXAM_OFFICE, *OWNER]), _id("credential")),
    "POST /api/v1/diploma/credentials/{id}/revoke/": Op(rule(EXAM_OFFICE, forbid=OWNER), _id("credential")),
    "POST /api/v1/diploma/credentials/issue/": Op(rule(EXAM_OFFICE)),
    "POST /api/v1/diploma/verify/": Op(PUBLIC),
    "GET /api/v1/diploma/routes/": Op(LOGGED_IN),
    "POST /api/v1/diploma/routes/": Op(rule([LEADER, COUNSELLOR], deny=FORBIDDEN)),
    "GET /api/v1/diploma/routes/{id}/": Op(SCHOOL_READ, _id("route")),
    "GET /api/v1/diploma/routes/progress/": Op(STUDENT_READ, query={"student": "student.pk"}),
    # insight
    "GET /api/v1/insight/national/": Op(STEWARD_ONLY),
    "GET /api/v1/insight/schools/{brin}/": Op(school_object(*INSIGHT_SCHOOL), {"brin": "school.brin"}),
    "GET /api/v1/insight/what-if/": Op(STEWARD_ONLY),
    "POST /api/v1/insight/what-if/": Op(STEWARD_ONLY, note="Computes; saves nothing."),
    "GET /api/v1/insight/scenarios/": Op(STEWARD_ONLY),
    "POST /api/v1/insight/scenarios/": Op(STEWARD_ONLY, note="Computes and saves; without a name a 400."),
    "GET /api/v1/insight/scenarios/compare/": Op(STEWARD_ONLY, query={"ids": "scenario_ids"},
                                                note="Unknown ids: the steward gets a 400."),
}


def page_key(name: str, route: str) -> str:
    """The key of a page in PAGES: its URL name, or for the DRF API roots (all named "api-root") the name
    with its path."""
    return f"{name} /{route}" if name == "api-root" else name
