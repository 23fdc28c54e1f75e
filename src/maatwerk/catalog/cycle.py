"""The numbers and dates of the menukaart's cycle, in one place (pure functions, no database).

All numbers are parameters of the regulation `spv-modulair` (maatwerk.rules), never constants here:
review_cycle_years (5), update_deadline_years (1), removal_years (5), proposal_interval_years (1),
module_size_units (1).

Dates (a school year `Y` runs from 1 August Y to 31 July Y+1):

* review due: 1 August of (valid_from + review_cycle_years x n), n = 1 + the number of "keep" decisions
  already taken on this version. A version valid from 2025 is due for review on 1 August 2030.
  The review is *scheduled* (enters the calendar) from one year before it is due, and it is *overdue*
  on every day after the due date while no decision is recorded.
* update due: the decision date + update_deadline_years (29 February -> 28 February); overdue on every
  day after it while no newer version has been published.
* removal: on a date in school year S, a module whose first published version is valid from
  S - removal_years or earlier and that had no exam in any school in school years S - removal_years .. S
  (the completed years and the running one) leaves the menukaart from school year S + 1.
* proposal rounds: every proposal_interval_years years from PROPOSAL_FIRST_ROUND; a round R takes the
  proposals submitted on or before its intake deadline (PROPOSAL_DEADLINE, day-month in R, default
  1 March); a later proposal goes to the next round.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.conf import settings

from maatwerk.domain import school_year_of, school_year_start
from maatwerk.rules.regulation import load_regulation

REGULATION_ID = "spv-modulair"
#: The annual intake deadline of proposals, "MM-DD"; override with settings.MAATWERK["PROPOSAL_DEADLINE"].
PROPOSAL_DEADLINE = "03-01"
#: The first proposal round (the pilot starts in 2024, seed "Vervolgstappen").
PROPOSAL_FIRST_ROUND = 2024


def param(name: str) -> int:
    return load_regulation(REGULATION_ID).value(name)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def review_due_on(valid_from: int, cycles: int = 1) -> dt.date:
    return school_year_start(valid_from + param("review_cycle_years") * cycles)


def review_window_opens(due_on: dt.date) -> dt.date:
    """The day a review enters the calendar: one year before it is due."""
    return add_years(due_on, -1)


def update_due_on(decided_on: dt.date) -> dt.date:
    return add_years(decided_on, param("update_deadline_years"))


def removal_years_window(on: dt.date) -> tuple[int, int]:
    """The school years (first, last) that must be without any exam for a removal on `on`."""
    current = school_year_of(on)
    return current - param("removal_years"), current


def removal_effective_year(on: dt.date) -> int:
    return school_year_of(on) + 1


def proposal_deadline(round_year: int) -> dt.date:
    value = getattr(settings, "MAATWERK", {}).get("PROPOSAL_DEADLINE", PROPOSAL_DEADLINE)
    month, day = (int(part) for part in value.split("-"))
    return dt.date(round_year, month, day)


def proposal_round_year(submitted_on: dt.date) -> int:
    """The round a proposal submitted on `submitted_on` belongs to."""
    interval = param("proposal_interval_years")
    year = max(submitted_on.year, PROPOSAL_FIRST_ROUND)
    while True:
        if (year - PROPOSAL_FIRST_ROUND) % interval == 0 and submitted_on <= proposal_deadline(year):
            return year
        year += 1


def normalize(text: str) -> str:
    """Lower case without accents: 'Geüniformeerde' -> 'geuniformeerde' (search is accent-insensitive)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
