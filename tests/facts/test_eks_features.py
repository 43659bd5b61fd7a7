"""EKS feature facts (issue #19) against the sources that can be loaded here: botocore's EKS
model, moto's AWS-managed policy catalogue and the pulumi_aws SDK; the guide's figures as
literal expectations."""

from __future__ import annotations

import functools
import inspect
import json
import re
from typing import Any

import botocore.session
import pulumi_aws.eks as aws_eks
import pytest
from botocore.model import ListShape, ServiceModel, Shape, StringShape, StructureShape
from moto.iam.aws_managed_policies import aws_managed_policies_data

from eks_platform.facts import eks_features as f


@functools.cache
def eks_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("eks")


def enum(shape_name: str) -> list[str]:
    shape = eks_model().shape_for(shape_name)
    assert isinstance(shape, StringShape)
    return list(shape.enum)


def member(root: Shape, path: str) -> Shape:
    """The shape at a dotted `path` below `root`; `name[]` steps into a list's member."""
    shape = root
    for part in path.split("."):
        name = part.removesuffix("[]")
        assert isinstance(shape, StructureShape), f"{path}: {shape.name} is not a structure"
        assert name in shape.members, f"{path}: {shape.name} has no member {name}"
        shape = shape.members[name]
        if part.endswith("[]"):
            assert isinstance(shape, ListShape), f"{path}: {shape.name} is not a list"
            shape = shape.member
    return shape


def input_shape(operation: str) -> StructureShape:
    shape = eks_model().operation_model(operation).input_shape
    assert isinstance(shape, StructureShape)
    return shape


@functools.cache
def moto_policy_arns() -> frozenset[str]:
    policies: dict[str, dict[str, Any]] = json.loads(aws_managed_policies_data)
    return frozenset(f"arn:aws:iam::aws:policy{p['Path']}{name}" for name, p in policies.items())


# botocore ---------------------------------------------------------------------------------------


def test_enums_match_botocore() -> None:
    assert tuple(enum("AuthenticationMode")) == f.AUTHENTICATION_MODES
    assert tuple(enum("ProvisionedControlPlaneTier")) == f.CONTROL_PLANE_TIERS
    assert set(f.AUTO_MODE_AUTHENTICATION_MODES) <= set(f.AUTHENTICATION_MODES)
    assert set(f.HYBRID_AUTHENTICATION_MODES) <= set(f.AUTHENTICATION_MODES)
    assert f.HYBRID_IP_FAMILY in enum("IpFamily")


def test_access_entry_types_match_botocore_documentation() -> None:
    # `type` is a plain string in the model; its documentation lists the values.
    doc = input_shape("CreateAccessEntry").members["type"].documentation
    text = re.sub(r"<[^>]+>", "", doc)
    match = re.search(r"Valid values are (.+?)\.", text)
    assert match is not None
    listed = re.sub(r"\([^)]*\)", "", match[1]).replace(" and ", ", ")
    assert tuple(v.strip() for v in listed.split(",") if v.strip()) == f.ACCESS_ENTRY_TYPES
    assert f.AUTO_NODE_ACCESS_ENTRY_TYPE in f.ACCESS_ENTRY_TYPES
    assert f.HYBRID_ACCESS_ENTRY_TYPE in f.ACCESS_ENTRY_TYPES


@pytest.mark.parametrize("operation", ["CreateCluster", "UpdateClusterConfig"])
@pytest.mark.parametrize("field", f.CLUSTER_API_FIELDS, ids=lambda a: a.path)
def test_cluster_fields_match_botocore(operation: str, field: f.ApiField) -> None:
    shape = member(input_shape(operation), field.path)
    assert (shape.type_name, shape.name) == (field.type_name, field.shape)


@pytest.mark.parametrize("field", f.ADDON_API_FIELDS, ids=lambda a: a.path)
def test_addon_fields_match_botocore(field: f.ApiField) -> None:
    shape = member(input_shape("CreateAddon"), field.path)
    assert (shape.type_name, shape.name) == (field.type_name, field.shape)


def test_namespace_is_set_at_creation_only() -> None:
    assert "namespaceConfig" in input_shape("CreateAddon").members
    assert "namespaceConfig" not in input_shape("UpdateAddon").members
    assert f.ADDON_NAMESPACE_CHANGE_REPLACES
    shape = member(input_shape("CreateAddon"), "namespaceConfig.namespace")
    assert (shape.metadata["min"], shape.metadata["max"]) == f.ADDON_NAMESPACE_LENGTH
    member(eks_model().shape_for("AddonInfo"), "defaultNamespace")


def test_remote_network_limits_match_botocore() -> None:
    for name in ("RemoteNodeNetworkList", "RemotePodNetworkList"):
        assert eks_model().shape_for(name).metadata["max"] == f.REMOTE_NETWORK_LIST_MAX
    cidrs = member(input_shape("CreateCluster"), "remoteNetworkConfig.remoteNodeNetworks[].cidrs")
    assert "max" not in cidrs.metadata  # the CIDR list itself is unbounded in the model
    doc = eks_model().shape_for("RemoteNodeNetwork").documentation
    assert "RFC-1918" in doc
    assert "Minimum allowed size is /32, maximum allowed size is /8" in doc
    assert f.HYBRID_PREFIX_RANGE == (8, 32)


def test_node_role_is_documented_immutable_in_botocore() -> None:
    doc = member(eks_model().shape_for("ComputeConfigRequest"), "nodeRoleArn").documentation
    assert "cannot be changed after the compute capability" in doc
    assert f.AUTO_MODE_NODE_ROLE_IMMUTABLE


def test_remote_networks_are_documented_updatable_in_botocore() -> None:
    doc = eks_model().shape_for("RemoteNetworkConfigRequest").documentation
    assert "add, change, or remove this configuration after the cluster is created" in doc
    assert f.HYBRID_REMOTE_NETWORKS_UPDATABLE


def test_gateway_api_is_in_botocore_but_not_in_pulumi_aws() -> None:
    for path in f.PULUMI_MISSING:
        member(input_shape("CreateCluster"), path)  # exists in the API
        assert path not in f.PULUMI_INPUTS
    fields = inspect.signature(
        aws_eks.ClusterKubernetesNetworkConfigElasticLoadBalancingArgs.__init__).parameters
    assert "gateway_api" not in fields


# pulumi_aws ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(f.PULUMI_INPUTS))
def test_pulumi_inputs_exist(path: str) -> None:
    api_paths = {a.path for a in (*f.CLUSTER_API_FIELDS, *f.ADDON_API_FIELDS)}
    assert path in api_paths
    target = f.PULUMI_INPUTS[path]
    parameters = inspect.signature(getattr(aws_eks, target.owner).__init__).parameters
    assert target.field in parameters
    if target.args_class is not None:
        assert hasattr(aws_eks, target.args_class)
        assert target.args_class in str(parameters[target.field].annotation)


def test_pulumi_args_classes_match_structures() -> None:
    types = {a.path: a.type_name for a in (*f.CLUSTER_API_FIELDS, *f.ADDON_API_FIELDS)}
    for path, target in f.PULUMI_INPUTS.items():
        # A structure takes an *Args class; so does a one-item list of structures, which
        # pulumi_aws flattens to one block (remoteNodeNetworks, remotePodNetworks).
        takes_block = types[path] == "structure" or types.get(f"{path}[]") == "structure"
        assert (target.args_class is not None) == takes_block, path


# IAM -------------------------------------------------------------------------------------------


def test_managed_policies_exist_in_moto_with_their_paths() -> None:
    policies = (*f.AUTO_MODE_CLUSTER_POLICIES, *f.AUTO_MODE_NODE_POLICIES,
                *f.HYBRID_ROLE_POLICIES,
                *(p for c in f.HYBRID_CREDENTIALS.values() for p in c.managed_policies))
    for policy in policies:
        assert policy.arn() in moto_policy_arns(), policy
        assert policy.path == "/"  # none of them is under /service-role/
    assert f.ManagedPolicy("AmazonEKSComputePolicy").arn("aws-cn") == (
        "arn:aws-cn:iam::aws:policy/AmazonEKSComputePolicy")


def test_auto_mode_iam_from_the_guide() -> None:
    assert [p.name for p in f.AUTO_MODE_CLUSTER_POLICIES] == [
        "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"]
    assert [p.name for p in f.AUTO_MODE_NODE_POLICIES] == [
        "AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"]
    assert f.AUTO_MODE_CLUSTER_TRUST.service == "eks.amazonaws.com"
    assert f.AUTO_MODE_CLUSTER_TRUST.actions == ("sts:AssumeRole", "sts:TagSession")
    assert f.AUTO_MODE_NODE_TRUST.actions == ("sts:AssumeRole",)
    assert f.access_policy_arn(f.AUTO_NODE_ACCESS_POLICY) == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy")


# Auto Mode -------------------------------------------------------------------------------------


def test_auto_mode_switches_go_together() -> None:
    assert f.auto_mode_config_problems(
        compute=True, load_balancing=True, block_storage=True,
        node_pools=["general-purpose", "system"], node_role_arn="arn:aws:iam::1:role/n") == []
    assert f.auto_mode_config_problems(compute=False, load_balancing=False,
                                       block_storage=False) == []
    assert f.auto_mode_config_problems(compute=True, load_balancing=False, block_storage=True,
                                       ) == ["EKS Auto Mode's compute, load balancing and block "
                                             "storage capabilities must be enabled or disabled "
                                             "together"]
    for path in f.AUTO_MODE_SWITCHES:
        member(input_shape("UpdateClusterConfig"), path)


def test_auto_mode_node_pools_and_node_role() -> None:
    on = functools.partial(
        f.auto_mode_config_problems, compute=True, load_balancing=True, block_storage=True)
    # No built-in pools and no node role: custom NodeClasses only.
    assert on() == []
    assert on(node_pools=["system"]) == ["built-in node pools need computeConfig.nodeRoleArn"]
    assert on(node_role_arn="arn:aws:iam::1:role/n") == [
        "computeConfig.nodeRoleArn must be empty when no built-in node pool is enabled (give "
        "custom NodeClasses their role instead)"]
    assert on(node_pools=["gpu"], node_role_arn="arn:aws:iam::1:role/n") == [
        "unknown built-in node pool(s) gpu; EKS has system, general-purpose"]
    assert f.auto_mode_config_problems(
        compute=False, load_balancing=False, block_storage=False, node_pools=["system"]) == [
        "nodePools must be empty when the compute capability is disabled"]


def test_built_in_node_pools() -> None:
    assert set(f.BUILT_IN_NODE_POOLS) == {"system", "general-purpose"}
    assert f.BUILT_IN_NODE_POOLS["system"].taint == "CriticalAddonsOnly"
    assert f.BUILT_IN_NODE_POOLS["system"].architectures == ("amd64", "arm64")
    assert f.BUILT_IN_NODE_POOLS["general-purpose"].architectures == ("amd64",)
    assert f.DEFAULT_NODE_CLASS_NAME == "default"


def test_auto_mode_max_pods_caps_at_110() -> None:
    assert f.auto_mode_max_pods(29) == 29
    assert f.auto_mode_max_pods(110) == 110
    assert f.auto_mode_max_pods(737) == 110
    with pytest.raises(ValueError, match="positive"):
        f.auto_mode_max_pods(0)


def test_auto_mode_instance_size_rule() -> None:
    assert f.auto_mode_may_launch("m5.large", 2)
    assert not f.auto_mode_may_launch("t3.small", 2)
    assert not f.auto_mode_may_launch("t3.micro", 2)
    assert not f.auto_mode_may_launch("c5.xlarge", 1)


def test_node_class_and_node_pool_shape() -> None:
    assert (f.NODE_CLASS_API_VERSION, f.NODE_CLASS_KIND) == ("eks.amazonaws.com/v1", "NodeClass")
    assert (f.NODE_CLASS_REF_GROUP, f.NODE_CLASS_REF_KIND) == ("eks.amazonaws.com", "NodeClass")
    assert f.NODE_POOL_API_VERSION == "karpenter.sh/v1"
    for name in ("role", "subnetSelectorTerms", "securityGroupSelectorTerms", "ephemeralStorage",
                 "networkPolicy", "podSubnetSelectorTerms", "advancedNetworking"):
        assert name in f.NODE_CLASS_SPEC_FIELDS
    assert set(f.NODE_CLASS_REQUIRED) | set(f.NODE_CLASS_ROLE_FIELDS) <= set(
        f.NODE_CLASS_SPEC_FIELDS)
    assert set(f.NODE_CLASS_ENUMS) <= set(f.NODE_CLASS_SPEC_FIELDS)
    assert f.NODE_CLASS_ENUMS["networkPolicy"] == ("DefaultAllow", "DefaultDeny")


def test_auto_mode_labels() -> None:
    assert "eks.amazonaws.com/instance-category" in f.AUTO_MODE_LABELS
    assert "eks.amazonaws.com/instance-generation" in f.AUTO_MODE_LABELS
    assert f.COMPUTE_TYPE_LABEL in f.AUTO_MODE_LABELS
    assert not set(f.AUTO_MODE_UNSUPPORTED_LABELS) & set(f.AUTO_MODE_LABELS)
    # Auto Mode's labels are eks.amazonaws.com/*, not Karpenter's karpenter.k8s.aws/*.
    assert not [x for x in f.AUTO_MODE_LABELS if x.startswith("karpenter.k8s.aws/")]


def test_addon_minimums_for_auto_mode() -> None:
    assert f.addon_minimums_for_auto_mode("1.30") == {
        "vpc-cni": "v1.19.0-eksbuild.1",
        "aws-ebs-csi-driver": "v1.37.0-eksbuild.1",
        "snapshot-controller": "v8.1.0-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
        "kube-proxy": "v1.30.6-eksbuild.3",
    }
    assert f.addon_minimums_for_auto_mode("1.25")["kube-proxy"] == "v1.25.16-eksbuild.22"
    assert "kube-proxy" not in f.addon_minimums_for_auto_mode("1.33")  # the guide lists none
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR"):
        f.addon_minimums_for_auto_mode("1.30.2")


def test_auto_mode_addon_problems_compare_eksbuild_numbers() -> None:
    assert f.auto_mode_addon_problems("1.31", {"kube-proxy": "v1.31.2-eksbuild.3"}) == []
    assert f.auto_mode_addon_problems("1.31", {"kube-proxy": "v1.31.2-eksbuild.2"}) == [
        "enabling EKS Auto Mode needs kube-proxy >= v1.31.2-eksbuild.3; the cluster has "
        "v1.31.2-eksbuild.2"]
    assert f.auto_mode_addon_problems("1.31", {"vpc-cni": "v1.20.1-eksbuild.1",
                                               "coredns": "v1.11.3-eksbuild.1"}) == []
    assert f.auto_mode_addon_problems("1.28", {}) == [
        "EKS Auto Mode needs Kubernetes 1.29 or later, not 1.28"]
    assert f.parse_addon_version("v1.25.16-eksbuild.22") == (1, 25, 16, 22)
    assert f.parse_addon_version("1.19.0") is None


# Control plane tiers ----------------------------------------------------------------------------


def test_tier_tables_cover_every_api_tier() -> None:
    for table in (f.TIERS_1_28_TO_1_29, f.TIERS_1_30_AND_LATER):
        assert tuple(table) == f.CONTROL_PLANE_TIERS


def test_tier_facts_from_the_guide() -> None:
    xl = f.tier_facts("tier-xl", "1.31")
    assert (xl.api_request_concurrency_seats, xl.pod_scheduling_rate_per_second,
            xl.cluster_database_size_gb) == (1700, 167, 16)
    assert f.tier_facts("tier-2xl", "1.30").pod_scheduling_rate_per_second == 283
    assert f.tier_facts("tier-4xl", "1.34").api_request_concurrency_seats == 6800
    assert f.tier_facts("tier-4xl", "1.34").pod_scheduling_rate_per_second == 400
    assert f.tier_facts("tier-4xl", "1.29").pod_scheduling_rate_per_second == 100
    assert f.tier_facts("standard", "1.27").cluster_database_size_gb == f.STANDARD_MAX_DATABASE_GB
    eight = f.tier_facts("tier-8xl", "1.33")
    assert eight.api_request_concurrency_seats is None and eight.note
    with pytest.raises(ValueError, match=r"1\.28 or later"):
        f.tier_facts("tier-xl", "1.27")
    with pytest.raises(ValueError, match="not one of"):
        f.tier_facts("tier-16xl", "1.33")


# Hybrid nodes ----------------------------------------------------------------------------------


def test_remote_networks_accepted() -> None:
    assert f.remote_network_problems(
        ["10.200.0.0/16"], ["10.201.0.0/16"], vpc_cidrs=["10.0.0.0/16"],
        service_cidr="172.20.0.0/16") == []


def test_remote_networks_refused() -> None:
    assert f.remote_network_problems([]) == ["hybrid nodes need at least one remote node CIDR"]
    assert f.remote_network_problems(["100.64.0.0/16"]) == [
        "remote node CIDR 100.64.0.0/16 is outside the RFC 1918 ranges 10.0.0.0/8, "
        "172.16.0.0/12, 192.168.0.0/16"]
    assert f.remote_network_problems(["fd00::/64"]) == [
        "remote node CIDR fd00::/64 is IPv6; hybrid nodes are IPv4 only"]
    assert f.remote_network_problems(["10.1.0.0/16"], ["10.1.128.0/17"]) == [
        "remote node CIDR 10.1.0.0/16 overlaps remote pod CIDR 10.1.128.0/17"]
    assert f.remote_network_problems(["10.0.128.0/20"], vpc_cidrs=["10.0.0.0/16"]) == [
        "remote node CIDR 10.0.128.0/20 overlaps the VPC CIDR 10.0.0.0/16"]
    assert f.remote_network_problems(["192.168.0.0/16"], ["10.100.0.0/24"],
                                     service_cidr="10.100.0.0/16") == [
        "remote pod CIDR 10.100.0.0/24 overlaps the service CIDR 10.100.0.0/16"]
    assert f.remote_network_problems(["10.1.0.1/16"]) == [
        "remote node CIDR '10.1.0.1/16' is not a CIDR block"]


def test_hybrid_facts_from_the_guide() -> None:
    ingress = [r for r in f.HYBRID_CLUSTER_SG_RULES if r.direction == "ingress"]
    assert {(r.port, r.peer) for r in ingress} == {
        (443, "remote node CIDRs"), (443, "remote pod CIDRs")}
    assert f.HYBRID_SUPPORTED_CNIS == ("cilium",)
    assert set(f.HYBRID_CREDENTIALS) == {"ssm", "ira"}
    assert [p.name for p in f.HYBRID_CREDENTIALS["ssm"].managed_policies] == [
        "AmazonSSMManagedInstanceCore"]
    assert f.HYBRID_ROLE_ACTIONS == ("eks:DescribeCluster",)


# Add-on namespaces -----------------------------------------------------------------------------


def test_addon_namespace_names() -> None:
    assert f.addon_namespace_problems("observability") == []
    assert f.addon_namespace_problems("a" * 63) == []
    assert f.addon_namespace_problems("a" * 64) == [
        f"add-on namespace {'a' * 64!r} must be 1 to 63 characters"]
    assert f.addon_namespace_problems("Kube_System")[0].startswith(
        "add-on namespace 'Kube_System' is not an RFC 1123 DNS label")
    assert f.addon_namespace_problems("-x") != []
