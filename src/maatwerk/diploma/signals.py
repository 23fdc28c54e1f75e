"""Revocation when a result is corrected: a module credential stops verifying the moment its module
result changes (another grade, no longer 'behaald') or disappears. The assessment app writes module
results; this hook keeps the credentials honest without that app knowing about them."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from maatwerk.assessment.models import ModuleResult, module_results_saved


@receiver(post_save, sender=ModuleResult, dispatch_uid="diploma_revoke_on_result_change")
def _result_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import revoke_for_result

    revoke_for_result(instance)


@receiver(post_delete, sender=ModuleResult, dispatch_uid="diploma_revoke_on_result_delete")
def _result_deleted(sender, instance, **kwargs):
    from .services import revoke_for_result

    revoke_for_result(instance, deleted=True)


@receiver(module_results_saved, dispatch_uid="diploma_revoke_on_results_bulk")
def _results_saved_in_bulk(sender, results, **kwargs):
    from .services import revoke_for_results

    revoke_for_results(results)
