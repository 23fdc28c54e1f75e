"""Who may see what of the insight dashboards (django-rules). Imported from InsightConfig.ready().

| permission | who |
|---|---|
| insight.view_national | landelijk beheerder: the national dashboard (aggregates only) |
| insight.run_what_if | landelijk beheerder: compute, save and compare what-if scenarios |
| insight.view_school | schoolleider, decaan and examensecretaris of THAT school (object: the School) |
"""

from __future__ import annotations

import rules
from maatwerk.accounts.models import Role
from maatwerk.accounts.predicates import has_school_role, is_steward, is_superuser

#: the roles that see their school's dashboard
SCHOOL_ROLES = (Role.SCHOOL_LEADER, Role.COUNSELLOR, Role.EXAM_SECRETARY)
is_school_insight = has_school_role(*SCHOOL_ROLES, name="is_school_insight")

rules.add_perm("insight.view_national", is_steward | is_superuser)
rules.add_perm("insight.run_what_if", is_steward | is_superuser)
rules.add_perm("insight.view_school", is_school_insight | is_superuser)
