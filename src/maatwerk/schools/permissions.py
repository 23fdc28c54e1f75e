"""Permissions of the schools app (django-rules), registered when the app is ready.

Every object check goes through the object's Tenancy (see accounts.predicates), so "of this school"
means the same here as in `accounts.scoping.visible_to`. Create-checks pass the School itself.

| permission                    | who                                             |
|-------------------------------|-------------------------------------------------|
| schools.plan                  | schoolleider, decaan (the planning pages)       |
| schools.change_school         | schoolleider (the public description)           |
| schools.change_licence        | schoolleider                                    |
| schools.change_policy         | schoolleider                                    |
| schools.change_offering       | schoolleider, decaan                            |
| schools.change_package        | schoolleider, decaan                            |
| schools.change_partner        | schoolleider, decaan                            |
| schools.change_teaching_group | schoolleider, decaan                            |
| schools.import_people         | schoolleider (staff and students)               |
| schools.import_planning       | schoolleider, decaan (offering, teaching groups)|
| schools.export                | schoolleider, decaan                            |
"""

from __future__ import annotations

import rules
from maatwerk.accounts.predicates import is_school_leader, is_school_management, is_superuser

MANAGEMENT = is_school_management | is_superuser
LEADER = is_school_leader | is_superuser

PERMISSIONS = {
    "schools.plan": MANAGEMENT,
    "schools.change_school": LEADER,
    "schools.change_licence": LEADER,
    "schools.change_policy": LEADER,
    "schools.change_offering": MANAGEMENT,
    "schools.change_package": MANAGEMENT,
    "schools.change_partner": MANAGEMENT,
    "schools.change_teaching_group": MANAGEMENT,
    "schools.import_people": LEADER,
    "schools.import_planning": MANAGEMENT,
    "schools.export": MANAGEMENT,
}

for _name, _predicate in PERMISSIONS.items():
    if not rules.perm_exists(_name):
        rules.add_perm(_name, _predicate)
