"""EC2 (and VPC, transit gateway) request builders: Pulumi inputs -> botocore params."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from eks_platform.tools.synth.graph import RecordedResource
from tests.conformance.requests_common import clean, ec2_tags, kv, name


def _ec2(operation: str, kind: str | None, **members: str) -> Callable[..., Any]:
    def build(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
        params = {member: i.get(key) for member, key in members.items()}
        if kind is not None:
            params["TagSpecifications"] = ec2_tags(kind, i.get("tags"))
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
    data = clean({
        "BlockDeviceMappings": [
            clean({"DeviceName": b.get("deviceName"), "Ebs": ebs(b.get("ebs") or {})})
            for b in i.get("blockDeviceMappings") or []
        ],
        "MetadataOptions": clean({
            "HttpTokens": meta.get("httpTokens"), "HttpEndpoint": meta.get("httpEndpoint"),
            "HttpPutResponseHopLimit": meta.get("httpPutResponseHopLimit"),
            "HttpProtocolIpv6": meta.get("httpProtocolIpv6"),
            "InstanceMetadataTags": meta.get("instanceMetadataTags"),
        }),
        "UserData": i.get("userData"), "ImageId": i.get("imageId"),
        "InstanceType": i.get("instanceType"),
        "SecurityGroupIds": i.get("vpcSecurityGroupIds"),
        "TagSpecifications": [
            {"ResourceType": t.get("resourceType"), "Tags": kv(t.get("tags"))}
            for t in i.get("tagSpecifications") or []
        ],
    })
    params = {
        "LaunchTemplateName": name(r), "VersionDescription": i.get("description"),
        "LaunchTemplateData": data, "TagSpecifications": ec2_tags("launch-template",
                                                                   i.get("tags")),
    }
    return [("ec2", "CreateLaunchTemplate", params)]


def _flow_log(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    params = {
        "ResourceIds": [i.get("vpcId")], "ResourceType": "VPC",
        "TrafficType": i.get("trafficType"), "LogDestinationType": i.get("logDestinationType"),
        "LogDestination": i.get("logDestination"), "DeliverLogsPermissionArn": i.get("iamRoleArn"),
        "MaxAggregationInterval": i.get("maxAggregationInterval"),
        "TagSpecifications": ec2_tags("vpc-flow-log", i.get("tags")),
    }
    return [("ec2", "CreateFlowLogs", params)]


def _ingress_rule(i: Mapping[str, Any], r: RecordedResource) -> list[tuple[str, str, Any]]:
    permission = clean({
        "IpProtocol": i.get("ipProtocol"), "FromPort": i.get("fromPort"),
        "ToPort": i.get("toPort"),
        "IpRanges": [clean({"CidrIp": i.get("cidrIpv4"), "Description": i.get("description")})]
        if i.get("cidrIpv4") else None,
        "Ipv6Ranges": [clean({"CidrIpv6": i.get("cidrIpv6"),
                               "Description": i.get("description")})]
        if i.get("cidrIpv6") else None,
    })
    params = {"GroupId": i.get("securityGroupId"), "IpPermissions": [permission],
              "TagSpecifications": ec2_tags("security-group-rule", i.get("tags"))}
    return [("ec2", "AuthorizeSecurityGroupIngress", params)]



EC2_BUILDERS: dict[str, Callable[[Mapping[str, Any], RecordedResource], list[Any]]] = {
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
}
