"""EKS feature facts (issue #19) against the sources that can be loaded here: botocore's EKS
model, moto's AWS-managed policy catalogue and the pulumi_aws SDK; the guide's figures as
literal expectations."""

from __future__ import annotations

import functools
import inspect
import json
import re
from typing import Any

import pulumi_aws.eks as aws_eks
import pytest
from botocore.model import ListShape, ServiceModel, Shape, StringShape, StructureShape
from moto.iam.aws_managed_policies import aws_managed_policies_data

from eks_platform.addons import namespaces as ns
from eks_platform.cluster import auto_mode_rules as auto
from eks_platform.cluster import hybrid_rules as hybrid
from eks_platform.facts import eks_api as api
from tests.aws_models import service_model


@functools.cache
def eks_model() -> ServiceModel:
    return service_model("eks")


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
    assert tuple(enum("AuthenticationMode")) == api.AUTHENTICATION_MODES
    assert tuple(enum("ProvisionedControlPlaneTier")) == api.CONTROL_PLANE_TIERS
    assert set(auto.AUTO_MODE_AUTHENTICATION_MODES) <= set(api.AUTHENTICATION_MODES)
    assert set(hybrid.HYBRID_AUTHENTICATION_MODES) <= set(api.AUTHENTICATION_MODES)
    assert hybrid.HYBRID_IP_FAMILY in enum("IpFamily")


def test_access_entry_types_match_botocore_documentation() -> None:
    # `type` is a plain string in the model; its documentation lists the values.
    doc = input_shape("CreateAccessEntry").members["type"].documentation
    text = re.sub(r"<[^>]+>", "", doc)
    match = re.search(r"Valid values are (.+?)\.", text)
    assert match is not None
    listed = re.sub(r"\([^)]*\)", "", match[1]).replace(" and ", ", ")
    assert tuple(v.strip() for v in listed.split(",") if v.strip()) == api.ACCESS_ENTRY_TYPES
    assert auto.AUTO_NODE_ACCESS_ENTRY_TYPE in api.ACCESS_ENTRY_TYPES
    assert hybrid.HYBRID_ACCESS_ENTRY_TYPE in api.ACCESS_ENTRY_TYPES


@pytest.mark.parametrize("operation", ["CreateCluster", "UpdateClusterConfig"])
@pytest.mark.parametrize("field", api.CLUSTER_API_FIELDS, ids=lambda a: a.path)
def test_cluster_fields_match_botocore(operation: str, field: api.ApiField) -> None:
    shape = member(input_shape(operation), field.path)
    assert (shape.type_name, shape.name) == (field.type_name, field.shape)


@pytest.mark.parametrize("field", api.ADDON_API_FIELDS, ids=lambda a: a.path)
def test_addon_fields_match_botocore(field: api.ApiField) -> None:
    shape = member(input_shape("CreateAddon"), field.path)
    assert (shape.type_name, shape.name) == (field.type_name, field.shape)


def test_namespace_is_set_at_creation_only() -> None:
    assert "namespaceConfig" in input_shape("CreateAddon").members
    assert "namespaceConfig" not in input_shape("UpdateAddon").members
    assert ns.ADDON_NAMESPACE_CHANGE_REPLACES
    shape = member(input_shape("CreateAddon"), "namespaceConfig.namespace")
    assert (shape.metadata["min"], shape.metadata["max"]) == api.ADDON_NAMESPACE_LENGTH
    member(eks_model().shape_for("AddonInfo"), "defaultNamespace")


def test_remote_network_limits_match_botocore() -> None:
    for name in ("RemoteNodeNetworkList", "RemotePodNetworkList"):
        assert eks_model().shape_for(name).metadata["max"] == api.REMOTE_NETWORK_LIST_MAX
    cidrs = member(input_shape("CreateCluster"), "remoteNetworkConfig.remoteNodeNetworks[].cidrs")
    assert "max" not in cidrs.metadata  # the CIDR list itself is unbounded in the model
    doc = eks_model().shape_for("RemoteNodeNetwork").documentation
    assert "RFC-1918" in doc
    assert "Minimum allowed size is /32, maximum allowed size is /8" in doc
    assert hybrid.HYBRID_PREFIX_RANGE == (8, 32)


def test_node_role_is_documented_immutable_in_botocore() -> None:
    doc = member(eks_model().shape_for("ComputeConfigRequest"), "nodeRoleArn").documentation
    assert "cannot be changed after the compute capability" in doc
    assert auto.AUTO_MODE_NODE_ROLE_IMMUTABLE


def test_remote_networks_are_documented_updatable_in_botocore() -> None:
    doc = eks_model().shape_for("RemoteNetworkConfigRequest").documentation
    assert "add, change, or remove this configuration after the cluster is created" in doc
    assert hybrid.HYBRID_REMOTE_NETWORKS_UPDATABLE


def test_gateway_api_is_in_botocore_but_not_in_pulumi_aws() -> None:
    for path in api.PULUMI_MISSING:
        member(input_shape("CreateCluster"), path)  # exists in the API
        assert path not in api.PULUMI_INPUTS
    fields = inspect.signature(
        aws_eks.ClusterKubernetesNetworkConfigElasticLoadBalancingArgs.__init__).parameters
    assert "gateway_api" not in fields


# pulumi_aws ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(api.PULUMI_INPUTS))
def test_pulumi_inputs_exist(path: str) -> None:
    api_paths = {a.path for a in (*api.CLUSTER_API_FIELDS, *api.ADDON_API_FIELDS)}
    assert path in api_paths
    target = api.PULUMI_INPUTS[path]
    parameters = inspect.signature(getattr(aws_eks, target.owner).__init__).parameters
    assert target.field in parameters
    if target.args_class is not None:
        assert hasattr(aws_eks, target.args_class)
        assert target.args_class in str(parameters[target.field].annotation)


def test_pulumi_args_classes_match_structures() -> None:
    types = {a.path: a.type_name for a in (*api.CLUSTER_API_FIELDS, *api.ADDON_API_FIELDS)}
    for path, target in api.PULUMI_INPUTS.items():
        # A structure takes an *Args class; so does a one-item list of structures, which
        # pulumi_aws flattens to one block (remoteNodeNetworks, remotePodNetworks).
        takes_block = types[path] == "structure" or types.get(f"{path}[]") == "structure"
        assert (target.args_class is not None) == takes_block, path


# IAM -------------------------------------------------------------------------------------------


def test_managed_policies_exist_in_moto_with_their_paths() -> None:
    policies = (*auto.AUTO_MODE_CLUSTER_POLICIES, *auto.AUTO_MODE_NODE_POLICIES,
                *hybrid.HYBRID_ROLE_POLICIES,
                *(p for c in hybrid.HYBRID_CREDENTIALS.values() for p in c.managed_policies))
    for policy in policies:
        assert policy.arn() in moto_policy_arns(), policy
        assert policy.path == "/"  # none of them is under /service-role/
    assert api.ManagedPolicy("AmazonEKSComputePolicy").arn("aws-cn") == (
        "arn:aws-cn:iam::aws:policy/AmazonEKSComputePolicy")


def test_auto_mode_iam_from_the_guide() -> None:
    assert [p.name for p in auto.AUTO_MODE_CLUSTER_POLICIES] == [
        "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"]
    assert [p.name for p in auto.AUTO_MODE_NODE_POLICIES] == [
        "AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"]
    assert auto.AUTO_MODE_CLUSTER_TRUST.service == "eks.amazonaws.com"
    assert auto.AUTO_MODE_CLUSTER_TRUST.actions == ("sts:AssumeRole", "sts:TagSession")
    assert auto.AUTO_MODE_NODE_TRUST.actions == ("sts:AssumeRole",)
    assert api.access_policy_arn(auto.AUTO_NODE_ACCESS_POLICY) == (
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy")
