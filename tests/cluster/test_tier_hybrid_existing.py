"""Library programs: a tier and a hybrid network reach the cluster inputs, an add-on in its own
namespace previews a change as a replace, and components attach to a cluster this program did
not create (looked up by name, or named by another stack's outputs)."""

from __future__ import annotations

import json
from functools import cache

import pytest
from botocore.model import StructureShape

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    ExistingCluster,
    ExistingClusterArgs,
    HybridNodesSettings,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    SettingsError,
)
from eks_platform.tools.plan import render_text
from eks_platform.tools.synth import Graph, synthesize
from eks_platform.tools.synth.mocks import ACCOUNT
from tests.aws_models import check_against, service_model
from tests.clusters import demo_cluster
from tests.conformance.botocore_shapes import validate_request
from tests.policy_eval import Request, decision

CLUSTER = "aws:eks/cluster:Cluster"
ADDON = "aws:eks/addon:Addon"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
CONFIG = {"aws:region": "us-east-1"}


@cache
def tier_and_hybrid() -> Graph:
    def program() -> None:
        demo_cluster(kubernetes_version="1.35", control_plane_tier="tier-xl",
                     hybrid_nodes=HybridNodesSettings(remote_node_networks=["192.168.0.0/16"],
                                                      remote_pod_networks=["172.16.0.0/16"]))
    return synthesize(program, CONFIG)


def test_a_tier_and_a_hybrid_network_reach_the_cluster_inputs() -> None:
    inputs = tier_and_hybrid().one(CLUSTER).inputs
    assert inputs["controlPlaneScalingConfig"] == {"tier": "tier-xl"}
    assert inputs["remoteNetworkConfig"] == {
        "remoteNodeNetworks": {"cidrs": ["192.168.0.0/16"]},
        "remotePodNetworks": {"cidrs": ["172.16.0.0/16"]}}
    assert "computeConfig" not in inputs  # no autoMode key: Auto Mode's inputs stay unset
    # As EKS receives them: pulumi_aws's single blocks are the API's one-item lists.
    remote = {key: [block] for key, block in inputs["remoteNetworkConfig"].items()}
    request = {"name": "demo", "roleArn": inputs["roleArn"],
               "resourcesVpcConfig": {"subnetIds": inputs["vpcConfig"]["subnetIds"]},
               "controlPlaneScalingConfig": inputs["controlPlaneScalingConfig"],
               "remoteNetworkConfig": remote}
    assert validate_request("eks", "CreateCluster", request) == []


def test_hybrid_nodes_role_access_entry_and_security_group() -> None:
    graph = tier_and_hybrid()
    role = next(r for r in graph.of_type("aws:iam/role:Role") if r.name == "demo-hybrid-nodes")
    arn = f"arn:aws:iam::{ACCOUNT}:role/{role.name}"
    (entry,) = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
                if e.inputs["principalArn"] == arn]
    assert entry.inputs["type"] == "HYBRID_LINUX"
    # hybrid-nodes-cluster-prep: no access policy for the hybrid nodes role.
    assert not [a for a in graph.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
                if a.inputs["principalArn"] == arn]
    # hybrid-nodes-creds.adoc: SSM assumes it for this account's hybrid activations only.
    trust = role.inputs["assumeRolePolicy"]
    ours = {"aws:SourceAccount": ACCOUNT,
            "aws:SourceArn": f"arn:aws:ssm:us-east-1:{ACCOUNT}:activation/a"}
    theirs = {"aws:SourceAccount": "210987654321",
              "aws:SourceArn": "arn:aws:ssm:us-east-1:210987654321:activation/a"}
    assert decision(trust, Request("sts:AssumeRole", service="ssm.amazonaws.com",
                                   context=ours)) == "Allow"
    assert decision(trust, Request("sts:AssumeRole", service="ssm.amazonaws.com",
                                   context=theirs)) == "NotAllowed"
    assert decision(trust, Request("sts:AssumeRole", service="ec2.amazonaws.com",
                                   context=ours)) == "NotAllowed"
    (inline,) = graph.of_type("aws:iam/rolePolicy:RolePolicy")
    describe = next(s for s in json.loads(inline.inputs["policy"])["Statement"]
                    if s["Action"] == ["eks:DescribeCluster"])
    assert describe["Resource"] == f"arn:aws:eks:us-east-1:{ACCOUNT}:cluster/demo"
    ingress = {(r.inputs["cidrIpv4"], r.inputs["fromPort"])
               for r in graph.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")}
    assert {("192.168.0.0/16", 443), ("172.16.0.0/16", 443)} <= ingress


def test_the_plan_shows_what_the_tier_buys_with_its_source() -> None:
    text = render_text(tier_and_hybrid(), "library")
    # EKS user guide, eks-provisioned-control-plane-introduction: XL on 1.30 and later.
    assert ("control plane tier tier-xl: 1700 API request concurrency seats, 167 pods "
            "scheduled/s, 16 GB etcd [awsdocs/amazon-eks-user-guide latest/ug/clusters/"
            "eks-provisioned-control-plane-introduction.adoc") in text
    assert "hybrid nodes from 192.168.0.0/16, pods 172.16.0.0/16" in text


def test_a_public_hybrid_network_is_refused_in_the_library_too() -> None:
    with pytest.raises(SettingsError, match=r"remote_node_networks = .*outside the RFC 1918"):
        HybridNodesSettings(remote_node_networks=["8.8.8.0/24"])


# --- a cluster this program did not create ---------------------------------------------------

def _attach(args: ExistingClusterArgs) -> None:
    cluster = ExistingCluster("shared", args)
    ManagedNodeGroup("batch", ManagedNodeGroupArgs(
        cluster=cluster, name="batch", instance_types=["m5.large"], min_size=1, max_size=3))
    EksAddon("metrics", EksAddonArgs(cluster=cluster, addon_name="metrics-server",
                                     namespace="monitoring"))


@cache
def by_name() -> Graph:
    return synthesize(lambda: _attach(ExistingClusterArgs(
        name="team-a", region="us-east-1", kubernetes_version="1.35")), CONFIG,
        live_clusters={"team-a": "1.35"})


def test_a_node_group_is_added_to_an_existing_cluster_looked_up_by_name() -> None:
    graph = by_name()
    assert not graph.of_type(CLUSTER)  # read, never registered: nothing of it changes
    assert not graph.of_type("aws:eks/accessEntry:AccessEntry")
    group = graph.one(NODE_GROUP)
    assert group.inputs["clusterName"] == "team-a"
    # The mocks answer the read with the running cluster's own subnets.
    assert group.inputs["subnetIds"] == ["subnet-0team-aa", "subnet-0team-ab"]
    assert group.inputs["version"] == "1.35"


def test_an_existing_cluster_named_by_another_stacks_outputs() -> None:
    outputs = {"clusterName": "team-b", "clusterSecurityGroupId": "sg-0b",
               "privateSubnetIds": ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]}
    graph = synthesize(lambda: _attach(ExistingClusterArgs(
        name="team-b", region="us-east-1", kubernetes_version="1.35",
        stack="acme/eks-platform/prod")), CONFIG,
        stack_outputs={"acme/eks-platform/prod": (outputs, set())},
        live_clusters={"team-b": "1.35"})
    group = graph.one(NODE_GROUP)
    assert group.inputs["clusterName"] == "team-b"
    assert group.inputs["subnetIds"] == outputs["privateSubnetIds"]


def test_an_add_on_namespace_change_previews_as_a_replace() -> None:
    graph = by_name()
    addon = graph.one(ADDON)
    assert addon.inputs["namespaceConfig"] == {"namespace": "monitoring"}
    assert addon.replace_on_changes == ["namespaceConfig"]
    request = service_model("eks").operation_model("CreateAddon").input_shape
    assert isinstance(request, StructureShape)
    check_against(request.members["namespaceConfig"], addon.inputs["namespaceConfig"],
                  "namespaceConfig")
    assert "namespace monitoring; changing it deletes and re-creates the add-on" in render_text(
        graph, "library")


def test_the_library_refuses_moving_a_kube_system_add_on() -> None:
    def program() -> None:
        EksAddon("proxy", EksAddonArgs(cluster=demo_cluster(), addon_name="kube-proxy",
                                       namespace="net"))
    with pytest.raises(Exception, match=r"EksAddonArgs.namespace = \"net\": kube-proxy stays "
                                        "in kube-system"):
        synthesize(program, CONFIG)


def _karpenter_and_auto_pools(migrating: bool) -> None:
    from eks_platform import (
        AutoModeNodePools,
        AutoModeNodePoolsArgs,
        AutoModeSettings,
        Karpenter,
        KarpenterArgs,
        NodePoolSettings,
    )
    from eks_platform.addons.settings import AddonsSettings, OptionalAddonSettings

    cluster = ExistingCluster("shared", ExistingClusterArgs(
        name="team-a", region="us-east-1", kubernetes_version="1.35",
        subnet_ids=["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        addons=AddonsSettings(pod_identity_agent=OptionalAddonSettings(enabled=True)),
        auto_mode=AutoModeSettings(enabled=True, migrating_from_karpenter=migrating)))
    system = ManagedNodeGroup("sys", ManagedNodeGroupArgs(
        cluster=cluster, name="sys", instance_types=["m5.large"], min_size=2, max_size=3,
        labels={"role": "system"}))
    Karpenter("karpenter", KarpenterArgs(cluster=cluster, system_node_group=system,
                                         node_pools=[NodePoolSettings(
                                             name="gp", instance_types=["m5.large"])]))
    AutoModeNodePools("auto", AutoModeNodePoolsArgs(cluster=cluster, node_pools=[
        NodePoolSettings(name="am", instance_types=["m5.large"])]))


def test_karpenter_and_auto_mode_pools_attach_to_an_existing_cluster() -> None:
    graph = synthesize(lambda: _karpenter_and_auto_pools(migrating=True), CONFIG,
                       live_clusters={"team-a": "1.35"})
    spec = graph.one("kubernetes:eks.amazonaws.com/v1:NodeClass").inputs["spec"]
    assert spec["subnetSelectorTerms"] == [{"id": "subnet-0aaaaaaaaaaaaaaa1"},
                                           {"id": "subnet-0aaaaaaaaaaaaaaa2"}]
    association = graph.one("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert association.inputs["clusterName"] == "team-a"
    assert len(graph.of_type("kubernetes:karpenter.sh/v1:NodePool")) == 2
    assert not graph.of_type(CLUSTER)


def test_karpenter_beside_auto_mode_needs_the_migration_in_the_library_too() -> None:
    with pytest.raises(Exception, match=r"KarpenterArgs.cluster = .*unless "
                                        r"autoMode\.migratingFromKarpenter: true"):
        synthesize(lambda: _karpenter_and_auto_pools(migrating=False), CONFIG,
                   live_clusters={"team-a": "1.35"})


def test_an_existing_cluster_running_another_version_is_refused() -> None:
    with pytest.raises(Exception, match=r"ExistingCluster team-a runs Kubernetes 1\.36, not "
                                        r"kubernetesVersion 1\.35"):
        synthesize(lambda: _attach(ExistingClusterArgs(
            name="team-a", region="us-east-1", kubernetes_version="1.35")), CONFIG,
            live_clusters={"team-a": "1.36"})


def test_every_new_policy_document_passes_the_iam_validator() -> None:
    """Trust and inline policies of the hybrid nodes role, and of the Auto Mode roles (moto's
    IAM validator, statement by statement: tests/conformance)."""
    from tests.conformance.iam import validate_policy
    from tests.conftest import stack_graph

    graphs = (tier_and_hybrid(), stack_graph("automode"))
    roles = sorted(r.name for g in graphs for r in g.of_type("aws:iam/role:Role"))
    assert roles == ["demo-cluster", "demo-hybrid-nodes", "eks-auto-node", "eks-builtin-node",
                     "eks-cluster"]
    every_role = [r for g in graphs for r in g.of_type("aws:iam/role:Role")]
    for role in every_role:
        assert validate_policy(role.inputs["assumeRolePolicy"], "trust") == [], role.name
    (inline,) = tier_and_hybrid().of_type("aws:iam/rolePolicy:RolePolicy")
    assert validate_policy(inline.inputs["policy"], "identity", max_chars=10240) == []
