"""The AWS API requests a recorded graph implies: Pulumi inputs -> botocore operation params.

pulumi-aws is a bridge over terraform-provider-aws: each resource's camelCase inputs are the
Terraform schema's, and its create function builds one request (sometimes a few) of the AWS
API. `requests_of(resource)` rebuilds those requests offline, so that `validate_request` can
hold them against botocore's shapes. The mapping follows terraform-provider-aws' create
functions (e.g. `internal/service/eks/cluster.go` `resourceClusterCreate`); names Pulumi
generates at deploy (autonames) get a fixed 7-character suffix, as Pulumi adds one.

Mapped (`MAPPED`): eks Cluster, NodeGroup, Addon, AccessEntry, AccessPolicyAssociation,
PodIdentityAssociation, FargateProfile; ec2 Vpc, Subnet, RouteTable, Route,
RouteTableAssociation, InternetGateway, Eip, NatGateway, LaunchTemplate, FlowLog,
VpcIpv4CidrBlockAssociation, Tag, SubnetCidrReservation, DefaultSecurityGroup (its rule
revocation is not a create: no request), vpc SecurityGroupIngressRule, ec2transitgateway
VpcAttachment; iam Role (+ inline policies), RolePolicy, RolePolicyAttachment, Policy,
OpenIdConnectProvider; kms Key (+ EnableKeyRotation), Alias; logs LogGroup (+
PutRetentionPolicy); sqs Queue, QueuePolicy; events (cloudwatch) EventRule, EventTarget.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from eks_platform.tools.synth.graph import RecordedResource

#: Pulumi's autoname suffix stand-in (7 random lowercase characters at deploy).
SUFFIX = "a1b2c3d"


@dataclass(frozen=True)
class Request:
    service: str
    operation: str
    params: dict[str, Any]
    urn: str
    #: Members whose value is known only at deploy (left out; not reported as missing).
    unknown: frozenset[str] = frozenset()


def _num(value: Any) -> Any:
    """Recorded numbers are doubles (protobuf Struct); the API's integers are ints. Values
    known only at deploy (`pulumi.output.Unknown`) become None: left out of the request."""
    if type(value).__name__ == "Unknown":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _num(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_num(v) for v in value]
    return value


def _clean(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unset members (Terraform leaves them out of the request)."""
    return {k: v for k, v in params.items() if v is not None and v != {} and v != []}


def _name(r: RecordedResource, key: str = "name", prefix_key: str = "namePrefix") -> str:
    i = r.inputs
    if i.get(key):
        return str(i[key])
    if i.get(prefix_key):
        return f"{i[prefix_key]}{SUFFIX}"
    return f"{r.name}-{SUFFIX}"


def _ec2_tags(kind: str, tags: Mapping[str, str] | None) -> list[dict[str, Any]] | None:
    if not tags:
        return None
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def _kv(tags: Mapping[str, str] | None, key: str = "Key", value: str = "Value") -> Any:
    return [{key: k, value: v} for k, v in (tags or {}).items()] or None


# --- eks ----------------------------------------------------------------------------------


def _eks_cluster(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    vpc = i.get("vpcConfig") or {}
    net = i.get("kubernetesNetworkConfig") or {}
    encryption = [
        _clean({"resources": e.get("resources"), "provider": e.get("provider")})
        for e in ([i["encryptionConfig"]] if i.get("encryptionConfig") else [])
    ]
    log_types = i.get("enabledClusterLogTypes") or []
    params = {
        "name": _name(r), "version": i.get("version"), "roleArn": i.get("roleArn"),
        "resourcesVpcConfig": _clean({
            "subnetIds": vpc.get("subnetIds"), "securityGroupIds": vpc.get("securityGroupIds"),
            "endpointPublicAccess": vpc.get("endpointPublicAccess"),
            "endpointPrivateAccess": vpc.get("endpointPrivateAccess"),
            "publicAccessCidrs": vpc.get("publicAccessCidrs"),
        }),
        "kubernetesNetworkConfig": _clean({
            "serviceIpv4Cidr": net.get("serviceIpv4Cidr"), "ipFamily": net.get("ipFamily"),
            "elasticLoadBalancing": net.get("elasticLoadBalancing"),
        }),
        "logging": {"clusterLogging": [{"types": log_types, "enabled": True}]}
        if log_types else None,
        "tags": i.get("tags"), "encryptionConfig": encryption,
        "accessConfig": i.get("accessConfig"),
        "bootstrapSelfManagedAddons": i.get("bootstrapSelfManagedAddons"),
        "upgradePolicy": i.get("upgradePolicy"), "zonalShiftConfig": i.get("zonalShiftConfig"),
        "remoteNetworkConfig": i.get("remoteNetworkConfig"),
        "computeConfig": i.get("computeConfig"), "storageConfig": i.get("storageConfig"),
        "deletionProtection": i.get("deletionProtection"),
    }
    return [("eks", "CreateCluster", params)]


def _eks_nodegroup(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    params = {
        "clusterName": i.get("clusterName"),
        "nodegroupName": _name(r, "nodeGroupName", "nodeGroupNamePrefix"),
        "scalingConfig": i.get("scalingConfig"), "diskSize": i.get("diskSize"),
        "subnets": i.get("subnetIds"), "instanceTypes": i.get("instanceTypes"),
        "amiType": i.get("amiType"), "remoteAccess": i.get("remoteAccess"),
        "nodeRole": i.get("nodeRoleArn"), "labels": i.get("labels"), "taints": i.get("taints"),
        "tags": i.get("tags"), "launchTemplate": i.get("launchTemplate"),
        "updateConfig": i.get("updateConfig"), "nodeRepairConfig": i.get("nodeRepairConfig"),
        "capacityType": i.get("capacityType"), "version": i.get("version"),
        "releaseVersion": i.get("releaseVersion"),
    }
    return [("eks", "CreateNodegroup", params)]


def _eks_addon(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    version = i.get("addonVersion")
    params = {
        "clusterName": i.get("clusterName"), "addonName": i.get("addonName"),
        # The plan writes "resolved at deploy (...)" where the version is looked up then.
        "addonVersion": None if str(version).startswith("resolved at deploy") else version,
        "serviceAccountRoleArn": i.get("serviceAccountRoleArn"),
        "resolveConflicts": i.get("resolveConflictsOnCreate"), "tags": i.get("tags"),
        "configurationValues": i.get("configurationValues"),
        "podIdentityAssociations": i.get("podIdentityAssociations"),
    }
    return [("eks", "CreateAddon", params)]


def _same(operation: str, service: str = "eks", **renames: str) -> Callable[..., Any]:
    """A request whose members are the inputs, some renamed (`member=input`)."""

    def build(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
        params = {k: v for k, v in i.items() if k not in renames.values()}
        params.update({member: i.get(key) for member, key in renames.items()})
        return [(service, operation, params)]

    return build


# --- ec2 ----------------------------------------------------------------------------------


def _ec2(operation: str, kind: str | None, **members: str) -> Callable[..., Any]:
    def build(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
        params = {member: i.get(key) for member, key in members.items()}
        if kind is not None:
            params["TagSpecifications"] = _ec2_tags(kind, i.get("tags"))
        return [("ec2", operation, params)]

    return build


def _launch_template(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    def ebs(e: Mapping[str, Any]) -> dict[str, Any]:
        names = {"deleteOnTermination": "DeleteOnTermination", "encrypted": "Encrypted",
                 "iops": "Iops", "kmsKeyId": "KmsKeyId", "snapshotId": "SnapshotId",
                 "throughput": "Throughput", "volumeSize": "VolumeSize",
                 "volumeType": "VolumeType"}  # fmt: skip
        out = {names[k]: v for k, v in e.items() if k in names}
        for flag in ("DeleteOnTermination", "Encrypted"):  # Terraform's string booleans
            if isinstance(out.get(flag), str):
                out[flag] = out[flag] == "true"
        return out

    meta = i.get("metadataOptions") or {}
    data = _clean({
        "BlockDeviceMappings": [
            _clean({"DeviceName": b.get("deviceName"), "Ebs": ebs(b.get("ebs") or {})})
            for b in i.get("blockDeviceMappings") or []
        ],
        "MetadataOptions": _clean({
            "HttpTokens": meta.get("httpTokens"), "HttpEndpoint": meta.get("httpEndpoint"),
            "HttpPutResponseHopLimit": meta.get("httpPutResponseHopLimit"),
            "HttpProtocolIpv6": meta.get("httpProtocolIpv6"),
            "InstanceMetadataTags": meta.get("instanceMetadataTags"),
        }),
        "UserData": i.get("userData"), "ImageId": i.get("imageId"),
        "InstanceType": i.get("instanceType"),
        "SecurityGroupIds": i.get("vpcSecurityGroupIds"),
        "TagSpecifications": [
            {"ResourceType": t.get("resourceType"), "Tags": _kv(t.get("tags"))}
            for t in i.get("tagSpecifications") or []
        ],
    })
    params = {
        "LaunchTemplateName": _name(r), "VersionDescription": i.get("description"),
        "LaunchTemplateData": data, "TagSpecifications": _ec2_tags("launch-template",
                                                                   i.get("tags")),
    }
    return [("ec2", "CreateLaunchTemplate", params)]


def _flow_log(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    params = {
        "ResourceIds": [i.get("vpcId")], "ResourceType": "VPC",
        "TrafficType": i.get("trafficType"), "LogDestinationType": i.get("logDestinationType"),
        "LogDestination": i.get("logDestination"), "DeliverLogsPermissionArn": i.get("iamRoleArn"),
        "MaxAggregationInterval": i.get("maxAggregationInterval"),
        "TagSpecifications": _ec2_tags("vpc-flow-log", i.get("tags")),
    }
    return [("ec2", "CreateFlowLogs", params)]


def _ingress_rule(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    permission = _clean({
        "IpProtocol": i.get("ipProtocol"), "FromPort": i.get("fromPort"),
        "ToPort": i.get("toPort"),
        "IpRanges": [_clean({"CidrIp": i.get("cidrIpv4"), "Description": i.get("description")})]
        if i.get("cidrIpv4") else None,
        "Ipv6Ranges": [_clean({"CidrIpv6": i.get("cidrIpv6"),
                               "Description": i.get("description")})]
        if i.get("cidrIpv6") else None,
    })
    params = {"GroupId": i.get("securityGroupId"), "IpPermissions": [permission],
              "TagSpecifications": _ec2_tags("security-group-rule", i.get("tags"))}
    return [("ec2", "AuthorizeSecurityGroupIngress", params)]


# --- iam, kms, logs, sqs, events -----------------------------------------------------------


def _iam_role(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    name = _name(r)
    out: list[tuple[str, str, Any]] = [("iam", "CreateRole", {
        "RoleName": name, "Path": i.get("path"),
        "AssumeRolePolicyDocument": i.get("assumeRolePolicy"),
        "Description": i.get("description"), "MaxSessionDuration": i.get("maxSessionDuration"),
        "PermissionsBoundary": i.get("permissionsBoundary"), "Tags": _kv(i.get("tags")),
    })]
    for policy in i.get("inlinePolicies") or []:
        out.append(("iam", "PutRolePolicy", {"RoleName": name, "PolicyName": policy.get("name"),
                                             "PolicyDocument": policy.get("policy")}))
    for arn in i.get("managedPolicyArns") or []:
        out.append(("iam", "AttachRolePolicy", {"RoleName": name, "PolicyArn": arn}))
    return out


def _kms_key(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    out: list[tuple[str, str, Any]] = [("kms", "CreateKey", {
        "Policy": i.get("policy"), "Description": i.get("description"),
        "KeyUsage": i.get("keyUsage"), "KeySpec": i.get("customerMasterKeySpec"),
        "BypassPolicyLockoutSafetyCheck": i.get("bypassPolicyLockoutSafetyCheck"),
        "Tags": _kv(i.get("tags"), "TagKey", "TagValue"), "MultiRegion": i.get("multiRegion"),
    })]
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    if i.get("enableKeyRotation"):
        out.append(("kms", "EnableKeyRotation", {
            "KeyId": key_id, "RotationPeriodInDays": i.get("rotationPeriodInDays")}))
    if i.get("deletionWindowInDays") is not None:  # sent on destroy
        out.append(("kms", "ScheduleKeyDeletion", {
            "KeyId": key_id, "PendingWindowInDays": i.get("deletionWindowInDays")}))
    return out


def _log_group(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    name = _name(r)
    out: list[tuple[str, str, Any]] = [("logs", "CreateLogGroup", {
        "logGroupName": name, "kmsKeyId": i.get("kmsKeyId"), "tags": i.get("tags"),
        "logGroupClass": i.get("logGroupClass"),
        "deletionProtectionEnabled": i.get("deletionProtectionEnabled"),
    })]
    if i.get("retentionInDays"):
        out.append(("logs", "PutRetentionPolicy", {
            "logGroupName": name, "retentionInDays": i.get("retentionInDays")}))
    return out


def _queue(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    attributes = {
        "MessageRetentionPeriod": i.get("messageRetentionSeconds"),
        "SqsManagedSseEnabled": i.get("sqsManagedSseEnabled"),
        "KmsMasterKeyId": i.get("kmsMasterKeyId"),
        "VisibilityTimeout": i.get("visibilityTimeoutSeconds"),
        "Policy": i.get("policy"),
    }
    attrs = {k: str(v).lower() if isinstance(v, bool) else str(_num(v))
             for k, v in attributes.items() if v is not None}
    return [("sqs", "CreateQueue", {"QueueName": _name(r), "Attributes": attrs or None,
                                    "tags": i.get("tags")})]


def _event_target(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    target = _clean({"Id": i.get("targetId") or f"terraform-{SUFFIX}", "Arn": i.get("arn"),
                     "RoleArn": i.get("roleArn"), "Input": i.get("input")})
    return [("events", "PutTargets", {"Rule": i.get("rule"),
                                      "EventBusName": i.get("eventBusName"),
                                      "Targets": [target]})]


_BUILDERS: dict[str, Callable[[Mapping[str, Any], RecordedResource], list[Any]]] = {
    "aws:eks/cluster:Cluster": _eks_cluster,
    "aws:eks/nodeGroup:NodeGroup": _eks_nodegroup,
    "aws:eks/addon:Addon": _eks_addon,
    "aws:eks/accessEntry:AccessEntry": _same("CreateAccessEntry"),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": _same("AssociateAccessPolicy"),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation":
        _same("CreatePodIdentityAssociation"),
    "aws:eks/fargateProfile:FargateProfile": _same("CreateFargateProfile", subnets="subnetIds"),
    "aws:ec2/vpc:Vpc": _ec2("CreateVpc", "vpc", CidrBlock="cidrBlock",
                            AmazonProvidedIpv6CidrBlock="assignGeneratedIpv6CidrBlock",
                            InstanceTenancy="instanceTenancy"),
    "aws:ec2/subnet:Subnet": _ec2("CreateSubnet", "subnet", VpcId="vpcId",
                                  CidrBlock="cidrBlock", AvailabilityZone="availabilityZone",
                                  Ipv6CidrBlock="ipv6CidrBlock"),
    "aws:ec2/routeTable:RouteTable": _ec2("CreateRouteTable", "route-table", VpcId="vpcId"),
    "aws:ec2/route:Route": _ec2(
        "CreateRoute", None, RouteTableId="routeTableId",
        DestinationCidrBlock="destinationCidrBlock",
        DestinationIpv6CidrBlock="destinationIpv6CidrBlock", GatewayId="gatewayId",
        NatGatewayId="natGatewayId", TransitGatewayId="transitGatewayId"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _ec2(
        "AssociateRouteTable", None, SubnetId="subnetId", RouteTableId="routeTableId"),
    "aws:ec2/internetGateway:InternetGateway": _ec2("CreateInternetGateway",
                                                    "internet-gateway"),
    "aws:ec2/eip:Eip": _ec2("AllocateAddress", "elastic-ip", Domain="domain"),
    "aws:ec2/natGateway:NatGateway": _ec2("CreateNatGateway", "natgateway",
                                          SubnetId="subnetId", AllocationId="allocationId"),
    "aws:ec2/launchTemplate:LaunchTemplate": _launch_template,
    "aws:ec2/flowLog:FlowLog": _flow_log,
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": _ec2(
        "AssociateVpcCidrBlock", None, VpcId="vpcId", CidrBlock="cidrBlock"),
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation": _ec2(
        "CreateSubnetCidrReservation", None, SubnetId="subnetId", Cidr="cidrBlock",
        ReservationType="reservationType", Description="description"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": lambda i, r: [],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ingress_rule,
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": _ec2(
        "CreateTransitGatewayVpcAttachment", "transit-gateway-attachment",
        TransitGatewayId="transitGatewayId", VpcId="vpcId", SubnetIds="subnetIds"),
    "aws:ec2/tag:Tag": lambda i, r: [("ec2", "CreateTags", {
        "Resources": [i.get("resourceId")], "Tags": [{"Key": i.get("key"),
                                                      "Value": i.get("value")}]})],
    "aws:iam/role:Role": _iam_role,
    "aws:iam/rolePolicy:RolePolicy": lambda i, r: [("iam", "PutRolePolicy", {
        "RoleName": i.get("role"), "PolicyName": _name(r), "PolicyDocument": i.get("policy")})],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": lambda i, r: [(
        "iam", "AttachRolePolicy", {"RoleName": i.get("role"), "PolicyArn": i.get("policyArn")})],
    "aws:iam/policy:Policy": lambda i, r: [("iam", "CreatePolicy", {
        "PolicyName": _name(r), "Path": i.get("path"), "PolicyDocument": i.get("policy"),
        "Description": i.get("description"), "Tags": _kv(i.get("tags"))})],
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": lambda i, r: [(
        "iam", "CreateOpenIDConnectProvider", {
            "Url": i.get("url"), "ClientIDList": i.get("clientIdLists"),
            "ThumbprintList": i.get("thumbprintLists"), "Tags": _kv(i.get("tags"))})],
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": lambda i, r: [("kms", "CreateAlias", {
        "AliasName": _name(r), "TargetKeyId": i.get("targetKeyId")})],
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:sqs/queue:Queue": _queue,
    "aws:sqs/queuePolicy:QueuePolicy": lambda i, r: [("sqs", "SetQueueAttributes", {
        "QueueUrl": i.get("queueUrl") or "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "Attributes": {"Policy": i.get("policy")}})],
    "aws:cloudwatch/eventRule:EventRule": lambda i, r: [("events", "PutRule", {
        "Name": _name(r), "EventPattern": i.get("eventPattern"),
        "ScheduleExpression": i.get("scheduleExpression"), "State": i.get("state"),
        "Description": i.get("description"), "RoleArn": i.get("roleArn"),
        "EventBusName": i.get("eventBusName"), "Tags": _kv(i.get("tags"))})],
    "aws:cloudwatch/eventTarget:EventTarget": _event_target,
}
MAPPED = frozenset(_BUILDERS)


def requests_of(resource: RecordedResource) -> list[Request] | None:
    """The requests creating `resource` implies, or None when its type is not mapped."""
    build = _BUILDERS.get(resource.type)
    if build is None:
        return None
    inputs = _num(resource.inputs)
    unknown_inputs = {k for k, v in resource.inputs.items() if type(v).__name__ == "Unknown"}
    out = []
    for service, operation, params in build(inputs, resource):
        renamed = {k for k, v in params.items() if v is None} if unknown_inputs else set()
        out.append(Request(service, operation, _clean(_num(params)), resource.urn,
                           frozenset(renamed)))
    return out
