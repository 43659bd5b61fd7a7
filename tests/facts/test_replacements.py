"""Replace-forcing inputs: the committed table holds what the providers' sources say, the query
answers as the bridged provider would, and the generator reads Go schemas the way they are
written."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pytest

import eks_platform
from eks_platform.facts import replacements
from eks_platform.facts.replacements import (
    UnknownResourceTypeError,
    changed_paths,
    classify,
    conditional_fields,
    is_stateful,
    known_types,
    replace_fields,
    rules,
)

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
VPC = "aws:ec2/vpc:Vpc"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_replacements", ROOT / "scripts" / "generate_replacements.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate_replacements", module)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize(("token", "field"), [
    # terraform-provider-aws schema flags (ForceNew: true), read from the stored sources.
    (NODE_GROUP, "instanceTypes"),
    (NODE_GROUP, "amiType"),
    (NODE_GROUP, "capacityType"),
    (NODE_GROUP, "diskSize"),
    (NODE_GROUP, "subnetIds"),
    (NODE_GROUP, "nodeRoleArn"),
    (NODE_GROUP, "launchTemplate.id"),
    (NODE_GROUP, "launchTemplate.name"),
    (NODE_GROUP, "remoteAccess.ec2SshKey"),
    ("aws:eks/accessEntry:AccessEntry", "principalArn"),
    ("aws:eks/accessEntry:AccessEntry", "type"),
    ("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "accessScope.namespaces"),
    ("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "policyArn"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "name"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "namePrefix"),
    (CLUSTER, "name"),
    (CLUSTER, "roleArn"),
    (CLUSTER, "bootstrapSelfManagedAddons"),
    (CLUSTER, "accessConfig.bootstrapClusterCreatorAdminPermissions"),
    (CLUSTER, "kubernetesNetworkConfig.serviceIpv4Cidr"),
    (CLUSTER, "kubernetesNetworkConfig.ipFamily"),
    ("aws:eks/addon:Addon", "addonName"),
    ("aws:eks/fargateProfile:FargateProfile", "selectors.namespace"),
    ("aws:eks/podIdentityAssociation:PodIdentityAssociation", "serviceAccount"),
    ("aws:ec2/subnet:Subnet", "availabilityZone"),
    ("aws:ec2/subnet:Subnet", "cidrBlock"),
    (VPC, "cidrBlock"),
    ("aws:ec2/route:Route", "destinationCidrBlock"),
    ("aws:ec2/natGateway:NatGateway", "subnetId"),
    ("aws:ec2/eip:Eip", "domain"),
    ("aws:ec2/flowLog:FlowLog", "logDestination"),
    ("aws:iam/role:Role", "path"),
    ("aws:iam/policy:Policy", "description"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn"),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "url"),
    ("aws:kms/key:Key", "customerMasterKeySpec"),
    ("aws:kms/key:Key", "keyUsage"),
    ("aws:sqs/queue:Queue", "fifoQueue"),
    ("aws:sqs/queuePolicy:QueuePolicy", "queueUrl"),
    ("aws:cloudwatch/logGroup:LogGroup", "logGroupClass"),
    ("aws:cloudwatch/eventTarget:EventTarget", "rule"),
    ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId"),
    # pulumi-kubernetes: identity fields of Patch, CRD and Helm Release resources.
    ("kubernetes:karpenter.sh/v1:NodePool", "metadata.name"),
    ("kubernetes:apps/v1:DaemonSetPatch", "metadata.namespace"),
    ("kubernetes:helm.sh/v3:Release", "namespace"),
])
def test_replace_forcing_inputs_read_from_the_sources(token: str, field: str) -> None:
    assert field in rules(token).replace_on


@pytest.mark.parametrize(("token", "field"), [
    (CLUSTER, "version"),  # UpdateClusterVersion
    (CLUSTER, "vpcConfig.subnetIds"),  # updatable in the copy read (was ForceNew long ago)
    (CLUSTER, "vpcConfig.securityGroupIds"),
    (CLUSTER, "vpcConfig.endpointPublicAccess"),
    (CLUSTER, "enabledClusterLogTypes"),
    (CLUSTER, "remoteNetworkConfig"),
    (CLUSTER, "tags"),
    (NODE_GROUP, "version"),
    (NODE_GROUP, "launchTemplate.version"),
    (NODE_GROUP, "scalingConfig.desiredSize"),
    (NODE_GROUP, "labels"),
    (NODE_GROUP, "taints"),
    ("aws:eks/addon:Addon", "addonVersion"),
    ("aws:eks/addon:Addon", "configurationValues"),
    ("aws:eks/podIdentityAssociation:PodIdentityAssociation", "roleArn"),
    ("aws:ec2/launchTemplate:LaunchTemplate", "userData"),
    ("aws:ec2/internetGateway:InternetGateway", "vpcId"),
    ("aws:ec2/routeTableAssociation:RouteTableAssociation", "routeTableId"),
    ("aws:iam/role:Role", "assumeRolePolicy"),
    ("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "clientIdLists"),
    ("aws:kms/key:Key", "policy"),
    ("kubernetes:helm.sh/v3:Release", "values"),
])
def test_updatable_inputs_are_not_listed(token: str, field: str) -> None:
    assert field not in rules(token).replace_on


def test_the_table_covers_every_resource_type_the_package_creates() -> None:
    """Each `aws.*`/`k8s.*` resource class the package instantiates, by its SDK type token."""
    import pulumi_aws as aws
    import pulumi_kubernetes as k8s

    roots: dict[str, Any] = {"aws": aws, "k8s": k8s}
    tokens: set[str] = set()
    package = Path(eks_platform.__file__).parent
    for source in package.rglob("*.py"):
        for root, dotted in re.findall(r"\b(aws|k8s)\.((?:[a-z0-9_]+\.)+[A-Z]\w*)",
                                       source.read_text(encoding="utf-8")):
            obj: Any = roots[root]
            for part in dotted.split("."):
                obj = getattr(obj, part, None)
            if not isinstance(obj, type) or not issubclass(obj, pulumi.CustomResource):
                continue
            if issubclass(obj, pulumi.ProviderResource):
                tokens.add("pulumi:providers:kubernetes")
                continue
            found = re.search(r"__init__\(\s*['\"]((?:aws|kubernetes):[^'\"]+)['\"]",
                              Path(sys.modules[obj.__module__].__file__ or "").read_text())
            if found:  # k8s CustomResource builds its token from apiVersion and kind
                tokens.add(found.group(1))
    assert "aws:eks/cluster:Cluster" in tokens and "kubernetes:helm.sh/v3:Release" in tokens
    assert tokens - known_types() == set()
    for custom in ("kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig",
                   "kubernetes:karpenter.sh/v1:NodePool",
                   "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"):
        assert custom in known_types()


def test_every_entry_records_where_it_was_read() -> None:
    for token in known_types():
        type_rules = rules(token)
        assert type_rules.source, token
        assert set(type_rules.optional_computed) <= {
            p for r in type_rules.replace_on for p in _prefixes(r)}, token
        for rule in type_rules.conditional:
            assert rule.file and rule.note, (token, rule)


def _prefixes(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def test_committed_json_is_what_the_generator_writes(tmp_path: Path) -> None:
    """With no Go files to read, every AWS entry is kept and the rest comes from the script."""
    import json

    gen = generator()
    committed = json.loads(replacements.DATA_FILE.read_text(encoding="utf-8"))
    document, report = gen.generate(tmp_path, committed, "2000-01-01")
    assert all(line.startswith("kept") for line in report)
    assert gen.comparable(document) == gen.comparable(committed), (
        f"replacements.json drifted from the script: run `{replacements.COMMAND}`")


# --------------------------------------------------------------------------- the query


def test_replace_fields_from_paths_alone() -> None:
    assert replace_fields(NODE_GROUP, ["instanceTypes", "scalingConfig.desiredSize",
                                       "labels"]) == ["instanceTypes"]
    assert replace_fields("aws:eks/fargateProfile:FargateProfile",
                          ["selectors[0].namespace"]) == ["selectors.namespace"]
    assert replace_fields(CLUSTER, ["vpcConfig.subnetIds", "version"]) == []
    # A container holding a replace-forcing input may replace: said so without values.
    assert replace_fields(CLUSTER, ["kubernetesNetworkConfig"]) == ["kubernetesNetworkConfig"]


def test_replace_fields_with_values_expands_containers() -> None:
    old = {"kubernetesNetworkConfig": {"serviceIpv4Cidr": "172.20.0.0/16",
                                       "elasticLoadBalancing": {"enabled": False}}}
    new = {"kubernetesNetworkConfig": {"serviceIpv4Cidr": "172.20.0.0/16",
                                       "elasticLoadBalancing": {"enabled": True}}}
    assert replace_fields(CLUSTER, ["kubernetesNetworkConfig"], old=old, new=new) == []
    new["kubernetesNetworkConfig"]["serviceIpv4Cidr"] = "10.100.0.0/16"
    assert replace_fields(CLUSTER, ["kubernetesNetworkConfig"], old=old, new=new) == [
        "kubernetesNetworkConfig.serviceIpv4Cidr"]


def test_removing_envelope_encryption_replaces_adding_it_updates() -> None:
    encrypted = {"encryptionConfig": {"provider": {"keyArn": "arn:key"},
                                      "resources": ["secrets"]}}
    assert set(classify(CLUSTER, encrypted, {}).values()) == {"replace"}
    assert set(classify(CLUSTER, {}, encrypted).values()) == {"update"}
    assert [r.field for r in conditional_fields(CLUSTER, ["encryptionConfig"])] == [
        "encryptionConfig"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ({"enabled": True, "nodePools": ["general-purpose"], "nodeRoleArn": "arn:a"},
     {"enabled": True, "nodePools": ["general-purpose"], "nodeRoleArn": "arn:b"}, "replace"),
    ({"enabled": True, "nodePools": ["general-purpose"]},
     {"enabled": True, "nodePools": ["general-purpose"], "nodeRoleArn": "arn:b"}, "update"),
    ({"enabled": True, "nodePools": ["general-purpose"], "nodeRoleArn": "arn:a"},
     {"enabled": False, "nodePools": []}, "update"),
    ({"enabled": True, "nodePools": ["general-purpose"], "nodeRoleArn": "arn:a"},
     {"enabled": True, "nodePools": ["general-purpose"]}, "replace"),
])
def test_auto_mode_node_role(old: dict[str, Any], new: dict[str, Any], expected: str) -> None:
    verdict = classify(CLUSTER, {"computeConfig": old}, {"computeConfig": new})
    assert verdict["computeConfig.nodeRoleArn"] == expected


def test_region_rule() -> None:
    subnet = "aws:ec2/subnet:Subnet"
    assert classify(subnet, {"region": "us-east-1"}, {"region": "us-west-2"}) == {
        "region": "replace"}
    assert classify(subnet, {}, {"region": "us-east-1"}, provider_region="us-east-1") == {
        "region": "update"}
    assert classify(subnet, {}, {"region": "eu-west-1"}, provider_region="us-east-1") == {
        "region": "replace"}
    assert classify(subnet, {}, {"region": "eu-west-1"}) == {"region": "unknown"}
    assert "region" not in {r.field for r in rules("aws:iam/role:Role").conditional}


def test_vpc_tenancy_and_ipam_cidr() -> None:
    assert classify(VPC, {}, {"instanceTenancy": "dedicated"}) == {"instanceTenancy": "replace"}
    assert classify(VPC, {"instanceTenancy": "dedicated"}, {"instanceTenancy": "default"}) == {
        "instanceTenancy": "update"}
    old = {"cidrBlock": "10.0.0.0/16", "ipv4NetmaskLength": 16, "ipv4IpamPoolId": "p"}
    assert classify(VPC, old, {**old, "cidrBlock": "10.1.0.0/16"}) == {"cidrBlock": "none"}
    assert classify(VPC, {"cidrBlock": "10.0.0.0/16"}, {"cidrBlock": "10.1.0.0/16"}) == {
        "cidrBlock": "replace"}


def test_subnet_ipv6_block_and_security_group_rule_source() -> None:
    subnet = "aws:ec2/subnet:Subnet"
    before = {"ipv6CidrBlock": "2600::/64", "assignIpv6AddressOnCreation": True}
    after = {**before, "ipv6CidrBlock": "2600:1::/64"}
    assert classify(subnet, before, after) == {"ipv6CidrBlock": "replace"}
    before["assignIpv6AddressOnCreation"] = after["assignIpv6AddressOnCreation"] = False
    assert classify(subnet, before, after) == {"ipv6CidrBlock": "update"}
    rule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
    assert classify(rule, {"cidrIpv4": "10.0.0.0/8"}, {"cidrIpv4": "10.1.0.0/16"}) == {
        "cidrIpv4": "update"}
    assert set(classify(rule, {"cidrIpv4": "10.0.0.0/8"},
                        {"referencedSecurityGroupId": "sg-1"}).values()) == {"replace"}


def test_optional_computed_inputs_removed_keep_their_value() -> None:
    assert classify(NODE_GROUP, {"instanceTypes": ["m5.large"]}, {}) == {"instanceTypes": "none"}
    assert classify(NODE_GROUP, {"instanceTypes": ["m5.large"]},
                    {"instanceTypes": ["m6i.large"]}) == {"instanceTypes": "replace"}
    assert replace_fields(NODE_GROUP, ["instanceTypes"], old={"instanceTypes": ["m5.large"]},
                          new={}) == []


def test_sets_ignore_order_and_unverified_inputs_are_unknown() -> None:
    fargate = "aws:eks/fargateProfile:FargateProfile"
    assert classify(fargate, {"subnetIds": ["a", "b"]}, {"subnetIds": ["b", "a"]}) == {}
    assert classify(fargate, {"subnetIds": ["a"]}, {"subnetIds": ["a", "b"]}) == {
        "subnetIds": "replace"}
    assert classify(CLUSTER, {}, {"vpcConfig": {"controlPlaneEgressMode": "CUSTOMER_ROUTED"}}
                    ) == {"vpcConfig.controlPlaneEgressMode": "unknown"}


def test_kubernetes_rules() -> None:
    pool = "kubernetes:karpenter.sh/v1:NodePool"
    old = {"metadata": {"name": "default"}, "spec": {"limits": {"cpu": "100"}}}
    assert classify(pool, old, {**old, "spec": {"limits": {"cpu": "200"}}}) == {
        "spec.limits.cpu": "update"}
    assert classify(pool, old, {**old, "metadata": {"name": "general"}}) == {
        "metadata.name": "replace"}
    release = "kubernetes:helm.sh/v3:Release"
    assert replace_fields(release, ["values.enableNetworkPolicy", "namespace"]) == ["namespace"]
    assert classify(release, {"name": "aws-vpc-cni"}, {}) == {"name": "none"}
    provider = "pulumi:providers:kubernetes"
    assert classify(provider, {"clusterIdentifier": "a"}, {"clusterIdentifier": "b"}) == {
        "clusterIdentifier": "replace"}
    assert classify(provider, {"kubeconfig": "x"}, {"kubeconfig": "y"}) == {
        "kubeconfig": "unknown"}
    assert classify(provider, {"kubeconfig": "x", "clusterIdentifier": "c"},
                    {"kubeconfig": "y", "clusterIdentifier": "c"}) == {"kubeconfig": "update"}


def test_unknown_types_are_reported_clearly() -> None:
    with pytest.raises(UnknownResourceTypeError) as caught:
        replace_fields("aws:eks/nodegroup:NodeGroup", ["amiType"])
    assert isinstance(caught.value, KeyError)
    message = str(caught.value)
    assert "aws:eks/nodeGroup:NodeGroup" in message and replacements.COMMAND in message
    with pytest.raises(UnknownResourceTypeError):
        is_stateful("aws:rds/instance:Instance")


@pytest.mark.parametrize(("token", "stateful"), [
    (CLUSTER, True), ("aws:kms/key:Key", True), ("aws:cloudwatch/logGroup:LogGroup", True),
    (VPC, True), (NODE_GROUP, False), ("aws:ec2/subnet:Subnet", False),
])
def test_stateful_types(token: str, stateful: bool) -> None:
    assert is_stateful(token) is stateful


def test_changed_paths() -> None:
    assert changed_paths({"a": {"b": 1, "c": [1, 2]}}, {"a": {"b": 2, "c": [1, 2]}, "d": None}
                         ) == ["a.b"]
    assert changed_paths({}, {"taints": [{"key": "k", "effect": "NO_SCHEDULE"}]}) == [
        "taints.key", "taints.effect"]


# --------------------------------------------------------------------------- the generator

SDK_FIXTURE = """
package x

const (
\tkeyA = "first_key"
)

func resourceThing() *schema.Resource {
\treturn &schema.Resource{
\t\tSchemaFunc: func() map[string]*schema.Schema {
\t\t\treturn map[string]*schema.Schema{
\t\t\t\tkeyA: {Type: schema.TypeString, Required: true, ForceNew: true},
\t\t\t\tnames.AttrSubnetIDs: {
\t\t\t\t\tType: schema.TypeSet, // a comment, "quoted" {
\t\t\t\t\tOptional: true, Computed: true, ForceNew: true,
\t\t\t\t\tElem: &schema.Schema{Type: schema.TypeString},
\t\t\t\t},
\t\t\t\t"block": {
\t\t\t\t\tType: schema.TypeList, MaxItems: 1, Optional: true, Computed: true,
\t\t\t\t\tElem: &schema.Resource{Schema: map[string]*schema.Schema{
\t\t\t\t\t\t"inner": {Type: schema.TypeString, ForceNew: true,
\t\t\t\t\t\t\tValidateFunc: validation.StringMatch(regexp.MustCompile(`^[a{]+$`), "x, y")},
\t\t\t\t\t\t"other": {Type: schema.TypeString, Optional: true},
\t\t\t\t\t}},
\t\t\t\t},
\t\t\t\tnames.AttrTags: tftags.TagsSchema(),
\t\t\t}
\t\t},
\t}
}
"""

FRAMEWORK_FIXTURE = """
func (r *thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.Resp) {
\tresp.Schema = schema.Schema{
\t\tAttributes: map[string]schema.Attribute{
\t\t\tnames.AttrClusterName: schema.StringAttribute{
\t\t\t\tRequired:      true,
\t\t\t\tPlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
\t\t\t},
\t\t\t"soft": schema.StringAttribute{
\t\t\t\tOptional:      true,
\t\t\t\tPlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured()},
\t\t\t},
\t\t\tnames.AttrID: framework.IDAttribute(),
\t\t},
\t\tBlocks: map[string]schema.Block{
\t\t\t"rules": schema.SetNestedBlock{
\t\t\t\tPlanModifiers: []planmodifier.Set{setplanmodifier.RequiresReplace()},
\t\t\t\tNestedObject: schema.NestedBlockObject{
\t\t\t\t\tAttributes: map[string]schema.Attribute{
\t\t\t\t\t\t"port": schema.Int64Attribute{Required: true},
\t\t\t\t\t},
\t\t\t\t},
\t\t\t},
\t\t},
\t}
}
"""


def test_generator_reads_sdkv2_schemas() -> None:
    gen = generator()
    warnings: list[str] = []
    attributes = gen.parse_schema(SDK_FIXTURE, None, warnings)
    assert warnings == []
    assert {name: a.force_new for name, a in attributes.items()} == {
        "first_key": True, "subnet_ids": True, "block": False, "tags": False}
    assert attributes["subnet_ids"].is_set and attributes["subnet_ids"].computed
    assert {n: a.force_new for n, a in attributes["block"].children.items()} == {
        "inner": True, "other": False}
    sdk = frozenset({"firstKey", "subnetIds", "block", "block.inner", "block.other", "tags"})
    parsed = gen.flatten(attributes, sdk, warnings)
    assert sorted(parsed.replace_on) == ["block.inner", "firstKey", "subnetIds"]
    assert gen.optional_computed(parsed) == ["block", "subnetIds"]
    assert parsed.sets == {"subnetIds"}


def test_generator_reads_framework_schemas() -> None:
    gen = generator()
    warnings: list[str] = []
    attributes = gen.parse_schema(FRAMEWORK_FIXTURE, None, warnings)
    assert {name: a.force_new for name, a in attributes.items()} == {
        "cluster_name": True, "soft": False, "id": False, "rules": True}
    assert attributes["soft"].conditional_modifier
    assert attributes["rules"].is_set and list(attributes["rules"].children) == ["port"]
    parsed = gen.flatten(attributes, frozenset({"clusterName", "soft", "rules", "rules.port"}),
                         warnings)
    assert any("RequiresReplaceIf" in w for w in warnings)
    assert sorted(parsed.replace_on) == ["clusterName", "rules"]


@pytest.mark.parametrize(("constant", "name"), [
    ("names.AttrSubnetIDs", "subnet_ids"), ("names.AttrVPCConfig", "vpc_config"),
    ("names.AttrRoleARN", "role_arn"), ("names.AttrVPCID", "vpc_id"),
    ("names.AttrKMSKeyID", "kms_key_id"), ("names.AttrCIDRBlock", "cidr_block"),
    ("names.AttrTransitGatewayAttachmentID", "transit_gateway_attachment_id"),
    ("names.AttrNamePrefix", "name_prefix"), ("names.AttrURL", "url"),
])
def test_generator_names_attr_constants(constant: str, name: str) -> None:
    assert generator().attr_constant_name(constant) == name


def test_generator_follows_pulumi_plural_names() -> None:
    gen = generator()
    sdk = frozenset({"selectors", "inlinePolicies", "clientIdLists", "name"})
    assert gen.pulumi_name("selector", "", sdk) == "selectors"
    assert gen.pulumi_name("inline_policy", "", sdk) == "inlinePolicies"
    assert gen.pulumi_name("client_id_list", "", sdk) == "clientIdLists"
    assert gen.pulumi_name("name", "", sdk) == "name"
    assert gen.pulumi_name("arn", "", sdk) is None
