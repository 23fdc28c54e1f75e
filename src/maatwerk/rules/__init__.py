"""Maatwerk's rules engine: regulations as data, and pure-Python engines (no Django).

    from maatwerk.rules import load_regulation, decide_exam, validate_programme

See docs/rules.md for the regulations, their parameters, the finding codes and the JSON
contract of ``python -m maatwerk.rules.cli decide``.
"""

from .errors import RegulationError, RulesInputError
from .exam import Candidate, Decision, SubjectInput, decide_exam
from .findings import CATALOGUE, Finding, Severity, Verdict
from .outcome import ItemResultInput, ModuleOutcome, PtaItemInput, module_outcome
from .programme import (
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    Requirement,
    SchoolPolicyInput,
    package_completable,
    remaining_requirements,
    validate_programme,
)
from .regulation import Parameter, Regulation, list_regulations, load_regulation, regulation_for_cohort
from .whatif import ChangeSummary, WhatIfSummary, what_if

__all__ = [
    "CATALOGUE", "Candidate", "ChangeSummary", "Decision", "Finding", "ItemResultInput", "ModuleOutcome", "ModuleRef",
    "OfferingInput", "Parameter", "ProgrammeInput", "ProgrammeItemInput", "PtaItemInput", "RegulationError",
    "Regulation", "Requirement", "RulesInputError", "SchoolPolicyInput", "Severity", "SubjectInput", "Verdict",
    "WhatIfSummary", "decide_exam", "list_regulations", "load_regulation", "module_outcome", "package_completable",
    "regulation_for_cohort", "remaining_requirements", "validate_programme", "what_if",
]
