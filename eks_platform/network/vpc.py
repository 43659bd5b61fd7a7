"""`Vpc`: the network a cluster needs when the stack brings none.

Plain resources rather than pulumi-awsx: awsx's Vpc is a multi-language component whose
children are created by a Node.js plugin, which Pulumi mocks cannot run, so subnets, NAT and
subnet tags would be invisible to the offline plan and the tests. Here every subnet and route
is on the recorded graph, and the CIDR layout is a pure function.
"""

from __future__ import annotations

from ipaddress import IPv4Network

import pulumi
import pulumi_aws as aws
from pydantic import Field, field_validator

from eks_platform.addons.registry import check_region
from eks_platform.cluster.settings import CLUSTER_NAME_PATTERN
from eks_platform.component import ComponentArgs, EksComponent
from eks_platform.facts.zones import STANDARD_ZONE_TYPE, Zone, choose_zones, zones_from_lists
from eks_platform.identity import cidr_key
from eks_platform.karpenter.nodepools import DISCOVERY_TAG
from eks_platform.network.flow_logs import VpcFlowLogs, VpcFlowLogsArgs
from eks_platform.network.settings import VpcSettings, plan_subnets


class ZoneChoiceError(ValueError):
    """The region (as this account sees it) has fewer usable zones than the VPC asks for."""


def deploy_zones(count: int, opts: pulumi.InvokeOptions | None = None) -> list[Zone]:
    """The zones a VPC uses, from the account's answer: standard availability zones only
    (no Local or Wavelength Zones), by zone ID, none that EKS refuses (`choose_zones`).

    A plain (blocking) invoke, so that a region without enough zones is one clear error
    while the program runs, before any resource is created, never an IndexError in an apply.
    """
    answer = aws.get_availability_zones(
        state="available", opts=opts,
        filters=[aws.GetAvailabilityZonesFilterArgs(name="zone-type",
                                                    values=[STANDARD_ZONE_TYPE])])
    region = answer.region or answer.id
    zones = zones_from_lists(answer.names, answer.zone_ids)
    try:
        return choose_zones(zones, count, region)
    except ValueError as error:
        raise ZoneChoiceError(f"vpc.availabilityZones = {count}: {error}") from None


def subnet_tags(cluster_name: str, public: bool) -> dict[str, str]:
    """Tags the AWS Load Balancer Controller and the in-tree provider use to find subnets."""
    role = "kubernetes.io/role/elb" if public else "kubernetes.io/role/internal-elb"
    return {role: "1", f"kubernetes.io/cluster/{cluster_name}": "shared"}


class VpcArgs(VpcSettings, ComponentArgs):
    """A VPC for cluster `cluster_name` in `region`: the stack file's `vpc` settings (same
    rules, same messages; flow logs on by default) plus what the platform decides."""

    cluster_name: str = Field(pattern=CLUSTER_NAME_PATTERN)
    """Names the subnet tags the load balancer controller and Karpenter look for."""
    region: str
    """Region of the VPC; its zones are chosen from the account's answer at deploy."""
    pod_subnets: bool = False
    """Custom networking: one pod subnet per AZ in `pod_cidr` (default 100.64.0.0/16)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tags on every resource of the VPC."""
    kms_key_admins: list[str] = Field(default_factory=list)
    """Administrators of the flow logs' key, besides the identity running `pulumi up`."""
    protect: bool = False
    """Protects the flow logs' group and key."""
    deployer_cidrs: list[IPv4Network] = Field(default_factory=list)
    """Networks that reach the cluster's private endpoint (`endpoint.privateAccessCidrs`):
    routed through `transit_gateway_id` from every private subnet."""
    karpenter_discovery: bool = False
    """Tag the private (node) subnets `karpenter.sh/discovery: <cluster>` for Karpenter's
    EC2NodeClass subnet selector."""

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        return check_region(region)


class Vpc(EksComponent):
    """VPC with a public and a private subnet per AZ; private subnets egress through NAT.
    The zones are the first usable ones by zone ID (`deploy_zones`)."""

    vpc_id: pulumi.Output[str]
    """The VPC's ID."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Private subnets, one per AZ, as soon as they exist (the control plane's ENIs)."""
    egress_subnet_ids: pulumi.Output[list[str]]
    """The same subnets, resolved only once they route through NAT (for nodes and Fargate,
    which must reach the EKS and ECR endpoints from their first boot)."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Public subnets (internet-facing load balancers, NAT gateways), one per AZ."""
    pod_subnets: list[tuple[str, pulumi.Output[str]]]
    """Custom networking: (zone name, pod subnet ID) per AZ, in the secondary CIDR block and
    routed like the private subnet of the zone; empty without `pod_cidr`."""
    flow_logs: VpcFlowLogs | None
    """The VPC's flow logs, when on."""
    default_security_group: aws.ec2.DefaultSecurityGroup
    """The VPC's default security group, managed with no rules (CIS AWS 5.4)."""
    deployer_routes: list[aws.ec2.Route]
    """Routes to the deployer's networks through the transit gateway: what the Kubernetes
    provider waits for besides the endpoint's 443 rule."""
    egress_path: list[pulumi.Resource]
    """The way out to the internet: gateway, public route and associations, NAT gateways and
    routes. What runs instances itself (Karpenter) depends on it, so `pulumi destroy` removes
    that first, while its controller can still reach EC2 to terminate its nodes."""

    def __init__(self, name: str, args: VpcArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("eks-platform:network:Vpc", name, opts)
        child = self.child_opts()
        tags = dict(args.tags)
        discovery = {DISCOVERY_TAG: args.cluster_name} if args.karpenter_discovery else {}
        plan = plan_subnets(args.cidr, args.availability_zones)
        zones = deploy_zones(args.availability_zones, pulumi.InvokeOptions(parent=self))

        vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=str(args.cidr), enable_dns_hostnames=True,
                          enable_dns_support=True, tags={**tags, "Name": name}, opts=child)
        # The VPC's default security group, adopted with no rules: Terraform's
        # aws_default_security_group removes every rule on adoption and adds only those given
        # (CIS AWS Foundations 5.4, Security Hub EC2.2). Nothing here uses it.
        self.default_security_group = aws.ec2.DefaultSecurityGroup(
            f"{name}-default-sg", vpc_id=vpc.id, ingress=[], egress=[],
            tags={**tags, "Name": f"{name}-default (no rules)"}, opts=child)
        self.flow_logs = None
        if args.flow_logs.enabled:
            self.flow_logs = VpcFlowLogs(f"{name}-flow-logs", VpcFlowLogsArgs(
                vpc_id=vpc.id, cluster_name=args.cluster_name, region=args.region,
                settings=args.flow_logs, kms_key_admins=args.kms_key_admins,
                protect=args.protect, tags=tags), opts=child)
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=vpc.id, tags=tags, opts=child)
        # Every route is its own aws.ec2.Route: a table with inline routes would remove, on its
        # next refresh, the routes other resources add (the provider's documented conflict).
        public_rt = aws.ec2.RouteTable(
            f"{name}-public", vpc_id=vpc.id, tags={**tags, "Name": f"{name}-public"},
            opts=child)
        public_route = aws.ec2.Route(
            f"{name}-public-internet", route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0", gateway_id=igw.id, opts=child)
        self.egress_path = [igw, public_route]

        # Custom networking: pod subnets in a secondary CIDR block, zones by index.
        secondary = None
        pod_plan = args.pod_subnet_plan() if args.pod_subnets else []
        if pod_plan:
            secondary = aws.ec2.VpcIpv4CidrBlockAssociation(
                f"{name}-pods", vpc_id=vpc.id, cidr_block=str(args.effective_pod_cidr),
                opts=child)
        self.pod_subnets = []
        public_ids: list[pulumi.Output[str]] = []
        private_ids: list[pulumi.Output[str]] = []
        private_tables: list[aws.ec2.RouteTable] = []
        egress_ids: list[pulumi.Output[str]] = []
        nat_ids: list[pulumi.Output[str]] = []
        for index, (private_cidr, public_cidr) in enumerate(zip(plan.private, plan.public,
                                                                strict=True)):
            zone = zones[index].name
            public = aws.ec2.Subnet(
                f"{name}-public-{index}", vpc_id=vpc.id, cidr_block=str(public_cidr),
                availability_zone=zone, map_public_ip_on_launch=False,
                tags={**tags, **subnet_tags(args.cluster_name, True),
                      "Name": f"{name}-public-{index}"}, opts=child)
            self.egress_path.append(aws.ec2.RouteTableAssociation(
                f"{name}-public-{index}", subnet_id=public.id, route_table_id=public_rt.id,
                opts=child))
            public_ids.append(public.id)
            if index == 0 or args.nat_gateways == "onePerAz":
                eip = aws.ec2.Eip(f"{name}-nat-{index}", domain="vpc", tags=tags, opts=child)
                nat = aws.ec2.NatGateway(
                    f"{name}-nat-{index}", allocation_id=eip.id, subnet_id=public.id,
                    tags={**tags, "Name": f"{name}-nat-{index}"},
                    opts=self.child_opts(depends_on=[igw]))
                nat_ids.append(nat.id)
                self.egress_path.append(nat)
            private = aws.ec2.Subnet(
                f"{name}-private-{index}", vpc_id=vpc.id, cidr_block=str(private_cidr),
                availability_zone=zone,
                tags={**tags, **subnet_tags(args.cluster_name, False), **discovery,
                      "Name": f"{name}-private-{index}"}, opts=child)
            private_rt = aws.ec2.RouteTable(
                f"{name}-private-{index}", vpc_id=vpc.id,
                tags={**tags, "Name": f"{name}-private-{index}"}, opts=child)
            nat_route = aws.ec2.Route(
                f"{name}-private-{index}-nat", route_table_id=private_rt.id,
                destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat_ids[-1], opts=child)
            association = aws.ec2.RouteTableAssociation(
                f"{name}-private-{index}", subnet_id=private.id,
                route_table_id=private_rt.id, opts=child)
            self.egress_path += [nat_route, association]
            if secondary is not None:
                self.pod_subnets.append((zone, self._pod_subnet(
                    name, index, zone, pod_plan[index].cidr, vpc.id, secondary, private_rt,
                    nat_route, tags)))
            private_tables.append(private_rt)
            private_ids.append(private.id)
            egress_ids.append(pulumi.Output.all(private.id, association.id, nat_route.id).apply(
                lambda ids: ids[0]))

        self.deployer_routes = self._deployer_routes(name, args, vpc.id, private_ids,
                                                     private_tables, tags)
        self.vpc_id = vpc.id
        self.private_subnet_ids = pulumi.Output.all(*private_ids)
        self.egress_subnet_ids = pulumi.Output.all(*egress_ids)
        self.public_subnet_ids = pulumi.Output.all(*public_ids)
        self.register_outputs({"vpcId": self.vpc_id, "privateSubnetIds": self.private_subnet_ids,
                               "publicSubnetIds": self.public_subnet_ids})

    def _deployer_routes(self, name: str, args: VpcArgs, vpc_id: pulumi.Output[str],
                         subnet_ids: list[pulumi.Output[str]],
                         tables: list[aws.ec2.RouteTable],
                         tags: dict[str, str]) -> list[aws.ec2.Route]:
        """The private subnets attached to the transit gateway, and a route to each deployer
        network from each private route table (the API's ENIs answer from those subnets)."""
        if args.transit_gateway_id is None:
            return []
        attachment = aws.ec2transitgateway.VpcAttachment(
            f"{name}-tgw", transit_gateway_id=args.transit_gateway_id, vpc_id=vpc_id,
            subnet_ids=subnet_ids, tags={**tags, "Name": f"{name}-tgw"}, opts=self.child_opts())
        # Named by the range, so inserting a range creates only its routes (an alias keeps
        # the routes of stacks deployed when they were named by position).
        return [
            aws.ec2.Route(
                f"{name}-private-{index}-deployer-{cidr_key(cidr)}", route_table_id=table.id,
                destination_cidr_block=str(cidr), transit_gateway_id=args.transit_gateway_id,
                opts=self.child_opts(depends_on=[attachment], aliases=[
                    pulumi.Alias(name=f"{name}-private-{index}-deployer-{number}")]))
            for index, table in enumerate(tables)
            for number, cidr in enumerate(args.deployer_cidrs)]

    def _pod_subnet(self, name: str, index: int, zone: str, cidr: str,
                    vpc_id: pulumi.Output[str], secondary: pulumi.Resource,
                    route_table: aws.ec2.RouteTable, nat_route: aws.ec2.Route,
                    tags: dict[str, str]) -> pulumi.Output[str]:
        """The zone's pod subnet, egressing through the zone's NAT like its node subnet;
        its ID resolves once that route is in place."""
        subnet = aws.ec2.Subnet(
            f"{name}-pods-{index}", vpc_id=vpc_id, cidr_block=cidr,
            availability_zone=zone,
            tags={**tags, "Name": f"{name}-pods-{index}", "eks-platform/subnet": "pods"},
            opts=self.child_opts(depends_on=[secondary]))
        association = aws.ec2.RouteTableAssociation(
            f"{name}-pods-{index}", subnet_id=subnet.id, route_table_id=route_table.id,
            opts=self.child_opts())
        return pulumi.Output.all(subnet.id, association.id, nat_route.id).apply(
            lambda ids: str(ids[0]))
