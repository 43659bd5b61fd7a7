"""The one day every Kubernetes version judgment is made on.

Whether a version is in standard support, extended support or gone depends on the date, so the
date is an input: `EKS_PLATFORM_DATE=YYYY-MM-DD` (tests pin it; `plan --date` sets it), else
today in UTC. Read here and nowhere else, so the settings, the program's warnings and the plan
all judge by the same day.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime

ENV_VAR = "EKS_PLATFORM_DATE"


def parse_day(text: str) -> date:
    """`"2026-11-27"` -> that date; anything else is a ValueError naming the expected form."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a day in the form YYYY-MM-DD")


def judgment_day(environ: Mapping[str, str] | None = None) -> date:
    """`EKS_PLATFORM_DATE` if set, else today in UTC."""
    text = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not text:
        return datetime.now(UTC).date()
    try:
        return parse_day(text)
    except ValueError as error:
        raise ValueError(f"{ENV_VAR}: {error}") from None


@contextmanager
def judged_on(day: date) -> Iterator[None]:
    """Judge by `day` inside the block (`plan --date` running the program in-process)."""
    before = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = day.isoformat()
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENV_VAR]
        else:
            os.environ[ENV_VAR] = before
