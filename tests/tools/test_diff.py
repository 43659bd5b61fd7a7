"""`plan --diff`: records read, resources matched by URN or alias, unknowns kept unknown,
stateful losses refused with `--fail-on-replace`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eks_platform.tools.cli import main
from eks_platform.tools.plan import to_json
from eks_platform.tools.plan.diff import (
    DiffInputError,
    Recorded,
    diff,
    diff_graph,
    read_record,
)
from tests.conftest import stack_graph
from tests.stack.edits import edited_file

NG = "aws:eks/nodeGroup:NodeGroup"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
URN = "urn:pulumi:dev::p::"


def rec(name: str, type_: str, inputs: dict[str, Any], **extra: Any) -> Recorded:
    return Recorded(f"{URN}{type_}::{name}", type_, inputs, **extra)


def test_unknowns_on_both_sides_are_equal_and_one_sided_ones_are_only_unknown() -> None:
    before = [rec("a", "aws:ec2/route:Route", {"routeTableId": "[unknown]", "x": "[unknown]"})]
    after = [rec("a", "aws:ec2/route:Route", {"routeTableId": "[unknown]", "x": "rtb-1"})]
    [change] = diff(before, after).changes
    assert (change.op, change.fields, change.unknown) == ("update", (), ("x",))
    assert diff(before, before).changes == ()


def test_forcenew_fields_replace_and_others_update() -> None:
    # terraform-provider-aws: aws_route destination_cidr_block ForceNew, gateway_id updatable.
    old = {"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}
    [replaced] = diff([rec("r", "aws:ec2/route:Route", old)], [rec(
        "r", "aws:ec2/route:Route", {**old, "destinationCidrBlock": "10.0.0.0/8"})]).changes
    assert (replaced.op, replaced.fields) == ("replace", ("destinationCidrBlock",))
    [updated] = diff([rec("r", "aws:ec2/route:Route", old)], [rec(
        "r", "aws:ec2/route:Route", {**old, "gatewayId": "igw-2"})]).changes
    assert (updated.op, updated.fields) == ("update", ("gatewayId",))


def test_an_alias_matches_the_old_urn_and_ignored_fields_do_not_count() -> None:
    old = rec("eks-admin-0", "aws:eks/accessEntry:AccessEntry", {"principalArn": "arn:a"})
    new = Recorded(f"{URN}aws:eks/accessEntry:AccessEntry::eks-admin-a", old.type,
                   {"principalArn": "arn:a", "tags": {"k": "v"}}, aliases=(old.urn,),
                   ignore_changes=("tags",))
    assert diff([old], [new]).changes == ()


def test_replace_on_changes_replaces() -> None:
    # EKS's UpdateAddon has no namespaceConfig: the package asks Pulumi to replace on it.
    old = rec("a", "aws:eks/addon:Addon", {"addonName": "x", "namespaceConfig": {"namespace": "a"}})
    new = rec("a", "aws:eks/addon:Addon", {"addonName": "x", "namespaceConfig": {"namespace": "b"}},
              replace_on_changes=("namespaceConfig",))
    [change] = diff([old], [new]).changes
    assert (change.op, change.fields) == ("replace", ("namespaceConfig.namespace",))


def test_a_changed_launch_template_rolls_its_node_group() -> None:
    template = {"userData": "a", "description": "d"}
    group = {"launchTemplate": {"id": "lt-id", "version": "1"}, "instanceTypes": ["m5.large"]}
    before = [rec("lt", LT, template), rec("ng", NG, group)]
    # A description change makes no new version (ec2/launch_template.go); user data does.
    quiet = diff(before, [rec("lt", LT, {**template, "description": "e"}), rec("ng", NG, group)])
    assert [(c.name, c.rolls_nodes) for c in quiet.changes] == [("lt", False)]
    rolled = diff(before, [rec("lt", LT, {**template, "userData": "b"}), rec("ng", NG, group)])
    assert [(c.name, c.op, c.fields, c.rolls_nodes) for c in rolled.changes] == [
        ("lt", "update", ("userData",), False),
        ("ng", "update", ("launchTemplate.version",), True)]


def test_a_stack_export_compares_with_invented_outputs_unknown() -> None:
    graph = stack_graph("prod")
    plan = to_json(graph, "prod")
    real = json.loads(json.dumps(plan).replace("eks-net-vpc-id", "vpc-0a1b2c3d")
                      .replace("sg-0cluster", "sg-0f00"))
    export = {"version": 3, "deployment": {"resources": [
        {"urn": "urn:pulumi:prod::eks-platform::pulumi:pulumi:Stack::eks-platform-prod",
         "type": "pulumi:pulumi:Stack", "custom": False},
        *({"urn": r["urn"], "type": r["type"], "custom": r["custom"],
           "inputs": r["inputs"]} for r in real["resources"])]}}
    result = diff_graph(export, graph, "prod")
    assert [c for c in result.changes if c.op != "update" or c.fields] == []
    with pytest.raises(DiffInputError, match="not 'dev'"):
        read_record(export, "dev")


def test_old_plans_with_parent_only_urns_are_matched() -> None:
    """Plans written before the engine's URNs had `Parent$Type` only: rebuilt from parents."""
    plan = to_json(stack_graph("staging"), "staging")
    old = copy.deepcopy(plan)
    short = {r["urn"]: r["urn"].split("::")[0] + "::eks-platform::" + "$".join(
        r["urn"].split("::")[2].split("$")[-2:]) + "::" + r["name"] for r in old["resources"]}
    for r in old["resources"]:
        r["urn"], r["parent"] = short[r["urn"]], short.get(r["parent"], r["parent"])
    assert diff_graph(old, stack_graph("staging"), "staging").changes == ()


def test_cli_diff_agrees_with_the_edit_and_fails_on_a_stateful_replace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = to_json(stack_graph("staging"), "staging")
    for resource in before["resources"]:  # a cluster and a log group recorded under old names
        if resource["type"] == "aws:eks/cluster:Cluster":
            resource["inputs"]["name"] = "staging-old"
        if resource["name"] == "eks-control-plane":
            resource["inputs"]["name"] = "/aws/eks/staging-old/cluster"
        if resource["name"] == "eks-secrets" and resource["type"] == "aws:kms/key:Key":
            resource["inputs"]["keyUsage"] = "SIGN_VERIFY"  # ForceNew in aws_kms_key
    path = tmp_path / "before.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    argv = ["plan", "--config-file", str(edited_file("staging", "range-first")),
            "--diff", str(path), "--format", "json"]
    assert main([*argv, "--fail-on-replace"]) == 3
    out, err = capsys.readouterr()
    ops = {(c["op"], c["urn"].rsplit("::", 1)[-1], tuple(c["fields"]))
           for c in json.loads(out)["diff"]}
    assert ops == {
        ("create", "eks-api-10-100-8-0-24", ()),
        *{("create", f"eks-net-private-{i}-deployer-10-100-8-0-24", ()) for i in range(3)},
        ("replace", "eks-eks", ("name",)), ("replace", "eks-control-plane", ("name",)),
        ("replace", "eks-secrets", ("keyUsage",))}
    assert err == ("plan: --fail-on-replace: replace eks-control-plane "
                   "(aws:cloudwatch/logGroup:LogGroup), replace eks-secrets (aws:kms/key:Key), "
                   "replace eks-eks (aws:eks/cluster:Cluster)\n")
