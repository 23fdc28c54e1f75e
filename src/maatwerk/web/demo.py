"""Demo data: `maatwerk loaddemo` runs each app's `demo.load(ctx)` in order, idempotently.

Every step checks what already exists, so running loaddemo twice changes nothing. The data
is deterministic (seeded), relative to the current school year so that it looks current.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth.hashers import make_password
from django.db import transaction

from maatwerk.domain import school_year_of

DEMO_PASSWORD = "maatwerk-demo"  # noqa: S105 - documented demo password, demo data only
#: Demo staff accounts share one TOTP secret so that anyone can try the demo: add the base32 key
#: to an authenticator app, or run `maatwerk democode` (DEBUG only) for the current code.
DEMO_TOTP_KEY_HEX = b"maatwerk-demo-totp!!".hex()
DEMO_TOTP_KEY_BASE32 = "NVQWC5DXMVZGWLLEMVWW6LLUN52HAIJB"


def demo_totp_code() -> str:
    """The current six-digit code of the demo TOTP secret (RFC 6238, 30 s steps)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6, drift=0):06d}"


#: The order matters: later steps use what earlier steps made.
STEPS = [
    "maatwerk.accounts.demo",
    "maatwerk.catalog.demo",
    "maatwerk.schools.demo",
    "maatwerk.students.demo",
    "maatwerk.assessment.demo",
    "maatwerk.diploma.demo",
]


@contextmanager
def demo_clock(moment: dt.date | dt.datetime):
    """Inside the block `timezone.now()` is `moment`: the demo records what happened in the past (a programme
    approved in leerjaar 2, last July's exam results signed off) with its own date, in the object and in its
    history, instead of the day the demo was loaded. Only for moments in the past."""
    from unittest import mock

    from django.utils import timezone

    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


@dataclass
class DemoContext:
    school_year: int
    rng: random.Random = field(default_factory=lambda: random.Random(2023))
    password_hash: str = ""
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def load_all(stdout=None, school_year: int | None = None) -> DemoContext:
    from django.test.utils import override_settings

    ctx = DemoContext(school_year=school_year or school_year_of())
    ctx.password_hash = make_password(DEMO_PASSWORD)
    # DEBUG keeps a log of every query; loading the demo runs some 100,000 and needs none of them
    with override_settings(DEBUG=False):
        for step in STEPS:
            if find_spec(step) is None:
                continue
            module = import_module(step)
            with transaction.atomic():
                module.load(ctx)
            if stdout is not None:
                while ctx.log:
                    stdout.write(ctx.log.pop(0))
    return ctx
