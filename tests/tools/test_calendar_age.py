"""Stacks that leave kubernetesVersion to the default keep planning past the calendar snapshot
(2026-11-27): the plan warns how old the calendar is and uses the newest version it knows."""

from __future__ import annotations

import json
from datetime import date

import pytest

from eks_platform.stack import SettingsError, parse
from eks_platform.tools.cli import main
from tests.conftest import ROOT

# 1.36's standard support ends 2027-08-02 (EKS user guide release calendar): after that the
# snapshot of 2026-11-27 has no version in standard support.
CASES = [("2027-09-01", 278), ("2028-06-01", 552)]


@pytest.mark.parametrize(("day", "age"), CASES)
def test_dev_plans_past_the_snapshot_with_the_calendars_age(
        day: str, age: int, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["plan", "--stack", "dev", "--date", day, "--format", "json"]) == 0
    kubernetes = json.loads(capsys.readouterr().out)["kubernetes"]
    assert kubernetes["judgedOn"] == day and kubernetes["calendarAgeDays"] == age
    assert [c["version"] for c in kubernetes["clusters"]] == ["1.36"]
    (warning,) = kubernetes["warnings"]
    assert warning.startswith(
        f"cluster eks-platform-dev: the EKS version calendar is {age} days old (taken "
        f"2026-11-27) and knows no version in standard support on {day}; the default "
        "kubernetesVersion is the newest it knows, 1.36")


def test_the_message_names_the_stack_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A default that cannot be resolved is reported under its camelCase stack key."""
    monkeypatch.setenv("EKS_PLATFORM_DATE", date(2020, 1, 1).isoformat())
    with pytest.raises(SettingsError) as info:
        parse({"aws:region": "us-east-1",
               "eks-platform:nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"]}]}, "x")
    (problem,) = info.value.problems
    assert problem.startswith('eks-platform:kubernetesVersion = "default": no version is in '
                              "standard support on 2020-01-01")
