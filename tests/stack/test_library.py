"""The library as a composing program sees it: validated Args, dependencies that reach the
resources, one import name, and the same graph as the stack program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    SettingsError,
)
from eks_platform.tools.synth import synthesize
from tests.clusters import demo_cluster
from tests.stack.test_settings import BASE, error_for, with_

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


def test_cluster_args_reject_what_the_stack_file_rejects() -> None:
    with pytest.raises(SettingsError) as info:
        EksClusterArgs(name="bad name!", region="mars-1", kubernetes_version="1.20",
                       subnet_ids=["nope"])
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid arguments to EksClusterArgs:"
    keys = [line.split(" = ")[0].strip() for line in lines[1:]]
    assert keys == ["EksClusterArgs.region", "EksClusterArgs.kubernetes_version",
                    "EksClusterArgs.name", "EksClusterArgs.subnet_ids"]
    # Same words as the stack file's message for the same value.
    stack = error_for({**BASE, "aws:region": "mars-1"}).splitlines()[1]
    assert lines[1].split(" = ", 1)[1] == stack.split(" = ", 1)[1]


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


def test_a_second_cni_is_refused() -> None:
    def program() -> None:
        cluster = demo_cluster()
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        with pytest.raises(ValueError, match="exactly one may be on"):
            EksAddon("vpc-cni-2", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))

    synthesize(program, {"aws:region": "us-east-1"})


def test_cluster_exposes_what_other_stacks_need() -> None:
    def program() -> None:
        cluster = demo_cluster()
        assert isinstance(cluster, EksCluster)
        for output in (cluster.cluster_name, cluster.endpoint, cluster.oidc_provider_arn,
                       cluster.cluster_security_group_id, cluster.kubeconfig):
            assert isinstance(output, pulumi.Output)
        assert cluster.region == "us-east-1" and cluster.kubernetes_version == "1.34"

    synthesize(program, {"aws:region": "us-east-1"})


def test_installed_package_is_found_beside_a_projects_own_components(tmp_path: Path) -> None:
    """A Pulumi project with its own `components/` package still imports this one."""
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "__init__.py").write_text("OWN = True\n")
    # The lazy exports resolve without importing Pulumi; what they name is imported by the
    # other tests of this file.
    script = ("import components, eks_platform\n"
              "from eks_platform import max_pods, MaxPodsOptions\n"
              "print(components.OWN, eks_platform.__name__, "
              "{'EksCluster', 'ManagedNodeGroup', 'EksPlatform'} <= set(eks_platform.__all__))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["True", "eks_platform", "True"]


def _dev_by_hand() -> None:
    """stacks/Pulumi.dev.yaml composed through the library API, values written out."""
    from ipaddress import IPv4Network

    from eks_platform import (
        CniSettings,
        EndpointSettings,
        FlowLogsSettings,
        Karpenter,
        KarpenterArgs,
        NodePoolSettings,
        TaintSettings,
        Vpc,
        VpcArgs,
    )

    tags = {"eks-platform/stack": "dev", "eks-platform/cluster": "eks-platform-dev",
            "environment": "dev", "cost-center": "platform"}
    vpc = Vpc("eks-net", VpcArgs(cluster_name="eks-platform-dev", region="us-west-2",
                                 cidr=IPv4Network("10.10.0.0/16"), availability_zones=2,
                                 nat_gateways="single", tags=tags, karpenter_discovery=True,
                                 flow_logs=FlowLogsSettings(enabled=False)))
    cluster = EksCluster("eks", EksClusterArgs(
        name="eks-platform-dev", region="us-west-2",  # the default version, as the stack
        subnet_ids=vpc.private_subnet_ids, tags=tags,
        endpoint=EndpointSettings(public_access=True, public_access_cidrs=["192.0.3.0/24"]),
        logging=["api", "audit", "authenticator"], log_retention_days=90,
        node_volume_kms_key="awsManaged",
        cni=CniSettings(prefix_delegation=True, warm_prefix_target=1)))
    EksAddon("eks-eks-pod-identity-agent", EksAddonArgs(cluster=cluster,
                                                        addon_name="eks-pod-identity-agent"))
    EksAddon("eks-vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
    EksAddon("eks-kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
    ManagedNodeGroup("eks-general", ManagedNodeGroupArgs(
        cluster=cluster, subnet_ids=vpc.egress_subnet_ids, name="general",
        instance_types=["t3.large", "t3a.large", "m5.large"], capacity_type="SPOT",
        min_size=1, max_size=4, target_pods=150))
    system = ManagedNodeGroup("eks-system", ManagedNodeGroupArgs(
        cluster=cluster, subnet_ids=vpc.egress_subnet_ids, name="system",
        instance_types=["t3.large", "t3a.large"], min_size=2, max_size=3,
        labels={"node-role": "system"},
        taints=[TaintSettings(key="CriticalAddonsOnly", value="true", effect="NO_SCHEDULE")]))
    Karpenter("eks-karpenter", KarpenterArgs(cluster=cluster, system_node_group=system, node_pools=[
        NodePoolSettings(name="general", instance_families=["m5", "m6i"],
                         instance_sizes=["large", "xlarge", "2xlarge", "8xlarge"],
                         capacity_types=["spot", "on-demand"],
                         limits={"cpu": 128, "memory": "512Gi"}),
        NodePoolSettings(name="arm", instance_families=["m7g"], instance_sizes=["large", "xlarge"],
                         architectures=["arm64"], capacity_types=["spot"], limits={"cpu": 32}),
    ]))
    EksAddon("eks-coredns", EksAddonArgs(cluster=cluster, addon_name="coredns",
                                         configuration={"replicaCount": 2}))


def _resources(graph: object) -> dict[tuple[str, str], tuple[object, list[str]]]:
    """Custom resources by (type, name): inputs and what they wait for, by name."""
    from eks_platform.tools.synth import Graph

    assert isinstance(graph, Graph)
    names = {r.urn: f"{r.type}::{r.name}" for r in graph.resources}
    return {(r.type, r.name): (r.inputs, sorted(names[u] for u in r.waits_for))
            for r in graph.resources if r.custom}


def test_the_stack_program_and_the_library_make_the_same_dev_graph() -> None:
    from tests.conftest import stack_graph

    by_hand = synthesize(_dev_by_hand, {"aws:region": "us-west-2"})
    assert _resources(by_hand) == _resources(stack_graph("dev"))


def test_every_component_and_args_follows_the_conventions() -> None:
    """Every component passes its depends_on to its children (EksComponent), and every Args
    validates like the stack file (ComponentArgs)."""
    import importlib
    import inspect
    import pkgutil

    import eks_platform
    from eks_platform.component import ComponentArgs, EksComponent

    components, args = [], []
    for module_info in pkgutil.walk_packages(eks_platform.__path__, "eks_platform."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if not inspect.isclass(value) or value.__module__ != module.__name__:
                continue
            if issubclass(value, pulumi.ComponentResource):
                components.append(value)
            elif name.endswith("Args"):
                args.append(value)
    assert len(components) >= 12 and len(args) >= 12
    assert [c.__name__ for c in components if not issubclass(c, EksComponent)] == []
    assert [a.__name__ for a in args if not issubclass(a, ComponentArgs)] == []
