"""Who may do what with PTAs, rubrics and results (django-rules). Imported from AssessmentConfig.ready().

| permission | who |
|---|---|
| assessment.manage_pta | examensecretaris, schoolleider of the PTA's school: make and change PTAs, items, rubrics |
| assessment.adopt_pta | schoolleider (the competent authority adopts the PTA: WVO 2.60a) |
| assessment.publish_pta | schoolleider, examensecretaris (send it to candidates and parents) |
| assessment.view_gradebook | docent, examensecretaris, schoolleider of the school |
| assessment.enter_result | docent, examensecretaris of the student's school; an external assessor only for a (student, item) assigned to them |
| assessment.import_results | examensecretaris, docent of the school (every row is checked like one entered by hand) |
| assessment.assign_assessor | examensecretaris, docent of the school |
| assessment.observe_kern | docent, examensecretaris, mentor of the school; an assigned external assessor |

Object checks go through the model's Tenancy (school_id_of), so "of this school" means the same as
in `scoping.visible_to`. The object for enter_result/observe_kern is a Result or KernObservation
(saved or not) with `student` and `item` set.
"""

from __future__ import annotations

import rules
from maatwerk.accounts.models import Role
from maatwerk.accounts.predicates import (
    has_school_role,
    is_exam_secretary,
    is_school_leader,
    is_superuser,
)
from maatwerk.accounts.scoping import roles_of

is_grader = has_school_role(Role.TEACHER, Role.EXAM_SECRETARY, name="is_grader")
is_gradebook_reader = has_school_role(Role.TEACHER, Role.EXAM_SECRETARY, Role.SCHOOL_LEADER,
                                      name="is_gradebook_reader")
is_observer = has_school_role(Role.TEACHER, Role.EXAM_SECRETARY, Role.MENTOR, name="is_observer")


@rules.predicate
def is_assigned_assessor(user, obj=None) -> bool:
    """An external assessor with an assignment for exactly this student on exactly this item."""
    if obj is None or Role.EXTERNAL_ASSESSOR not in roles_of(user).roles:
        return False
    from .models import AssessorAssignment

    student_id = getattr(obj, "student_id", None)
    item_id = getattr(obj, "item_id", None)
    if student_id is None or item_id is None:
        return False
    return AssessorAssignment.objects.filter(assessor=user, student_id=student_id, item_id=item_id).exists()


@rules.predicate
def is_external_assessor(user) -> bool:
    return Role.EXTERNAL_ASSESSOR in roles_of(user).roles


rules.add_perm("assessment.manage_pta", is_exam_secretary | is_school_leader | is_superuser)
rules.add_perm("assessment.adopt_pta", is_school_leader | is_superuser)
rules.add_perm("assessment.publish_pta", is_school_leader | is_exam_secretary | is_superuser)
rules.add_perm("assessment.view_gradebook", is_gradebook_reader | is_superuser)
rules.add_perm("assessment.enter_result", is_grader | is_assigned_assessor | is_superuser)
rules.add_perm("assessment.import_results", is_grader | is_superuser)
rules.add_perm("assessment.assign_assessor", is_grader | is_superuser)
rules.add_perm("assessment.observe_kern", is_observer | is_assigned_assessor | is_superuser)
rules.add_perm("assessment.assess_as_partner", is_external_assessor)
