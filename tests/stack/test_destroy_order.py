"""`pulumi destroy` removes Karpenter's objects while the VPC still reaches EC2.

Pulumi deletes in reverse dependency order: whatever depends on the egress path (internet
gateway, public route and its associations, NAT gateways and routes, private associations) is
deleted before it. Karpenter's controller terminates its nodes when its NodePools and
EC2NodeClasses go, so they, and the controller's release, must depend on that path."""

from __future__ import annotations

from tests.conftest import stack_graph

EGRESS_TYPES = {"aws:ec2/internetGateway:InternetGateway", "aws:ec2/route:Route",
                "aws:ec2/routeTableAssociation:RouteTableAssociation",
                "aws:ec2/natGateway:NatGateway"}


def test_every_karpenter_object_depends_on_the_egress_path() -> None:
    graph = stack_graph("dev")  # the shipped stack with Karpenter and a created VPC
    vpc = next(r for r in graph if r.type == "eks-platform:network:Vpc")
    egress = [r for r in graph.descendants(vpc) if r.type in EGRESS_TYPES
              and not r.name.startswith(f"{vpc.name}-pods")]
    # dev: 2 zones, one NAT: gateway, public route, 2 public and 2 private associations,
    # 1 NAT gateway, 2 NAT routes.
    assert len(egress) == 1 + 1 + 2 + 2 + 1 + 2
    karpenter = next(r for r in graph if r.type == "eks-platform:karpenter:Karpenter")
    objects = [r for r in graph.descendants(karpenter) if r.type.startswith("kubernetes:")]
    assert {r.short_type for r in objects} == {"Release", "NodePool", "EC2NodeClass"}
    missing = [(obj.name, path.name) for obj in objects for path in egress
               if not graph.depends_on(obj, path)]
    assert missing == []
