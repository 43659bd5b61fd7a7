"""The EKS Kubernetes version calendar (`versions.json`): the data, what it says on a day, and
the command that regenerates it.

Two sources, one output shape: the hand-typed snapshot of the EKS user guide's release calendar
(`eks_release_calendar.csv`, `--from-snapshot`, what the committed file is built from, so a test
can check the two never drift) and the EKS API (`--from-aws`, DescribeClusterVersions with
`includeAll`, so versions past their end keep their dates and can be refused with them).

Every judgment takes the day it judges: the answer changes with the date, and a test pinned to a
date must not break because a day passed. Only the command line asks the clock.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

COMMAND = "python -m eks_platform.facts.versions"
#: How to refresh the calendar: from the EKS API, or (no credentials) from the user guide's
#: table typed into `eks_release_calendar.csv`. Data only, no code change.
REFRESH = (f"{COMMAND} --from-aws (AWS credentials), or add the user guide's new rows to "
           f"eks_platform/facts/eks_release_calendar.csv and run {COMMAND} --from-snapshot")
DATA = Path(__file__).with_name("versions.json")
SNAPSHOT = Path(__file__).with_name("eks_release_calendar.csv")
#: Row columns, named like DescribeClusterVersions' fields.
COLUMNS = ("releaseDate", "endOfStandardSupportDate", "endOfExtendedSupportDate")

#: Amazon EKS pricing (aws.amazon.com/eks/pricing), USD per cluster hour.
STANDARD_HOURLY_USD = "0.10"
EXTENDED_HOURLY_USD = "0.60"
#: Warn this long before standard support ends: EKS announces an end at least 60 days ahead.
WARN_DAYS = 60

SupportType = Literal["STANDARD", "EXTENDED"]
Warn = Callable[[str], None]


class Support(StrEnum):
    STANDARD = "standard"
    EXTENDED = "extended"
    ENDED = "ended"
    UNRELEASED = "unreleased"
    UNKNOWN = "unknown"


def minor_key(version: str) -> tuple[int, int]:
    """`"1.34"` -> `(1, 34)`, so versions sort as numbers (1.9 < 1.10)."""
    match = re.fullmatch(r"(\d+)\.(\d+)", version)
    if match is None:
        raise ValueError(f"Kubernetes version {version!r} is not MAJOR.MINOR, e.g. '1.34'")
    return int(match[1]), int(match[2])


def next_minor(version: str) -> str:
    major, minor = minor_key(version)
    return f"{major}.{minor + 1}"


@dataclass(frozen=True)
class VersionDates:
    """One version's lifecycle. Each date is the first UTC day of the next phase."""

    version: str
    release: date
    end_of_standard: date
    end_of_extended: date

    def support_on(self, day: date) -> Support:
        if day < self.release:
            return Support.UNRELEASED
        if day < self.end_of_standard:
            return Support.STANDARD
        if day < self.end_of_extended:
            return Support.EXTENDED
        return Support.ENDED


@dataclass(frozen=True)
class Calendar:
    versions: Mapping[str, VersionDates]
    source: str
    taken_on: date

    def support(self, version: str, day: date) -> Support:
        dates = self.versions.get(version)
        return dates.support_on(day) if dates else Support.UNKNOWN

    def _with(self, day: date, *wanted: Support) -> list[str]:
        found = [v for v, d in self.versions.items() if d.support_on(day) in wanted]
        return sorted(found, key=minor_key)

    def offered(self, day: date) -> list[str]:
        """Versions a new cluster can use on `day` (standard or extended support), oldest first."""
        return self._with(day, Support.STANDARD, Support.EXTENDED)

    def in_standard(self, day: date) -> list[str]:
        return self._with(day, Support.STANDARD)

    def newest(self) -> str:
        return max(self.versions, key=minor_key)

    def outrun(self, day: date) -> bool:
        """Whether `day` is past what the calendar can answer: later than the day it was
        taken, and no version it knows is in standard support any more."""
        return day > self.taken_on and not self.in_standard(day)

    def default_version(self, day: date) -> str:
        """The newest version in standard support on `day`; once the calendar is outrun
        (`stale_warning` says so), the newest version it knows."""
        standard = self.in_standard(day)
        if standard:
            return standard[-1]
        if self.outrun(day):
            return self.newest()
        raise ValueError(f"no version is in standard support on {day} according to the "
                         f"calendar taken {self.taken_on}; refresh it: {REFRESH}")

    def stale_warning(self, day: date) -> str | None:
        """What the plan says when the calendar is outrun on `day`."""
        if not self.outrun(day):
            return None
        return (f"the EKS version calendar is {(day - self.taken_on).days} days old (taken "
                f"{self.taken_on}) and knows no version in standard support on {day}; the "
                f"default kubernetesVersion is the newest it knows, {self.newest()}, and EKS "
                f"likely offers newer ones. Refresh it: {REFRESH}")


@dataclass(frozen=True)
class VersionVerdict:
    """Errors refuse the version; warnings are for the plan to print."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _cost() -> str:
    return (f"extended support costs ${EXTENDED_HOURLY_USD} per cluster hour instead of "
            f"${STANDARD_HOURLY_USD}")


def judge(
    version: str, day: date, support_type: SupportType = "STANDARD",
    calendar: Calendar | None = None,
) -> VersionVerdict:
    """Whether a stack may run `version` on `day` with this `upgradePolicy.supportType`."""
    cal = calendar or load()
    offered = ", ".join(cal.offered(day))
    dates = cal.versions.get(version)
    if dates is None:
        return VersionVerdict(errors=(
            f"Kubernetes {version} is not in the EKS version calendar (taken {cal.taken_on}); "
            f"on {day} EKS offers {offered}. If EKS has released it since, refresh the "
            f"calendar: {REFRESH}",))
    stale = cal.stale_warning(day)
    if stale is not None and version == cal.newest():
        # Past the calendar, its newest version is the best it knows: warn, do not refuse.
        return VersionVerdict(warnings=(stale,))
    status = dates.support_on(day)
    standard_end, extended_end = dates.end_of_standard, dates.end_of_extended
    if status is Support.UNRELEASED:
        return VersionVerdict(errors=(
            f"Kubernetes {version} is not available on EKS until {dates.release} (judged on "
            f"{day}); use one of {offered}",))
    if status is Support.ENDED:
        return VersionVerdict(errors=(
            f"Kubernetes {version} reached the end of extended support on {extended_end} "
            f"(standard support ended {standard_end}); EKS no longer creates clusters on it and "
            f"upgrades existing ones by itself (judged on {day}). Use one of {offered}; the "
            f"newest in standard support is {cal.default_version(day)}",))
    if status is Support.EXTENDED:
        if support_type != "EXTENDED":
            return VersionVerdict(errors=(
                f"Kubernetes {version} left standard support on {standard_end} and is in "
                f"extended support until {extended_end} (judged on {day}); {_cost()}. Set "
                f"supportType: EXTENDED to accept that cost, or use a version in standard "
                f"support: {', '.join(cal.in_standard(day))}",))
        return VersionVerdict(warnings=(
            f"Kubernetes {version} is in extended support until {extended_end} (judged on "
            f"{day}); {_cost()}. Upgrade one minor at a time, next {next_minor(version)}, to "
            f"{(cal.in_standard(day) or [next_minor(version)])[0]} or newer to leave it",))
    days_left = (standard_end - day).days
    if days_left > WARN_DAYS:
        return VersionVerdict()
    then = (f"{_cost()} (supportType EXTENDED)" if support_type == "EXTENDED" else
            "EKS upgrades the control plane to the next version by itself (supportType STANDARD)")
    return VersionVerdict(warnings=(
        f"Kubernetes {version} leaves standard support on {standard_end}, in {days_left} days "
        f"(judged on {day}); after that {then}. Upgrade to {next_minor(version)} before then",))


# --- the committed table ------------------------------------------------------------------------


def parse_table(text: str) -> Calendar:
    data = json.loads(text)
    if list(data.get("columns", ())) != list(COLUMNS):
        raise ValueError(f"version table columns must be {list(COLUMNS)}")
    versions = {
        name: VersionDates(name, *(date.fromisoformat(value) for value in row))
        for name, row in data["versions"].items()
    }
    return Calendar(versions, data["source"], date.fromisoformat(data["takenOn"]))


@cache
def load() -> Calendar:
    """The committed calendar, read once."""
    return parse_table(DATA.read_text(encoding="utf-8"))


def render(rows: Iterable[VersionDates], source: str, taken_on: date, generated_by: str) -> str:
    """One version per line, oldest first, so a refresh reads as a small diff."""
    ordered = sorted(rows, key=lambda row: minor_key(row.version))
    header = {"generatedBy": generated_by, "source": source, "takenOn": taken_on.isoformat(),
              "columns": list(COLUMNS)}
    lines = ["{", *(f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in header.items())]
    body = [
        f"    {json.dumps(r.version)}: "
        f"{json.dumps([d.isoformat() for d in (r.release, r.end_of_standard, r.end_of_extended)])}"
        for r in ordered
    ]
    lines += ['  "versions": {', ",\n".join(body), "  }", "}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from eks_platform.facts.version_sources import main

    sys.exit(main())
