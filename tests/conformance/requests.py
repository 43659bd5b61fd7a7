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
from tests.conformance.requests_common import SUFFIX, clean, kv, num
from tests.conformance.requests_common import name as autoname
from tests.conformance.requests_ec2 import EC2_BUILDERS


@dataclass(frozen=True)
class Request:
    service: str
    operation: str
    params: dict[str, Any]
    urn: str
    #: Members whose value is known only at deploy (left out; not reported as missing).
    unknown: frozenset[str] = frozenset()


# --- eks ----------------------------------------------------------------------------------


def _eks_cluster(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    vpc = i.get("vpcConfig") or {}
    net = i.get("kubernetesNetworkConfig") or {}
    encryption = [
        clean({"resources": e.get("resources"), "provider": e.get("provider")})
        for e in ([i["encryptionConfig"]] if i.get("encryptionConfig") else [])
    ]
    log_types = i.get("enabledClusterLogTypes") or []
    params = {
        "name": autoname(r), "version": i.get("version"), "roleArn": i.get("roleArn"),
        "resourcesVpcConfig": clean({
            "subnetIds": vpc.get("subnetIds"), "securityGroupIds": vpc.get("securityGroupIds"),
            "endpointPublicAccess": vpc.get("endpointPublicAccess"),
            "endpointPrivateAccess": vpc.get("endpointPrivateAccess"),
            "publicAccessCidrs": vpc.get("publicAccessCidrs"),
        }),
        "kubernetesNetworkConfig": clean({
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
        "nodegroupName": autoname(r, "nodeGroupName", "nodeGroupNamePrefix"),
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



# --- iam, kms, logs, sqs, events -----------------------------------------------------------


def _iam_role(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    name = autoname(r)
    out: list[tuple[str, str, Any]] = [("iam", "CreateRole", {
        "RoleName": name, "Path": i.get("path"),
        "AssumeRolePolicyDocument": i.get("assumeRolePolicy"),
        "Description": i.get("description"), "MaxSessionDuration": i.get("maxSessionDuration"),
        "PermissionsBoundary": i.get("permissionsBoundary"), "Tags": kv(i.get("tags")),
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
        "Tags": kv(i.get("tags"), "TagKey", "TagValue"), "MultiRegion": i.get("multiRegion"),
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
    name = autoname(r)
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
    attrs = {k: str(v).lower() if isinstance(v, bool) else str(num(v))
             for k, v in attributes.items() if v is not None}
    return [("sqs", "CreateQueue", {"QueueName": autoname(r), "Attributes": attrs or None,
                                    "tags": i.get("tags")})]


def _event_target(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    target = clean({"Id": i.get("targetId") or f"terraform-{SUFFIX}", "Arn": i.get("arn"),
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
    "aws:iam/role:Role": _iam_role,
    "aws:iam/rolePolicy:RolePolicy": lambda i, r: [("iam", "PutRolePolicy", {
        "RoleName": i.get("role"), "PolicyName": autoname(r), "PolicyDocument": i.get("policy")})],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": lambda i, r: [(
        "iam", "AttachRolePolicy", {"RoleName": i.get("role"), "PolicyArn": i.get("policyArn")})],
    "aws:iam/policy:Policy": lambda i, r: [("iam", "CreatePolicy", {
        "PolicyName": autoname(r), "Path": i.get("path"), "PolicyDocument": i.get("policy"),
        "Description": i.get("description"), "Tags": kv(i.get("tags"))})],
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": lambda i, r: [(
        "iam", "CreateOpenIDConnectProvider", {
            "Url": i.get("url"), "ClientIDList": i.get("clientIdLists"),
            "ThumbprintList": i.get("thumbprintLists"), "Tags": kv(i.get("tags"))})],
    "aws:kms/key:Key": _kms_key,
    "aws:kms/alias:Alias": lambda i, r: [("kms", "CreateAlias", {
        "AliasName": autoname(r), "TargetKeyId": i.get("targetKeyId")})],
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:sqs/queue:Queue": _queue,
    "aws:sqs/queuePolicy:QueuePolicy": lambda i, r: [("sqs", "SetQueueAttributes", {
        "QueueUrl": i.get("queueUrl") or "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "Attributes": {"Policy": i.get("policy")}})],
    "aws:cloudwatch/eventRule:EventRule": lambda i, r: [("events", "PutRule", {
        "Name": autoname(r), "EventPattern": i.get("eventPattern"),
        "ScheduleExpression": i.get("scheduleExpression"), "State": i.get("state"),
        "Description": i.get("description"), "RoleArn": i.get("roleArn"),
        "EventBusName": i.get("eventBusName"), "Tags": kv(i.get("tags"))})],
    "aws:cloudwatch/eventTarget:EventTarget": _event_target,
    **EC2_BUILDERS,
}
MAPPED = frozenset(_BUILDERS)


def requests_of(resource: RecordedResource) -> list[Request] | None:
    """The requests creating `resource` implies, or None when its type is not mapped."""
    build = _BUILDERS.get(resource.type)
    if build is None:
        return None
    inputs = num(resource.inputs)
    unknown_inputs = {k for k, v in resource.inputs.items() if type(v).__name__ == "Unknown"}
    out = []
    for service, operation, params in build(inputs, resource):
        renamed = {k for k, v in params.items() if v is None} if unknown_inputs else set()
        out.append(Request(service, operation, clean(num(params)), resource.urn,
                           frozenset(renamed)))
    return out
