"""The shipped Auto Mode stack (stacks/Pulumi.automode.yaml) and a variant beside a managed
node group, on their recorded graphs. Expected names are the EKS guide's and moto's, written
out; API shapes are botocore's."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from botocore.model import StructureShape

from eks_platform.tools.plan import render_text
from eks_platform.tools.synth import Graph, RecordedResource, synthesize_program
from eks_platform.tools.synth.mocks import ACCOUNT
from tests.aws_models import check_against, service_model
from tests.conftest import ROOT, stack_graph

CLUSTER = "aws:eks/cluster:Cluster"
ADDON = "aws:eks/addon:Addon"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ENTRY = "aws:eks/accessEntry:AccessEntry"
ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
NODE_CLASS = "kubernetes:eks.amazonaws.com/v1:NodeClass"
NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"


def role_of(graph: Graph, arn: str) -> RecordedResource:
    prefix = f"arn:aws:iam::{ACCOUNT}:role/"
    return next(r for r in graph.of_type(ROLE) if prefix + r.name == arn)


def policies_of(graph: Graph, role: RecordedResource) -> set[str]:
    return {a.inputs["policyArn"] for a in graph.of_type(ATTACHMENT)
            if a.inputs["role"] == role.name}


def variant(name: str, **config: Any) -> Graph:
    """The automode stack with `eks-platform:<key>` settings added."""
    document = yaml.safe_load((ROOT / "stacks" / "Pulumi.automode.yaml").read_text())
    document["config"].update({f"eks-platform:{k}": v for k, v in config.items()})
    path = Path(tempfile.mkdtemp()) / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump(document))
    return synthesize_program(ROOT / "__main__.py", path)


@cache
def beside_node_group() -> Graph:
    """The automode stack plus one managed node group."""
    return variant("automode-mng", nodeGroups=[
        {"name": "legacy", "instanceTypes": ["m5.large"], "minSize": 1, "maxSize": 3}])


# --- an Auto Mode stack with no node groups ----------------------------------------------------

def test_all_three_switches_on_with_both_built_in_pools() -> None:
    inputs = stack_graph("automode").one(CLUSTER).inputs
    assert inputs["computeConfig"]["enabled"] is True
    assert inputs["computeConfig"]["nodePools"] == ["system", "general-purpose"]
    assert inputs["storageConfig"] == {"blockStorage": {"enabled": True}}
    assert inputs["kubernetesNetworkConfig"]["elasticLoadBalancing"] == {"enabled": True}
    assert inputs["accessConfig"]["authenticationMode"] in ("API", "API_AND_CONFIG_MAP")
    assert inputs["bootstrapSelfManagedAddons"] is False


def test_the_node_role_has_the_two_node_policies() -> None:
    graph = stack_graph("automode")
    role = role_of(graph, graph.one(CLUSTER).inputs["computeConfig"]["nodeRoleArn"])
    # EKS user guide, auto-learn-iam: the Auto Mode node IAM role; both at path / (moto).
    assert policies_of(graph, role) == {
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"}
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert role.inputs["name"] == "eks-platform-automode-eks-auto-node"


def test_the_cluster_role_has_five_policies_and_tag_session() -> None:
    graph = stack_graph("automode")
    role = role_of(graph, graph.one(CLUSTER).inputs["roleArn"])
    assert policies_of(graph, role) == {f"arn:aws:iam::aws:policy/{name}" for name in (
        "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy")}
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]


def test_what_auto_mode_runs_is_not_made() -> None:
    graph = stack_graph("automode")
    names = {a.inputs["addonName"] for a in graph.of_type(ADDON)}
    assert not names & {"vpc-cni", "kube-proxy", "aws-ebs-csi-driver",
                        "eks-pod-identity-agent", "coredns"}
    assert not graph.of_type("kubernetes:helm.sh/v3:Release")  # no Helm CNI, no Karpenter
    assert not graph.of_type("eks-platform:karpenter:Karpenter")
    assert not graph.of_type("aws:eks/nodeGroup:NodeGroup")


def test_bootstrap_self_managed_addons_is_never_changed_on_a_running_cluster() -> None:
    # terraform-provider-aws#40411: a change replaces the cluster.
    assert "bootstrapSelfManagedAddons" in stack_graph("automode").one(CLUSTER).ignore_changes


# --- custom pools --------------------------------------------------------------------------

def test_custom_pools_on_a_package_node_class_with_an_ec2_access_entry() -> None:
    graph = stack_graph("automode")
    node_class = graph.one(NODE_CLASS)
    assert node_class.inputs["apiVersion"] == "eks.amazonaws.com/v1"
    spec = node_class.inputs["spec"]
    role = next(r for r in graph.of_type(ROLE) if r.name == spec["role"])
    assert role is not role_of(graph, graph.one(CLUSTER).inputs["computeConfig"]["nodeRoleArn"])
    assert {"id": "sg-0cluster"} in spec["securityGroupSelectorTerms"]
    (pool,) = graph.of_type(NODE_POOL)
    template = pool.inputs["spec"]["template"]["spec"]
    assert template["nodeClassRef"] == {"group": "eks.amazonaws.com", "kind": "NodeClass",
                                        "name": node_class.inputs["metadata"]["name"]}
    assert template["expireAfter"] == "336h"  # create-node-pool.adoc default
    assert pool.inputs["spec"]["limits"] == {"cpu": "64"}
    arn = f"arn:aws:iam::{ACCOUNT}:role/{role.name}"
    (entry,) = [e for e in graph.of_type(ENTRY) if e.inputs["principalArn"] == arn]
    assert entry.inputs["type"] == "EC2"
    (association,) = [a for a in graph.of_type(ASSOCIATION) if a.inputs["principalArn"] == arn]
    assert association.inputs["policyArn"] == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy")
    assert association.inputs["accessScope"] == {"type": "cluster"}
    assert graph.depends_on(node_class, association) and graph.depends_on(pool, node_class)


def test_the_plan_states_pods_per_node_with_the_source() -> None:
    text = render_text(stack_graph("automode"), "automode")
    # m6i/m7i large..2xlarge with /28 prefixes exceed 110; Auto Mode caps at 110.
    assert "    batch: 110 pods per node (m6i.2xlarge, m6i.large, m6i.xlarge, m7i.2xlarge, " \
           "m7i.large, m7i.xlarge)" in text
    assert "automode/create-node-class.adoc (110-pod cap" in text
    assert "built-in node pools: system, general-purpose" in text
    assert "Karpenter NodePools" not in text


# --- beside a managed node group -----------------------------------------------------------

def test_beside_a_managed_node_group_its_add_ons_stay() -> None:
    graph = beside_node_group()
    names = {a.inputs["addonName"] for a in graph.of_type(ADDON)}
    assert {"vpc-cni", "kube-proxy", "coredns"} <= names
    assert graph.one(CLUSTER).inputs["computeConfig"]["enabled"] is True
    (group,) = graph.of_type("aws:eks/nodeGroup:NodeGroup")
    vpc_cni = next(a for a in graph.of_type(ADDON) if a.inputs["addonName"] == "vpc-cni")
    assert graph.depends_on(group, vpc_cni)


# --- the inputs against botocore's EKS model --------------------------------------------------

def test_auto_mode_inputs_are_botocores_create_cluster_members() -> None:
    request = service_model("eks").operation_model("CreateCluster").input_shape
    assert isinstance(request, StructureShape)
    inputs = stack_graph("automode").one(CLUSTER).inputs
    for member in ("computeConfig", "storageConfig", "kubernetesNetworkConfig"):
        value = {k: v for k, v in inputs[member].items() if k != "nodeRoleArn"}
        check_against(request.members[member], value, member)


def test_the_create_cluster_request_passes_the_conformance_harness() -> None:
    """The Auto Mode members as EKS receives them (CreateCluster), through botocore's checks
    plus enum, pattern and max (tests/conformance)."""
    from tests.conformance.botocore_shapes import validate_request

    inputs = stack_graph("automode").one(CLUSTER).inputs
    request = {"name": inputs["name"], "roleArn": inputs["roleArn"],
               "resourcesVpcConfig": {"subnetIds": ["subnet-0a", "subnet-0b"]},
               "computeConfig": inputs["computeConfig"], "storageConfig": inputs["storageConfig"],
               "kubernetesNetworkConfig": inputs["kubernetesNetworkConfig"],
               "accessConfig": {"authenticationMode": inputs["accessConfig"][
                   "authenticationMode"]},
               "bootstrapSelfManagedAddons": inputs["bootstrapSelfManagedAddons"]}
    assert validate_request("eks", "CreateCluster", request) == []


def test_the_node_pool_passes_karpenters_nodepool_crd() -> None:
    from tests.conformance.crds import validate

    (pool,) = stack_graph("automode").of_type(NODE_POOL)
    manifest = {"apiVersion": pool.inputs["apiVersion"], "kind": pool.inputs["kind"],
                "metadata": pool.inputs["metadata"], "spec": pool.inputs["spec"]}
    assert validate(manifest) == []


def test_the_node_class_uses_the_node_subnets_and_no_restricted_tag() -> None:
    graph = stack_graph("automode")
    spec = graph.one(NODE_CLASS).inputs["spec"]
    private = sorted(f"{s.name}-id" for s in graph.of_type("aws:ec2/subnet:Subnet")
                     if "kubernetes.io/role/internal-elb" in s.inputs["tags"])
    assert sorted(term["id"] for term in spec["subnetSelectorTerms"]) == private
    # create-node-class.adoc: kubernetes.io/cluster/*, karpenter.sh/*, eks.amazonaws.com/nodeclass
    assert not [k for k in spec["tags"] if k.startswith(("kubernetes.io/cluster/", "karpenter.sh/",
                                                         "eks.amazonaws.com/nodeclass"))]
    assert graph.outputs["cniMode"] == "autoMode"


def test_restricted_node_class_tags_are_dropped() -> None:
    from eks_platform.cluster.auto_mode_component import allowed_tags

    assert allowed_tags({"kubernetes.io/cluster/demo": "owned", "karpenter.sh/nodepool": "a",
                         "eks.amazonaws.com/nodeclass": "b", "team": "platform"}) == {
        "team": "platform"}


def test_hybrid_nodes_beside_auto_mode_keep_kube_proxy_and_the_asked_coredns() -> None:
    graph = variant("automode-hybrid", hybridNodes={"remoteNodeNetworks": ["192.168.0.0/16"]},
                    addons={"coredns": {"replicaCount": 2}})
    by_name = {a.inputs["addonName"]: a for a in graph.of_type(ADDON)}
    assert set(by_name) == {"kube-proxy", "coredns"}  # hybrid-nodes-add-ons.adoc
    assert graph.depends_on(by_name["coredns"], graph.one(CLUSTER))
    assert [e.inputs["type"] for e in graph.of_type(ENTRY)].count("HYBRID_LINUX") == 1


def test_what_the_provider_would_replace_is_guarded() -> None:
    """The provider's rules (facts/replacements.json, from terraform-provider-aws): a changed
    bootstrapSelfManagedAddons replaces the cluster (hence ignoreChanges), and so does another
    node role while Auto Mode is on (hence the guard's refusal)."""
    from eks_platform.facts.replacements import replace_fields

    inputs = stack_graph("automode").one(CLUSTER).inputs
    assert replace_fields(CLUSTER, ["bootstrapSelfManagedAddons"]) == [
        "bootstrapSelfManagedAddons"]
    other = {**inputs, "computeConfig": {**inputs["computeConfig"],
                                         "nodeRoleArn": "arn:aws:iam::123456789012:role/other"}}
    assert replace_fields(CLUSTER, ["computeConfig"], old=inputs, new=other) == [
        "computeConfig.nodeRoleArn"]


def test_the_json_plan_gives_each_auto_mode_pools_pods_per_node() -> None:
    from eks_platform.tools.plan import to_json

    (pool,) = to_json(stack_graph("automode"))["autoModePools"]
    assert (pool["name"], pool["podsPerNode"]) == ("batch", [110])
    assert "create-node-class.adoc" in pool["source"]
