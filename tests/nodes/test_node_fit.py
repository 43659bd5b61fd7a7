"""Node groups whose instance types fit their AMI type and hold their pods, on every path.

A stack file, the library's `ManagedNodeGroupArgs` and a deploy-time EC2 lookup all reject a
misfit with one message naming the group; nothing ends in a traceback. Expected max pods
come from AWS's formula (`ENIs * (IPv4 per ENI - 1) + 2`, one ENI fewer with custom
networking) over the instance table's EC2 figures.
"""

from __future__ import annotations

import base64
import email
from pathlib import Path
from typing import Any

import pytest
import yaml

from eks_platform.nodes import maxpods
from eks_platform.stack import SettingsError, parse
from eks_platform.tools.cli import main
from eks_platform.tools.synth import Graph, synthesize_program
from tests.conftest import ROOT

NODEGROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def aws_formula(instance_type: str, custom_networking: bool = False) -> int:
    limits = maxpods.lookup(instance_type)
    enis = limits.default_card_enis - (1 if custom_networking else 0)
    return enis * (limits.ipv4_per_eni - 1) + 2


def stack(groups: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"aws:region": "us-west-2", "eks-platform:vpc": {"availabilityZones": 2},
            "eks-platform:nodeGroups": groups, **extra}


def group(name: str, *types: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "instanceTypes": list(types), "minSize": 1, "maxSize": 3, **fields}


def plan(tmp_path: Path, config: dict[str, Any], name: str = "fit") -> Graph:
    stack_file = tmp_path / f"Pulumi.{name}.yaml"
    stack_file.write_text(yaml.safe_dump({"config": config}))
    return synthesize_program(ROOT / "__main__.py", stack_file)


def kubelet_config(graph: Graph, group_name: str) -> dict[str, Any]:
    node_group = next(g for g in graph.of_type(NODEGROUP)
                      if g.inputs["nodeGroupNamePrefix"] == f"{group_name}-")
    template = next(r for r in graph.of_type(LAUNCH_TEMPLATE) if r.parent == node_group.parent)
    message = email.message_from_string(base64.b64decode(template.inputs["userData"]).decode())
    [part] = [p for p in message.walk() if p.get_content_type() == "application/node.eks.aws"]
    config: dict[str, Any] = yaml.safe_load(str(part.get_payload()))["spec"]["kubelet"]["config"]
    return config


# --- a stack with arm64 and NVIDIA GPU groups -------------------------------------------------

MIXED_GROUPS = [
    group("arm", "m7g.large", "m6g.large"),  # amiType derived: arm64
    group("gpu", "g5.xlarge", amiType="AL2023_x86_64_NVIDIA", minSize=0),
    group("gpu-derived", "g5.2xlarge", minSize=0),  # amiType derived: NVIDIA
    group("arm-gpu", "g5g.xlarge", amiType="AL2023_ARM_64_NVIDIA", minSize=0),
]


def test_arm64_and_gpu_groups_plan_with_calculator_max_pods(tmp_path: Path) -> None:
    graph = plan(tmp_path, stack(MIXED_GROUPS))
    ami = {g.inputs["nodeGroupNamePrefix"].rstrip("-"): g.inputs["amiType"]
           for g in graph.of_type(NODEGROUP)}
    assert ami == {"arm": "AL2023_ARM_64_STANDARD", "gpu": "AL2023_x86_64_NVIDIA",
                   "gpu-derived": "AL2023_x86_64_NVIDIA", "arm-gpu": "AL2023_ARM_64_NVIDIA"}
    for spec in MIXED_GROUPS:
        pods = min(aws_formula(t) for t in spec["instanceTypes"])
        config = kubelet_config(graph, spec["name"])
        assert config["maxPods"] == pods, spec["name"]
        assert config["kubeReserved"]["memory"] == f"{11 * pods + 255}Mi"
    assert kubelet_config(graph, "arm")["maxPods"] == 29  # m7g/m6g.large: 3 ENIs x 10 IPv4
    assert kubelet_config(graph, "gpu")["maxPods"] == 58  # g5.xlarge: 4 ENIs x 15 IPv4


def test_arm64_and_gpu_stack_through_the_plan_cli(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack_file = tmp_path / "Pulumi.fit.yaml"
    stack_file.write_text(yaml.safe_dump({"config": stack(MIXED_GROUPS)}))
    assert main(["plan", "--config-file", str(stack_file)]) == 0
    out = capsys.readouterr().out
    groups = out.split("Node groups (name: instance types; max pods; min/desired/max)\n")[1]
    lines = groups.split("\n\n")[0].splitlines()
    expected = {"arm": "AL2023_ARM_64_STANDARD", "gpu": "AL2023_x86_64_NVIDIA",
                "gpu-derived": "AL2023_x86_64_NVIDIA", "arm-gpu": "AL2023_ARM_64_NVIDIA"}
    for spec in MIXED_GROUPS:
        pods = min(aws_formula(t) for t in spec["instanceTypes"])
        [line] = [line for line in lines if line.startswith(f"  {spec['name']}: ")]
        assert f"; max pods {pods}" in line
        assert line.endswith(f"; ON_DEMAND; {expected[spec['name']]}")


def test_settings_derive_the_ami_type_from_the_instance_types() -> None:
    settings = parse(stack(MIXED_GROUPS), "stacks/Pulumi.fit.yaml")
    assert [g.ami_type for g in settings.node_groups] == [
        "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_x86_64_NVIDIA",
        "AL2023_ARM_64_NVIDIA"]
    neuron = parse(stack([group("inf", "inf2.xlarge")]), "s").node_groups[0]
    assert neuron.ami_type == "AL2023_x86_64_NEURON"


# --- every misfit: one message, naming the group and the key ----------------------------------

ARM_FITS = "AL2023_ARM_64_STANDARD, BOTTLEROCKET_ARM_64, BOTTLEROCKET_ARM_64_FIPS"
X86_FITS = "AL2023_x86_64_STANDARD, BOTTLEROCKET_x86_64, BOTTLEROCKET_x86_64_FIPS"
MISFITS = [
    (group("g", "m7g.large", amiType="AL2023_x86_64_STANDARD"),
     'nodeGroups[0].amiType = "AL2023_x86_64_STANDARD": node group \'g\': instance types '
     f"m7g.large are arm64, AMI type AL2023_x86_64_STANDARD is x86_64; AMI types that fit: "
     f"{ARM_FITS}"),
    (group("g", "m5.large", amiType="BOTTLEROCKET_ARM_64"),
     'nodeGroups[0].amiType = "BOTTLEROCKET_ARM_64": node group \'g\': instance types '
     f"m5.large are x86_64, AMI type BOTTLEROCKET_ARM_64 is arm64; AMI types that fit: "
     f"{X86_FITS}"),
    (group("g", "m7g.large", "m5.large"),
     'nodeGroups[0].instanceTypes = ["m7g.large", "m5.large"]: node group \'g\': instance '
     f"types mix architectures (arm64: m7g.large, AMI types that fit: {ARM_FITS}; x86_64: "
     f"m5.large, AMI types that fit: {X86_FITS}); a node group runs one AMI, so split it into "
     "one group per architecture"),
    (group("g", "g5.xlarge", amiType="AL2023_x86_64_STANDARD"),
     'nodeGroups[0].amiType = "AL2023_x86_64_STANDARD": node group \'g\': instance types '
     "g5.xlarge have NVIDIA GPUs, which AMI type AL2023_x86_64_STANDARD has no drivers for: "
     "use an NVIDIA AMI type; AMI types that fit: AL2023_x86_64_NVIDIA, "
     "BOTTLEROCKET_x86_64_NVIDIA"),
    (group("g", "m5.large", amiType="AL2023_x86_64_NVIDIA"),
     'nodeGroups[0].amiType = "AL2023_x86_64_NVIDIA": node group \'g\': AMI type '
     "AL2023_x86_64_NVIDIA needs NVIDIA GPUs, but instance types m5.large have none; AMI types "
     f"that fit: {X86_FITS}"),
    (group("g", "c5.xlarge", amiType="AL2023_x86_64_NEURON"),
     'nodeGroups[0].amiType = "AL2023_x86_64_NEURON": node group \'g\': AMI type '
     "AL2023_x86_64_NEURON needs Neuron devices (Inferentia/Trainium), but instance types "
     f"c5.xlarge have none; AMI types that fit: {X86_FITS}"),
    (group("g", "trn1.2xlarge", amiType="BOTTLEROCKET_x86_64"),
     'nodeGroups[0].amiType = "BOTTLEROCKET_x86_64": node group \'g\': instance types '
     "trn1.2xlarge have Neuron devices (Inferentia/Trainium), which AMI type "
     "BOTTLEROCKET_x86_64 has no drivers for: use a Neuron AMI type; AMI types that fit: "
     "AL2023_x86_64_NEURON"),
    (group("g", "mac2.metal"),
     'nodeGroups[0].instanceTypes = ["mac2.metal"]: node group \'g\': instance types '
     "mac2.metal cannot run AMI type AL2023_x86_64_STANDARD: EKS has no AMI for Mac "
     "instances; no AMI type fits them"),
]


@pytest.mark.parametrize(("spec", "line"), MISFITS, ids=lambda v: str(v)[:40])
def test_misfit_is_one_message_naming_group_and_key(spec: dict[str, Any], line: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse(stack([spec]), "stacks/Pulumi.fit.yaml")
    assert info.value.problems == [f"eks-platform:{line}"]


def test_misfit_through_the_plan_cli_is_one_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stack_file = tmp_path / "Pulumi.fit.yaml"
    config = stack([*MIXED_GROUPS, MISFITS[3][0] | {"name": "wrong"}])
    stack_file.write_text(yaml.safe_dump({"config": config}))
    assert main(["plan", "--config-file", str(stack_file)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.splitlines() == [
        f"invalid stack settings in {stack_file}:",
        "  eks-platform:nodeGroups[4].amiType = \"AL2023_x86_64_STANDARD\": node group "
        "'wrong': instance types g5.xlarge have NVIDIA GPUs, which AMI type "
        "AL2023_x86_64_STANDARD has no drivers for: use an NVIDIA AMI type; AMI types that "
        "fit: AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA"]


# --- sizing: DaemonSets that fill the node, targets that maxSize cannot hold ------------------

# m5.large: 3 ENIs x 10 IPv4 -> 29 pods; aws-node and kube-proxy leave 27 for workloads.
SIZING = [
    (group("g", "m5.large", targetPods=100), 'nodeGroups[0].targetPods = 100: node group '
     "'g': targetPods 100 needs 4 nodes of 27 workload pods each (29 max pods - 2 DaemonSet "
     "pods), but maxSize is 3: raise maxSize to 4 or lower targetPods to 81"),
    (group("g", "m5.large", desiredSize=2, daemonSetPodsPerNode=29),
     "nodeGroups[0].daemonSetPodsPerNode = 29: node group 'g': 29 DaemonSet pods per node "
     "leave no room for workload pods on nodes of 29 max pods: lower daemonSetPodsPerNode "
     "below 29 or choose instance types with more max pods"),
    (group("g", "m5.large", targetPods=10, daemonSetPodsPerNode=30),
     "nodeGroups[0].daemonSetPodsPerNode = 30: node group 'g': 30 DaemonSet pods per node "
     "leave no room for workload pods on nodes of 29 max pods: lower daemonSetPodsPerNode "
     "below 29 or choose instance types with more max pods"),
]


@pytest.mark.parametrize(("spec", "line"), SIZING, ids=["target", "desired", "target-ds"])
def test_sizing_errors_are_settings_errors(spec: dict[str, Any], line: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse(stack([spec]), "stacks/Pulumi.fit.yaml")
    assert info.value.problems == [f"eks-platform:{line}"]


def test_platform_daemon_sets_that_fill_small_nodes_name_the_instance_types() -> None:
    """t3.nano: 2 ENIs x 2 IPv4 -> 4 pods, all taken by aws-node, kube-proxy, the pod identity
    agent and the EBS CSI node plugin."""
    assert aws_formula("t3.nano") == 4
    addons = {"podIdentityAgent": {"enabled": True}, "ebsCsiDriver": {"enabled": True}}
    with pytest.raises(SettingsError) as info:
        parse(stack([group("tiny", "t3.nano", desiredSize=1)],
                    **{"eks-platform:addons": addons}), "stacks/Pulumi.fit.yaml")
    assert info.value.problems == [
        'eks-platform:nodeGroups[0].instanceTypes = ["t3.nano"]: node group \'tiny\': 4 '
        "DaemonSet pods per node leave no room for workload pods on nodes of 4 max pods: lower "
        "daemonSetPodsPerNode below 4 or choose instance types with more max pods"]


def test_sizing_follows_the_cni_declaration() -> None:
    """Prefix delegation: m5.large runs 110 pods (calculator's cap for < 30 vCPUs), so the
    same target fits; custom networking drops an ENI, so it needs more nodes."""
    target = group("g", "m5.large", targetPods=100)
    parse(stack([target], **{"eks-platform:cni": {"prefixDelegation": True}}), "s")
    with pytest.raises(SettingsError, match=r"needs 6 nodes of 18 workload pods each \(20 max"):
        parse(stack([target], **{"eks-platform:cni": {"customNetworking": True}}), "s")




# --- live lookups: resolved at deploy offline, the same checks on EC2's answer ----------------



def pretend_table_lacks(monkeypatch: pytest.MonkeyPatch, *types: str) -> None:
    """The table keeps its rows (the mocks answer EC2's lookup from them), but the program
    treats `types` as unknown, as for a type newer than the table."""
    real = maxpods.is_known
    monkeypatch.setattr(maxpods, "is_known", lambda t: t not in types and real(t))




