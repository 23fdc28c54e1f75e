"""Who may do what in the menukaart (django-rules). Imported from CatalogConfig.ready().

| permission | who |
|---|---|
| catalog.manage_catalog | landelijk beheerder: create, edit concepts, publish, new version, withdraw, retire |
| catalog.assess_proposal | landelijk beheerder: move a proposal on (in behandeling, aangenomen, afgewezen) |
| catalog.record_review | landelijk beheerder |
| catalog.submit_proposal | indiener of a school or platform (the service checks it is their own organisation) |
| catalog.report_usage | landelijk beheerder, or a system account with the Django permission |
|                      | `catalog.add_moduleusagereport` (another installation reporting with its API token) |
"""

from __future__ import annotations

import rules
from maatwerk.accounts.predicates import is_proposer, is_steward, is_superuser


@rules.predicate
def is_usage_reporter(user) -> bool:
    """A system account of another installation: a user with the Django model permission to add usage
    reports (given in the Django admin), authenticating with its API token."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and (
        user.user_permissions.filter(codename="add_moduleusagereport", content_type__app_label="catalog").exists()
    )


rules.add_perm("catalog.manage_catalog", is_steward | is_superuser)
rules.add_perm("catalog.assess_proposal", is_steward | is_superuser)
rules.add_perm("catalog.record_review", is_steward | is_superuser)
rules.add_perm("catalog.submit_proposal", is_proposer | is_superuser)
rules.add_perm("catalog.report_usage", is_steward | is_superuser | is_usage_reporter)
