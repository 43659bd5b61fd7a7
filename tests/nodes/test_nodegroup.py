"""`ManagedNodeGroup` through the library: the stack file's messages, the deploy order it
derives from its cluster, and types the table lacks resolved from EC2 at deploy."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    SettingsError,
)
from eks_platform.tools.plan import render_text
from eks_platform.tools.synth import synthesize
from tests.clusters import demo_cluster
from tests.nodes.test_node_fit import (
    aws_formula,
    group,
    kubelet_config,
    plan,
    pretend_table_lacks,
    stack,
)
from tests.stack.test_settings import error_for, with_

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def test_node_group_args_reject_with_the_stack_files_message() -> None:
    stack = error_for(with_("eks-platform:nodeGroups[0].maxSize", 0)).splitlines()[1]

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        with pytest.raises(SettingsError) as info:
            ManagedNodeGroupArgs(cluster=cluster, name="general", instance_types=["m5.large"],
                                 min_size=1, max_size=0)
        assert str(info.value).splitlines()[1] == (
            "  ManagedNodeGroupArgs.max_size = " + stack.split(" = ", 1)[1])

    synthesize(program, {"aws:region": "us-east-1"})



def test_depends_on_of_a_node_group_reaches_its_node_group_resource() -> None:
    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        gate = aws.iam.Role("gate", assume_role_policy="{}")
        ManagedNodeGroup("apps", ManagedNodeGroupArgs(
            cluster=cluster, name="apps", instance_types=["m5.large"]),
            opts=pulumi.ResourceOptions(depends_on=[gate]))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    gate = graph.one("aws:iam/role:Role", "gate")
    assert gate.urn in graph.one(NODE_GROUP).waits_for
    assert gate.urn in graph.one("aws:ec2/launchTemplate:LaunchTemplate").waits_for



def test_node_groups_wait_for_the_cni_and_kube_proxy_without_wiring() -> None:
    def program() -> None:
        cluster = demo_cluster()
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
        ManagedNodeGroup("apps", ManagedNodeGroupArgs(
            cluster=cluster, name="apps", instance_types=["m5.large"]))
        EksAddon("coredns", EksAddonArgs(cluster=cluster, addon_name="coredns"))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    addons = {a.inputs["addonName"]: a for a in graph.of_type("aws:eks/addon:Addon")}
    group = graph.one(NODE_GROUP)
    assert graph.depends_on(group, addons["vpc-cni"])
    assert graph.depends_on(group, addons["kube-proxy"])
    assert graph.depends_on(addons["coredns"], group)



def test_a_node_group_before_any_cni_is_refused() -> None:
    def program() -> None:
        cluster = demo_cluster()
        with pytest.raises(ValueError, match="has no CNI yet"):
            ManagedNodeGroup("apps", ManagedNodeGroupArgs(
                cluster=cluster, name="apps", instance_types=["m5.large"]))

    synthesize(program, {"aws:region": "us-east-1"})


def test_library_args_get_the_same_sizing_check() -> None:
    problems: list[str] = []

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        try:
            ManagedNodeGroupArgs(cluster=cluster, name="g", instance_types=["m5.large"],
                                 min_size=1, max_size=3, target_pods=100)
        except SettingsError as error:
            problems.extend(error.problems)

    synthesize(program, {"aws:region": "us-east-1"})
    assert problems == [
        "ManagedNodeGroupArgs.target_pods = 100: node group 'g': targetPods 100 needs 4 nodes "
        "of 27 workload pods each (29 max pods - 2 DaemonSet pods), but maxSize is 3: raise "
        "maxSize to 4 or lower targetPods to 81"]


def test_live_group_plans_as_resolved_at_deploy(tmp_path: Path) -> None:
    live = group("live", "m5.large", "x9.large", liveInstanceTypeLookup=True, maxSize=2)
    graph = plan(tmp_path, stack([group("arm", "m7g.large"), live]))
    lines = [line for line in render_text(graph, "fit").splitlines()
             if line.startswith("  live:")]
    assert lines == ["  live: instance types m5.large, x9.large; max pods resolved at deploy; "
                     "min/desired/max 1/resolved at deploy/2; ON_DEMAND; "
                     "amiType resolved at deploy"]
    assert [args["instanceType"] for token, args in graph.invokes
            if token == "aws:ec2/getInstanceType:getInstanceType"] == ["x9.large"]


def test_live_group_derives_its_ami_type_from_ec2(monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_table_lacks(monkeypatch, "g5.xlarge")

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        node_group = ManagedNodeGroup("gpu", ManagedNodeGroupArgs(
            cluster=cluster, name="gpu", instance_types=["g5.xlarge"],
            live_instance_type_lookup=True, min_size=0, max_size=2))
        pulumi.export("ami", node_group.ami_type)
        pulumi.export("maxPods", node_group.max_pods)

    graph = synthesize(program, {"aws:region": "us-east-1"})
    assert graph.outputs == {"ami": "AL2023_x86_64_NVIDIA", "maxPods": aws_formula("g5.xlarge")}
    config = kubelet_config(graph, "gpu")
    # g5.xlarge: 4 vCPUs -> 60 + 10 + 5 + 5 millicores (EKS's kube-reserved cpu rule).
    assert config["kubeReserved"] == {"cpu": "80m", "ephemeral-storage": "1Gi",
                                      "memory": f"{11 * 58 + 255}Mi"}


def test_live_misfit_fails_the_deployment_with_one_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_table_lacks(monkeypatch, "g5.xlarge")

    def program() -> None:
        cluster = demo_cluster(bootstrap_self_managed_addons=True)
        ManagedNodeGroup("gpu", ManagedNodeGroupArgs(
            cluster=cluster, name="gpu", instance_types=["g5.xlarge"],
            ami_type="BOTTLEROCKET_x86_64", live_instance_type_lookup=True, max_size=2))

    with pytest.raises(Exception) as info:
        synthesize(program, {"aws:region": "us-east-1"})
    error: BaseException | None = info.value
    while error is not None and not isinstance(error, pulumi.RunError):
        error = error.__cause__ or error.__context__
    assert str(error) == (
        "node group 'gpu': instance types g5.xlarge have NVIDIA GPUs, which AMI type "
        "BOTTLEROCKET_x86_64 has no drivers for: use an NVIDIA AMI type; AMI types that fit: "
        "AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA (amiType = BOTTLEROCKET_x86_64; "
        "instance data from EC2 at deploy, liveInstanceTypeLookup)")


def test_every_misfit_at_deploy_is_named_with_its_own_key() -> None:
    """Several problems of one group found from EC2's answer: each keeps its key and value in
    its own parentheses. t3.small: 11 max pods (eni-max-pods.txt), 7 per node beside 4
    DaemonSets, so 100 pods need 15 nodes; a Bottlerocket NVIDIA AMI has no GPU to drive."""
    from eks_platform.nodes import maxpods
    from eks_platform.nodes.nodegroup import resolve_at_deploy
    from eks_platform.nodes.settings import NodeGroupSettings

    spec = NodeGroupSettings(name="apps", instance_types=["t3.small"], min_size=1, max_size=2,
                             target_pods=100, ami_type="BOTTLEROCKET_x86_64_NVIDIA")
    with pytest.raises(pulumi.RunError) as info:
        resolve_at_deploy(spec, [maxpods.lookup("t3.small")],
                          maxpods.MaxPodsOptions(cni_version="1.19.0"), 4)
    message = str(info.value)
    suffix = "; instance data from EC2 at deploy, liveInstanceTypeLookup)"
    assert message.count(suffix) == 2
    assert "(amiType = BOTTLEROCKET_x86_64_NVIDIA" + suffix in message
    assert "needs 15 nodes of 7 workload pods each" in message
    assert message.endswith("(targetPods = 100" + suffix)
