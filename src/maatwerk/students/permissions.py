"""Permissions of the students app (django-rules), registered from StudentsConfig.ready().

Every check takes the `Student` the action is about (its Tenancy gives school and student without a
query), so "of this school" and "their own" mean the same here as in `accounts.scoping.visible_to`.
Reading is not a permission: whoever may see the student (visible_to) may read the programme and
the dossier; a parent only reads.

| permission                      | who                                                               |
|---------------------------------|-------------------------------------------------------------------|
| students.compose_programme      | the student themself; mentor or decaan of the school              |
| students.propose_programme      | the student themself; mentor or decaan of the school              |
| students.approve_programme      | mentor or decaan of the school (approve or send back)             |
| students.record_item_status     | mentor, decaan or examensecretaris (completed / not completed)    |
| students.write_dossier          | the student themself; mentor or decaan (activities, attachments)  |
| students.comment_dossier        | mentor or decaan (the mentor's comment on an activity)            |
| students.record_conversation    | mentor or decaan (a loopbaangesprek)                              |
| students.reflect                | the student themself; mentor or decaan (reflections per competency) |
| students.view_class_routes      | school staff (the routes of a class at a glance)                  |
"""

from __future__ import annotations

import rules
from maatwerk.accounts.predicates import (
    is_exam_secretary,
    is_guidance,
    is_own_student,
    is_school_staff,
    is_superuser,
)

GUIDANCE = is_guidance | is_superuser
STUDENT_OR_GUIDANCE = is_own_student | GUIDANCE

PERMISSIONS = {
    "students.compose_programme": STUDENT_OR_GUIDANCE,
    "students.propose_programme": STUDENT_OR_GUIDANCE,
    "students.approve_programme": GUIDANCE,
    "students.record_item_status": GUIDANCE | is_exam_secretary,
    "students.write_dossier": STUDENT_OR_GUIDANCE,
    "students.comment_dossier": GUIDANCE,
    "students.record_conversation": GUIDANCE,
    "students.reflect": STUDENT_OR_GUIDANCE,
    "students.view_class_routes": is_school_staff | is_superuser,
}

for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
