"""What-if: the same cohort decided under changed parameters, for a pilot.

``what_if`` decides every candidate under the regulation and under the regulation with the
overrides (validated like a regulation file), and says how many pass, fail or stay
incomplete before and after, how many change and in which direction, and which finding
codes appear or disappear for the candidates that change. Given programmes, it does the
same for programme validity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .exam import Candidate, decide_exam
from .findings import Finding, Severity
from .programme import OfferingInput, ProgrammeInput, SchoolPolicyInput, validate_programme
from .regulation import Regulation

OUTCOMES = ("PASSED", "FAILED", "INCOMPLETE")


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """Counts before and after; transitions and finding codes are sorted tuples of (key, count)."""

    total: int
    before: tuple[tuple[str, int], ...]
    after: tuple[tuple[str, int], ...]
    changed: int
    transitions: tuple[tuple[tuple[str, str], int], ...]
    codes_added: tuple[tuple[str, int], ...]
    codes_removed: tuple[tuple[str, int], ...]
    changed_ids: tuple[Any, ...]

    def count(self, when: str, state: str) -> int:
        return dict(self.before if when == "before" else self.after).get(state, 0)


@dataclass(frozen=True, slots=True)
class WhatIfSummary:
    regulation_id: str
    overrides: tuple[str, ...]
    exam: ChangeSummary
    programmes: ChangeSummary | None = None


def _blocking(findings: Iterable[Finding]) -> frozenset[str]:
    return frozenset(f.code for f in findings if f.severity is Severity.ERROR)


def _summarise(states: list[tuple[Any, str, frozenset[str], str, frozenset[str]]], keys: tuple[str, ...]) -> ChangeSummary:
    before: Counter[str] = Counter(dict.fromkeys(keys, 0))
    after: Counter[str] = Counter(dict.fromkeys(keys, 0))
    transitions: Counter[tuple[str, str]] = Counter()
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    changed: list[Any] = []
    for ident, old, old_codes, new, new_codes in states:
        before[old] += 1
        after[new] += 1
        if old != new:
            changed.append(ident)
            transitions[(old, new)] += 1
            added.update(new_codes - old_codes)
            removed.update(old_codes - new_codes)
    return ChangeSummary(len(states), tuple((k, before[k]) for k in keys), tuple((k, after[k]) for k in keys),
                         len(changed), tuple(sorted(transitions.items())), tuple(sorted(added.items())),
                         tuple(sorted(removed.items())), tuple(changed))


def what_if(candidates: Iterable[Candidate], regulation: Regulation, overrides: Mapping[str, Any],
            programmes: Iterable[ProgrammeInput] | None = None, policy: SchoolPolicyInput | None = None,
            offering: OfferingInput | None = None) -> WhatIfSummary:
    changed_regulation = regulation.with_overrides(overrides)
    exam_states = []
    for candidate in candidates:
        old = decide_exam(candidate, regulation)
        new = decide_exam(candidate, changed_regulation)
        exam_states.append((candidate.id, old.outcome, _blocking(old.findings),
                            new.outcome, _blocking(new.findings)))
    programme_summary = None
    if programmes is not None:
        states = []
        for programme in programmes:
            old = validate_programme(programme, regulation, policy, offering)
            new = validate_programme(programme, changed_regulation, policy, offering)
            states.append((programme.student_id, "VALID" if old.ok else "INVALID", _blocking(old.findings),
                           "VALID" if new.ok else "INVALID", _blocking(new.findings)))
        programme_summary = _summarise(states, ("VALID", "INVALID"))
    return WhatIfSummary(regulation.id, changed_regulation.overrides, _summarise(exam_states, OUTCOMES),
                         programme_summary)
