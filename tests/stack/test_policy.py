"""`plan --policy strict`: the prod-like controls a stack does not hold, on any stack.

Expected gaps are read off the stack files by hand (dev's header comment and keys), not from
the code under test."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from eks_platform.stack import parse
from eks_platform.stack.policy import STRICT_RULES, strict_gaps
from eks_platform.stack.security_controls import CONTROLS
from eks_platform.tools.cli import main
from tests.conftest import PROD_LIKE, ROOT, STACKS, stack_settings

#: What dev's stack file does on purpose (its header: three log types kept 90 days, no flow
#: logs, the AWS managed key for node volumes; a public endpoint for the office range; no
#: networkPolicy and no admins, so the deployer is cluster-admin).
DEV_GAPS = {
    "control-plane-logs": "logging leaves out controllerManager, scheduler",
    "control-plane-log-retention": "logRetentionDays is 90, under 365",
    "private-endpoint": "endpoint.publicAccess is true",
    "network-policy": "cni.networkPolicy is false",
    "node-volume-encryption": "nodeVolumeKmsKey is awsManaged, not a customer key",
    "cluster-admin-where-required":
        "no admins: the identity running pulumi up is cluster-admin",
    "vpc-flow-logs": "vpc.flowLogs.enabled is false",
}


@pytest.mark.parametrize("stack", sorted(PROD_LIKE))
def test_prod_like_stacks_hold_every_control(stack: str) -> None:
    assert strict_gaps(stack_settings(stack)) == []


def test_dev_lists_its_lighter_choices() -> None:
    assert {g.control.id: g.why for g in strict_gaps(stack_settings("dev"))} == DEV_GAPS


def test_every_shipped_stack_is_prod_like_or_known_lighter() -> None:
    for stack in STACKS:
        assert (strict_gaps(stack_settings(stack)) == []) is (stack in PROD_LIKE), stack


def test_rules_name_real_controls() -> None:
    ids = [c.id for c in CONTROLS]
    assert len({rule_id for rule_id, _ in STRICT_RULES}) == len(STRICT_RULES)
    assert {rule_id for rule_id, _ in STRICT_RULES} <= set(ids)


def _prod_config() -> dict[str, Any]:
    import yaml

    text = (ROOT / "stacks" / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.safe_load(text)["config"]
    return copy.deepcopy(config)


def test_a_relaxed_prod_copy_is_caught() -> None:
    config = _prod_config()
    config["eks-platform:nodeGroups"][1].update(ssm=True, imdsHopLimit=2)
    config["eks-platform:vpc"]["flowLogs"]["trafficType"] = "REJECT"
    config["eks-platform:clusterCreatorAdmin"] = True
    gaps = {g.control.id: g.why for g in strict_gaps(parse(config, "prod-copy"))}
    assert gaps == {
        "imdsv2": "imdsHopLimit above 1 on node groups workers (2)",
        "ssm-opt-in": "ssm on node groups workers",
        "cluster-admin-where-required":
            "clusterCreatorAdmin is true: the identity running pulumi up is cluster-admin",
        "vpc-flow-logs": "vpc.flowLogs.trafficType is REJECT, not ALL",
    }


def test_existing_subnets_have_no_flow_log_gap() -> None:
    config = _prod_config()
    del config["eks-platform:vpc"]
    config["eks-platform:subnetIds"] = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
    assert strict_gaps(parse(config, "prod-existing-vpc")) == []


def test_plan_policy_strict_lists_gaps_and_fails(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["plan", "--stack", "dev", "--policy", "strict"]) == 3
    out = capsys.readouterr().out
    section = out[out.index("Policy strict:"):].splitlines()
    assert section[0] == "Policy strict: 7 of 9 prod-like controls not held"
    assert section[1] == ("  - control-plane-logs: logging leaves out controllerManager, "
                          "scheduler (All control plane log types sent to CloudWatch Logs)")
    assert [line.split(":")[0].strip(" -") for line in section[1:]] == list(DEV_GAPS)
