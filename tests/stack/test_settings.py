"""Invalid stack settings fail before any resource exists, with one clear message."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from eks_platform.stack import (
    SettingsError,
    decode_pulumi_config,
    parse,
    pulumi_config_values,
    read_stack_file,
)
from eks_platform.tools.synth import synthesize_program
from tests.conftest import ROOT, STACKS

BASE: dict[str, Any] = {
    "aws:region": "us-west-2",
    "eks-platform:kubernetesVersion": "1.34",
    "eks-platform:nodeGroups": [
        {"name": "general", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3},
    ],
}
SOURCE = "stacks/Pulumi.test.yaml"
#: An endpoint the deployer reaches (from inside the VPC), for stacks with a Helm CNI.
REACHABLE = {"privateAccessCidrs": ["10.0.0.0/16"]}


def with_(path: str, value: Any) -> dict[str, Any]:
    """BASE with one key path set, e.g. `eks-platform:nodeGroups[0].maxSize`."""
    config = copy.deepcopy(BASE)
    key, _, rest = path.partition(".")
    head, _, index = key.partition("[")
    if not index:
        if rest:
            config.setdefault(head, {})
            target = config[head]
            *parents, last = rest.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        else:
            config[head] = value
        return config
    target = config[head][int(index.rstrip("]"))]
    *parents, last = rest.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value
    return config


def error_for(config: dict[str, Any]) -> str:
    with pytest.raises(SettingsError) as info:
        parse(config, SOURCE)
    return str(info.value)


def test_base_is_valid() -> None:
    settings = parse(BASE, SOURCE)
    assert settings.region == "us-west-2"
    assert settings.cni.mode == "managed" and settings.cni.iam == "irsa"
    assert settings.endpoint.public_access is False
    assert settings.bootstrap_self_managed_addons is False


@pytest.mark.parametrize(
    ("path", "value", "key", "allowed"),
    [
        ("eks-platform:nodeGroups[0].maxSize", "three", "eks-platform:nodeGroups[0].maxSize",
         "valid integer"),
        ("eks-platform:nodeGroups[0].maxSize", 0, "eks-platform:nodeGroups[0].maxSize",
         "greater than or equal to 1"),
        ("eks-platform:nodeGroups[0].minSize", 5, "eks-platform:nodeGroups[0].maxSize",
         "maxSize must be >= minSize (5)"),
        ("eks-platform:nodeGroups[0].instanceTypes", ["m5.largee"],
         "eks-platform:nodeGroups[0].instanceTypes", "did you mean m5.large"),
        ("eks-platform:nodeGroups[0].instanceTypes", [],
         "eks-platform:nodeGroups[0].instanceTypes", "at least 1 item"),
        ("eks-platform:nodeGroups[0].capacityType", "RESERVED",
         "eks-platform:nodeGroups[0].capacityType", "'ON_DEMAND' or 'SPOT'"),
        ("eks-platform:nodeGroups[0].amiType", "AL2_x86_64",
         "eks-platform:nodeGroups[0].amiType", "AL2023_x86_64_STANDARD"),
        ("eks-platform:nodeGroups[0].maxPods", 50, "eks-platform:nodeGroups[0].maxPods",
         "unknown key; allowed keys here: "),
        ("eks-platform:endpoint.publicAccessCidrs", ["10.0.0.300/32"],
         "eks-platform:endpoint.publicAccessCidrs[0]", "is not an IPv4 or IPv6 CIDR block"),
        ("eks-platform:kubernetesVersion", "1.21", "eks-platform:kubernetesVersion",
         "not in the EKS version calendar (taken 2026-11-27); on 2026-11-27 EKS offers 1.32, "
         "1.33, 1.34, 1.35, 1.36"),
        ("eks-platform:kubernetesVersion", 1.3, "eks-platform:kubernetesVersion",
         'quote the version, e.g. "1.35"'),
        ("eks-platform:subnetIds", [], "eks-platform:subnetIds", "at least 2 items"),
        ("eks-platform:subnetIds", ["subnet-1", "subnet-2"], "eks-platform:subnetIds",
         "is not a subnet ID"),
        ("eks-platform:addons.vpcCni.version", "1.19", "eks-platform:addons.vpcCni.version",
         "pattern"),
        ("eks-platform:addons.coredns.resolveConflictsOnUpdate", "MERGE",
         "eks-platform:addons.coredns.resolveConflictsOnUpdate", "'PRESERVE'"),
        ("eks-platform:addons.coredns.resolveConflictsOnCreate", "PRESERVE",
         "eks-platform:addons.coredns.resolveConflictsOnCreate", "'OVERWRITE' or 'NONE'"),
        ("eks-platform:addons.karpenter", {"enabled": True}, "eks-platform:addons.karpenter",
         "allowed keys here: coredns, ebsCsiDriver, kubeProxy, podIdentityAgent, vpcCni"),
        ("eks-platform:clusterNmae", "x", "eks-platform:clusterNmae", "clusterName"),
        ("eks-platform:cni.mode", "both", "eks-platform:cni.mode", "'managed' or 'helm'"),
        ("eks-platform:admins", ["alice"], "eks-platform:admins", "IAM role or user ARN"),
        ("aws:region", "us-moon-1", "aws:region", "known: "),
    ],
)
def test_each_invalid_value_names_file_key_value_and_allowed(
    path: str, value: Any, key: str, allowed: str
) -> None:
    message = error_for(with_(path, value))
    assert message.startswith(f"invalid stack settings in {SOURCE}:")
    assert f"  {key}" in message
    assert allowed in message
    if not isinstance(value, dict | list) and "unknown key" not in message:
        assert str(value) in message


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"eks-platform:cni": {"mode": "helm"}, "eks-platform:addons": {"vpcCni": {}},
          "eks-platform:endpoint": REACHABLE}, "exactly one CNI mode"),
        ({"eks-platform:cni": {"mode": "managed", "helm": {"chartVersion": "1.22.4"}}},
         "exactly one CNI mode"),
        ({"eks-platform:cni": {"mode": "helm"}, "eks-platform:endpoint": REACHABLE,
          "eks-platform:bootstrapSelfManagedAddons": True}, "adoptExisting"),
        ({"eks-platform:cni": {"warmPrefixTarget": 1}}, "prefixDelegation: true"),
        ({"eks-platform:endpoint": {"publicAccess": True}}, "needs publicAccessCidrs"),
        ({"eks-platform:vpc": {"cidr": "10.0.0.0/24"}}, "between /16 and /20"),
        ({"eks-platform:vpc": {}, "eks-platform:subnetIds": ["subnet-0123456789abcdef0",
                                                             "subnet-0123456789abcdef1"]},
         "not both"),
        ({"eks-platform:nodeGroups": []}, "at least one node group or Fargate profile"),
        ({"eks-platform:nodeGroups": [BASE["eks-platform:nodeGroups"][0]] * 2}, "unique"),
        ({"eks-platform:nodeGroups": [{**BASE["eks-platform:nodeGroups"][0],
                                       "desiredSize": 2, "targetPods": 40}]}, "not both"),
        ({"eks-platform:nodeGroups": [{**BASE["eks-platform:nodeGroups"][0],
                                       "desiredSize": 9}]}, "between minSize (1) and maxSize"),
    ],
)
def test_cross_field_rules(changes: dict[str, Any], fragment: str) -> None:
    assert fragment in error_for({**copy.deepcopy(BASE), **changes})


def test_all_problems_in_one_message() -> None:
    config = with_("eks-platform:nodeGroups[0].capacityType", "RESERVED")
    config["eks-platform:kubernetesVersion"] = "1.10"
    message = error_for(config)
    assert message.count("\n  eks-platform:") == 2


def test_live_lookup_accepts_types_missing_from_the_table() -> None:
    config = with_("eks-platform:nodeGroups[0].instanceTypes", ["m99.large"])
    assert "unknown instance type 'm99.large'" in error_for(config)
    config["eks-platform:nodeGroups"][0]["liveInstanceTypeLookup"] = True
    assert parse(config, SOURCE).node_groups[0].instance_types == ["m99.large"]


def test_pulumi_string_form_round_trips() -> None:
    """The CLI hands scalars as strings and objects as JSON; the models coerce them back."""
    raw = pulumi_config_values({**BASE, "eks-platform:protect": True})
    assert raw["eks-platform:protect"] == "true"
    settings = parse(decode_pulumi_config(raw), SOURCE)
    assert settings.protect is True
    assert settings.node_groups[0].max_size == 3


def write_stack(tmp_path: Path, config: dict[str, Any], stack: str = "broken") -> Path:
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return path


def test_program_fails_before_registering_anything(tmp_path: Path) -> None:
    """Through `__main__.py`, as `pulumi up` runs it: a RunError, nothing registered."""
    import pulumi

    path = write_stack(tmp_path, with_("eks-platform:nodeGroups[0].minSize", 9))
    with pytest.raises(pulumi.RunError) as info:
        synthesize_program(ROOT / "__main__.py", path)
    assert "stacks/Pulumi.broken.yaml" in str(info.value)
    assert "eks-platform:nodeGroups[0].maxSize" in str(info.value)


def test_stack_files_parse(tmp_path: Path) -> None:
    for stack in STACKS:
        path = ROOT / "stacks" / f"Pulumi.{stack}.yaml"
        parse(read_stack_file(path), str(path))


def test_max_pods_cli_errors_are_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eks_platform", "max-pods", "--instance-type", "m5.lage",
         "--cni-version", "1.19.0"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_stack_level_errors_name_the_key_they_are_about() -> None:
    config = with_("eks-platform:subnetIds", ["subnet-0123456789abcdef0"] * 2)
    config["eks-platform:vpc"] = {"cidr": "10.0.0.0/16"}
    assert error_for(config).splitlines()[1] == (
        '  eks-platform:subnetIds = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"]: '
        "give vpc (create one) or subnetIds (use existing), not both")


def test_models_built_in_python_raise_the_stack_files_message_naming_the_argument() -> None:
    from eks_platform.stack import NodeGroupSettings

    stack = error_for(with_("eks-platform:nodeGroups[0].instanceTypes", ["m5.largee"]))
    with pytest.raises(SettingsError) as info:
        NodeGroupSettings(name="general", instance_types=["m5.largee"])
    stack_problem = stack.splitlines()[1].split(" = ", 1)[1]
    assert str(info.value).splitlines() == [
        "invalid arguments to NodeGroupSettings:",
        f"  NodeGroupSettings.instance_types = {stack_problem}",
    ]
