"""Who may do what with exam decisions, transcripts, routes and module credentials (django-rules).
Imported from DiplomaConfig.ready().

| permission | who |
|---|---|
| diploma.view_decisions | examensecretaris, schoolleider of the school |
| diploma.run_decisions | examensecretaris, schoolleider: compute (and re-compute) the results of a school and year |
| diploma.sign_off_decision | examensecretaris, schoolleider: record the uitslag (UB 3.35 lid 7, 3.39 lid 2: the rector or directeur fixes it; 3.40 lid 3: the directeur and the examensecretaris sign the cijferlijst) |
| diploma.correct_decision | examensecretaris, schoolleider: a correction is a new decision with its reason |
| diploma.export_results | examensecretaris, schoolleider: the CSV for the Register Onderwijsdeelnemers |
| diploma.issue_credentials | examensecretaris, schoolleider: sign module certificates with the school's key |
| diploma.revoke_credential | examensecretaris, schoolleider |
| diploma.view_transcript | staff of the student's school; the student themself; their parent |
| diploma.download_credential | the student themself, their parent; examensecretaris, schoolleider of the school |
| diploma.manage_routes | schoolleider, decaan of the school: continuous routes to mbo |

Objects are a School (school-wide actions), an ExamDecision, a Student, a ModuleCredential or a
ContinuousRoute; "of the school" goes through the model's Tenancy (school_id_of), as in
`scoping.visible_to`.
"""

from __future__ import annotations

import rules
from maatwerk.accounts.models import Role
from maatwerk.accounts.predicates import (
    has_school_role,
    is_own_student,
    is_parent_of_student,
    is_school_staff,
    is_superuser,
)

is_exam_office = has_school_role(Role.EXAM_SECRETARY, Role.SCHOOL_LEADER, name="is_exam_office")
is_route_manager = has_school_role(Role.SCHOOL_LEADER, Role.COUNSELLOR, name="is_route_manager")

rules.add_perm("diploma.view_decisions", is_exam_office | is_superuser)
rules.add_perm("diploma.run_decisions", is_exam_office | is_superuser)
rules.add_perm("diploma.sign_off_decision", is_exam_office | is_superuser)
rules.add_perm("diploma.correct_decision", is_exam_office | is_superuser)
rules.add_perm("diploma.export_results", is_exam_office | is_superuser)
rules.add_perm("diploma.issue_credentials", is_exam_office | is_superuser)
rules.add_perm("diploma.revoke_credential", is_exam_office | is_superuser)
rules.add_perm("diploma.view_transcript", is_school_staff | is_own_student | is_parent_of_student | is_superuser)
rules.add_perm("diploma.download_credential", is_own_student | is_parent_of_student | is_exam_office | is_superuser)
rules.add_perm("diploma.manage_routes", is_route_manager | is_superuser)
