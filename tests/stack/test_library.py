"""The library as a composing program sees it: validated Args, dependencies that reach the
resources, one import name, and the same graph as the stack program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pulumi

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
)
from eks_platform.tools.synth import synthesize

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
















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
        subnet_ids=vpc.private_subnet_ids, tags=tags, api_path=vpc.egress_path,
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
