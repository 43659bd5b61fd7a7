"""The EKS version calendar: its data against the user guide's rules, what it says on pinned days,
and its generator (snapshot and DescribeClusterVersions through botocore's Stubber).

Every day here is pinned, so no test changes its answer because the clock moved.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from botocore.model import StructureShape
from botocore.stub import Stubber

from eks_platform.facts import version_sources, versions
from eks_platform.facts.version_sources import parse_snapshot, rows_from_describe
from eks_platform.facts.versions import (
    COLUMNS,
    Calendar,
    Support,
    VersionDates,
    judge,
    load,
    minor_key,
)
from tests.aws_models import botocore_session, service_model

TODAY = date(2026, 11, 27)  # the day the snapshot was taken
PACIFIC = timezone(timedelta(hours=-8))


def add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + years, month=month + 1)


# --- the data -----------------------------------------------------------------------------------


def test_committed_table_is_what_the_snapshot_generates() -> None:
    text, _ = version_sources.build(["--from-snapshot"])
    assert versions.DATA.read_text(encoding="utf-8") == text


def test_table_follows_the_user_guides_lifecycle_rule() -> None:
    """"Standard support for 14 months after the EKS release, then 12 months of extended"."""
    for dates in load().versions.values():
        assert dates.end_of_standard == add_months(dates.release, 14), dates.version
        assert dates.end_of_extended == add_months(dates.end_of_standard, 12), dates.version


def test_table_has_the_dates_the_issue_and_the_user_guide_state() -> None:
    table = load().versions
    assert table["1.31"].end_of_extended == date(2026, 11, 26)
    assert table["1.34"].end_of_standard == date(2026, 12, 2)
    assert (table["1.33"].end_of_standard.year, table["1.33"].end_of_standard.month) == (2026, 7)
    assert table["1.33"].release == date(2025, 5, 29)
    assert load().taken_on == TODAY
    assert "user guide" in load().source


# --- judgments on a day -------------------------------------------------------------------------


def test_support_changes_at_the_start_of_each_utc_day() -> None:
    cal, v134 = load(), load().versions["1.34"]
    assert cal.support("1.34", v134.release - timedelta(days=1)) is Support.UNRELEASED
    assert cal.support("1.34", v134.release) is Support.STANDARD
    assert cal.support("1.34", v134.end_of_standard - timedelta(days=1)) is Support.STANDARD
    assert cal.support("1.34", v134.end_of_standard) is Support.EXTENDED
    assert cal.support("1.34", v134.end_of_extended - timedelta(days=1)) is Support.EXTENDED
    assert cal.support("1.34", v134.end_of_extended) is Support.ENDED
    assert cal.support("1.99", TODAY) is Support.UNKNOWN


def test_what_eks_offers_today() -> None:
    cal = load()
    assert cal.offered(TODAY) == ["1.32", "1.33", "1.34", "1.35", "1.36"]
    assert cal.in_standard(TODAY) == ["1.34", "1.35", "1.36"]
    assert [cal.support(v, TODAY) for v in ("1.30", "1.31", "1.32", "1.33")] == [
        Support.ENDED, Support.ENDED, Support.EXTENDED, Support.EXTENDED]


@pytest.mark.parametrize(("day", "expected"), [
    (TODAY, "1.36"),
    (date(2026, 6, 1), "1.35"),  # the day before 1.36 reached EKS
    (date(2025, 11, 1), "1.34"),
])
def test_default_is_the_newest_in_standard_support(day: date, expected: str) -> None:
    assert load().default_version(day) == expected


@pytest.mark.parametrize("day", [date(2027, 8, 2), date(2027, 9, 1), date(2028, 6, 1),
                                 date(2030, 1, 1)])
def test_past_the_snapshot_the_default_is_the_newest_known_with_a_warning(day: date) -> None:
    # 1.36 leaves standard support on 2027-08-02 (user guide): from then on the snapshot of
    # 2026-11-27 knows no version in standard support.
    calendar = load()
    assert calendar.default_version(day) == "1.36"
    days = (day - TODAY).days
    warning = calendar.stale_warning(day)
    assert warning is not None and warning.startswith(
        f"the EKS version calendar is {days} days old (taken 2026-11-27) and knows no version "
        f"in standard support on {day}")
    assert "--from-snapshot" in warning and "--from-aws" in warning
    # Judged on that day, the newest known version warns instead of refusing; older ones
    # still carry their published end dates.
    assert judge("1.36", day) == versions.VersionVerdict(warnings=(warning,))
    assert judge("1.35", day).errors


def test_no_warning_while_the_calendar_answers() -> None:
    assert load().stale_warning(date(2027, 8, 1)) is None
    assert load().stale_warning(TODAY) is None


def test_no_default_before_the_calendar_begins() -> None:
    with pytest.raises(ValueError, match="no version is in standard support on 2020-01-01"):
        load().default_version(date(2020, 1, 1))


def test_refreshing_is_a_data_change(tmp_path: Path) -> None:
    """A new row typed into the snapshot CSV and the documented command: no code change."""
    snapshot = tmp_path / "calendar.csv"
    snapshot.write_text(versions.SNAPSHOT.read_text(encoding="utf-8")
                        + "1.37, 2026-10-01, 2027-12-01, 2028-12-01\n", encoding="utf-8")
    output = tmp_path / "versions.json"
    assert version_sources.main(["--from-snapshot", str(snapshot), "--output", str(output)]) == 0
    refreshed = versions.parse_table(output.read_text(encoding="utf-8"))
    assert refreshed.default_version(date(2027, 9, 1)) == "1.37"
    assert refreshed.stale_warning(date(2027, 9, 1)) is None


def test_version_past_extended_support_is_rejected_with_its_dates() -> None:
    verdict = judge("1.31", TODAY, "EXTENDED")
    assert verdict.errors == (
        "Kubernetes 1.31 reached the end of extended support on 2026-11-26 (standard support "
        "ended 2025-11-26); EKS no longer creates clusters on it and upgrades existing ones by "
        "itself (judged on 2026-11-27). Use one of 1.32, 1.33, 1.34, 1.35, 1.36; the newest in "
        "standard support is 1.36",)
    assert judge("1.31", date(2026, 11, 25), "EXTENDED").errors == ()


def test_extended_support_needs_the_extended_support_type() -> None:
    refused = judge("1.33", TODAY)
    assert refused.errors == (
        "Kubernetes 1.33 left standard support on 2026-07-29 and is in extended support until "
        "2027-07-29 (judged on 2026-11-27); extended support costs $0.60 per cluster hour "
        "instead of $0.10. Set supportType: EXTENDED to accept that cost, or use a version in "
        "standard support: 1.34, 1.35, 1.36",)
    accepted = judge("1.33", TODAY, "EXTENDED")
    assert accepted.errors == ()
    assert accepted.warnings == (
        "Kubernetes 1.33 is in extended support until 2027-07-29 (judged on 2026-11-27); "
        "extended support costs $0.60 per cluster hour instead of $0.10. Upgrade one minor at a "
        "time, next 1.34, to 1.34 or newer to leave it",)


def test_warning_when_standard_support_ends_within_60_days() -> None:
    assert judge("1.34", TODAY).warnings == (
        "Kubernetes 1.34 leaves standard support on 2026-12-02, in 5 days (judged on "
        "2026-11-27); after that EKS upgrades the control plane to the next version by itself "
        "(supportType STANDARD). Upgrade to 1.35 before then",)
    extended = judge("1.34", TODAY, "EXTENDED").warnings[0]
    assert "after that extended support costs $0.60 per cluster hour" in extended
    end = load().versions["1.34"].end_of_standard
    assert "in 60 days" in judge("1.34", end - timedelta(days=60)).warnings[0]
    assert judge("1.34", end - timedelta(days=61)) == versions.VersionVerdict()
    assert judge("1.35", TODAY) == versions.VersionVerdict()


def test_unknown_and_unreleased_versions_are_refused() -> None:
    assert judge("1.37", TODAY).errors == (
        "Kubernetes 1.37 is not in the EKS version calendar (taken 2026-11-27); on 2026-11-27 "
        "EKS offers 1.32, 1.33, 1.34, 1.35, 1.36. If EKS has released it since, refresh the "
        "calendar: python -m eks_platform.facts.versions --from-aws (AWS credentials), or "
        "add the user guide's new rows to eks_platform/facts/eks_release_calendar.csv and run "
        "python -m eks_platform.facts.versions --from-snapshot",)
    assert judge("1.36", date(2026, 5, 1)).errors == (
        "Kubernetes 1.36 is not available on EKS until 2026-06-02 (judged on 2026-05-01); use "
        "one of 1.30, 1.31, 1.32, 1.33, 1.34, 1.35",)


def test_versions_sort_as_numbers() -> None:
    assert sorted(["1.10", "1.9", "2.0"], key=minor_key) == ["1.9", "1.10", "2.0"]
    with pytest.raises(ValueError, match=r"'1\.34\.2' is not MAJOR\.MINOR"):
        minor_key("1.34.2")


def test_a_calendar_built_by_hand_is_judged_the_same_way() -> None:
    row = VersionDates("1.40", date(2030, 1, 1), date(2031, 3, 1), date(2032, 3, 1))
    newer = VersionDates("1.41", date(2030, 6, 1), date(2031, 8, 1), date(2032, 8, 1))
    cal = Calendar({"1.40": row, "1.41": newer}, "test", date(2030, 1, 1))
    assert judge("1.40", date(2031, 3, 1), calendar=cal).errors[0].startswith(
        "Kubernetes 1.40 left standard support on 2031-03-01")


# --- generator: snapshot ------------------------------------------------------------------------


def test_snapshot_parses_rows_and_metadata() -> None:
    rows, source, taken = parse_snapshot(
        "# taken: 2026-01-02\n# source: the guide\n# a comment: ignored\n\n"
        "1.30, 2024-05-23, 2025-07-23, 2026-07-23\n")
    assert rows == [VersionDates("1.30", date(2024, 5, 23), date(2025, 7, 23), date(2026, 7, 23))]
    assert (source, taken) == ("the guide", date(2026, 1, 2))


@pytest.mark.parametrize(("text", "message"), [
    ("# taken: 2026-01-02\n# source: x\n1.30,2024-05-23,2025-07-23\n", "snapshot line 3"),
    ("# taken: 2026-01-02\n# source: x\nv1.30,2024-05-23,2025-07-23,2026-07-23\n", "line 3"),
    ("# source: x\n1.30,2024-05-23,2025-07-23,2026-07-23\n", r"missing \['taken'\]"),
])
def test_snapshot_errors_name_the_line_or_what_is_missing(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_snapshot(text)


def test_command_writes_the_table_and_names_a_custom_snapshot(tmp_path: Path) -> None:
    snapshot = tmp_path / "calendar.csv"
    snapshot.write_text("# taken: 2026-01-02\n# source: x\n1.30,2024-05-23,2025-07-23,2026-07-23\n")
    output = tmp_path / "versions.json"
    assert version_sources.main(["--from-snapshot", str(snapshot), "--output", str(output)]) == 0
    written = versions.parse_table(output.read_text())
    assert list(written.versions) == ["1.30"]
    assert f'"generatedBy": "python -m eks_platform.facts.versions --from-snapshot {snapshot}"' \
        in output.read_text()
    assert version_sources.main(["--from-snapshot", str(tmp_path / "missing.csv"),
                          "--output", str(output)]) == 1


# --- generator: DescribeClusterVersions ---------------------------------------------------------


def cluster_version(name: str, release: date, **extra: Any) -> dict[str, Any]:
    """A `clusterVersions[]` entry with timestamps the way the API sends them: US Pacific time,
    4 pm the day before the UTC calendar day (the user guide's CLI example for 1.31)."""
    def instant(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=PACIFIC) - timedelta(hours=8)

    standard_end, extended_end = add_months(release, 14), add_months(release, 26)
    entry: dict[str, Any] = {
        "clusterVersion": name, "clusterType": "eks", "defaultVersion": False,
        "releaseDate": instant(release),
        "endOfStandardSupportDate": instant(standard_end),
        "endOfExtendedSupportDate": instant(extended_end),
        "versionStatus": "STANDARD_SUPPORT",
    }
    return {**entry, **extra}


class StubbedSession:
    """Stands in for `boto3.session.Session`: hands out one stubbed EKS client."""

    def __init__(self, client: Any) -> None:
        self.eks = client
        self.regions: list[str] = []

    def __call__(self, region_name: str) -> StubbedSession:
        self.regions.append(region_name)
        return self

    def client(self, service: str) -> Any:
        assert service == "eks"
        return self.eks


def test_describe_cluster_versions_pages_become_rows(capsys: pytest.CaptureFixture[str]) -> None:
    client = boto3.session.Session(
        botocore_session=botocore_session(), region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",  # Stubber answers; no call leaves
    ).client("eks")
    stubber = Stubber(client)
    stubber.add_response(
        "describe_cluster_versions",
        {"clusterVersions": [cluster_version("1.31", date(2024, 9, 26))], "nextToken": "page2"},
        {"includeAll": True})
    stubber.add_response(
        "describe_cluster_versions",
        {"clusterVersions": [
            cluster_version("1.34", date(2025, 10, 2), defaultVersion=True),
            cluster_version("1.34", date(2025, 10, 2), clusterType="eks-local-outposts"),
            {"clusterVersion": "1.37", "clusterType": "eks", "versionStatus": "STANDARD_SUPPORT"},
        ]},
        {"includeAll": True, "nextToken": "page2"})
    session = StubbedSession(client)
    with stubber:
        text, _ = version_sources.build(["--from-aws", "--region", "eu-west-1"],
                                 today=TODAY, session_factory=session)
        stubber.assert_no_pending_responses()
    assert session.regions == ["eu-west-1"]
    table = versions.parse_table(text)
    # The API's 2025-11-25T16:00-08:00 is the user guide's November 26, 2025 (UTC).
    assert table.versions["1.31"] == load().versions["1.31"]
    assert table.versions["1.34"] == load().versions["1.34"]
    assert list(table.versions) == ["1.31", "1.34"]
    assert table.taken_on == TODAY
    assert table.source == "EKS DescribeClusterVersions (includeAll) in eu-west-1"
    assert '"generatedBy": "python -m eks_platform.facts.versions --from-aws --region eu-west-1"' \
        in text
    assert "skipping 1.37: no releaseDate, endOfStandardSupportDate, endOfExtendedSupportDate" \
        in capsys.readouterr().err


def test_describe_entries_accept_iso_strings_from_a_saved_dump() -> None:
    warnings: list[str] = []
    rows = rows_from_describe([{
        "clusterVersion": "1.31", "releaseDate": "2024-09-25T17:00:00-07:00",
        "endOfStandardSupportDate": "2025-11-25T16:00:00-08:00",
        "endOfExtendedSupportDate": "2026-11-25T16:00:00-08:00",
    }], warnings.append)
    assert rows == [load().versions["1.31"]]
    assert warnings == []


def test_columns_are_the_apis_field_names() -> None:
    shape = service_model("eks").shape_for(
        "ClusterVersionInformation")
    assert isinstance(shape, StructureShape)
    for column in COLUMNS:
        assert shape.members[column].type_name == "timestamp"
