"""Typical creation times and the estimated deploy critical path of a recorded graph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph, RecordedResource

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
MANAGED_NODE_GROUP = "eks-platform:nodegroup:ManagedNodeGroup"
FARGATE_PROFILE = "aws:eks/fargateProfile:FargateProfile"
ADDON = "aws:eks/addon:Addon"
HELM_RELEASE = "kubernetes:helm.sh/v3:Release"
PROVIDER_PREFIX = "pulumi:providers:"

SECRET = "[secret]"
UNKNOWN = "[unknown]"

# Typical creation times in seconds per resource type: conservative round figures from AWS
# documentation and field experience, not measurements of any stack.
# - EKS cluster: the EKS user guide says cluster creation takes about 10 minutes (often 8-12).
# - Managed node group: 3-5 minutes until the nodes join and the group is ACTIVE.
# - NAT gateway: the VPC user guide notes creation can take a few minutes (typically ~2).
# - Fargate profile: 2-3 minutes; EKS creates profiles one at a time per cluster.
# - EKS managed add-on, Helm release: about a minute until the workload is ready.
# - IAM, KMS, VPC plumbing (subnets, route tables, gateways), launch templates, access
#   entries: a few seconds each (API calls with no provisioning behind them).
# - Components and providers create nothing in AWS: 0.
TYPICAL_CREATE_SECONDS: dict[str, int] = {
    CLUSTER: 600,
    NODE_GROUP: 240,
    FARGATE_PROFILE: 150,
    "aws:ec2/natGateway:NatGateway": 120,
    ADDON: 60,
    HELM_RELEASE: 60,
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": 5,
    "aws:eks/accessEntry:AccessEntry": 5,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 5,
    "aws:ec2/vpc:Vpc": 5,
    "aws:ec2/subnet:Subnet": 5,
    "aws:ec2/eip:Eip": 5,
    "aws:ec2/internetGateway:InternetGateway": 5,
    "aws:ec2/routeTable:RouteTable": 5,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": 2,
    "aws:ec2/securityGroup:SecurityGroup": 5,
    "aws:ec2/launchTemplate:LaunchTemplate": 5,
    "aws:kms/key:Key": 5,
    "aws:kms/alias:Alias": 2,
    "aws:iam/role:Role": 5,
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 5,
    "aws:cloudwatch/logGroup:LogGroup": 2,
}
#: A custom resource type missing from the table: a short API call.
DEFAULT_CREATE_SECONDS = 10

FIGURES_SOURCE = (
    "Figures are typical creation times per resource type from AWS documentation (EKS cluster "
    "about 10 min, NAT gateway a few min) and field experience (node group 3-5 min, add-on or "
    "Helm release about 1 min, IAM/KMS/VPC plumbing seconds), not measurements of this stack; "
    "see plan.TYPICAL_CREATE_SECONDS."
)

SECRET_KEY = re.compile(r"kubeconfig|token|password|secret", re.IGNORECASE)


# --- graph helpers -------------------------------------------------------------------------

def create_seconds(resource: RecordedResource) -> int:
    """Typical creation time of one resource (0 for components and providers)."""
    if not resource.custom or resource.type.startswith(PROVIDER_PREFIX):
        return 0
    return TYPICAL_CREATE_SECONDS.get(resource.type, DEFAULT_CREATE_SECONDS)


def effective_dependencies(graph: Graph) -> dict[str, list[str]]:
    """For each custom resource, the custom resources it waits for (`waits_for`, with a
    component expanded to its custom descendants registered before it), sorted."""
    index = {r.urn: i for i, r in enumerate(graph.resources)}
    by_urn, descendants = graph.by_urn, graph.descendant_urns
    result: dict[str, list[str]] = {}
    for position, resource in enumerate(graph.resources):
        if not resource.custom:
            continue
        waits: set[str] = set()
        for urn in resource.waits_for:
            target = by_urn.get(urn)
            if target is None:
                continue
            expanded = [urn] if target.custom else [
                d for d in descendants[urn] if by_urn[d].custom]
            waits.update(d for d in expanded if index[d] < position)
        result[resource.urn] = sorted(waits)
    return result


def natural_key(text: str) -> tuple[str | int, ...]:
    """Numbers compare as numbers: `general-29` < `general-58` < `general-110`."""
    parts = re.split(r"(\d+)", text)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def stable_order(graph: Graph) -> list[RecordedResource]:
    """The resources in a run-independent order that is also a deploy order: by dependency
    depth (a custom resource comes after everything it waits for; a component sits at its
    earliest descendant), then by URN. The recorded order differs between runs because the
    SDK registers resources concurrently."""
    deps = effective_dependencies(graph)
    depth: dict[str, int] = {}
    for resource in graph:  # registration order is a topological order
        if resource.custom:
            depth[resource.urn] = 1 + max((depth[d] for d in deps[resource.urn]), default=-1)
    descendants = graph.descendant_urns
    for resource in graph:
        if not resource.custom:
            depth[resource.urn] = min((depth[d] for d in descendants[resource.urn]
                                       if d in depth), default=0)
    return sorted(graph, key=lambda r: (depth[r.urn], natural_key(r.urn)))


@dataclass(frozen=True)
class Step:
    resource: RecordedResource
    seconds: int
    done_at: int
    """Estimated seconds from the start of the deploy until this step is created."""


def critical_path(graph: Graph) -> list[Step]:
    """The longest dependency chain, weighted by `create_seconds`, first step first."""
    deps = effective_dependencies(graph)
    by_urn = graph.by_urn
    finish: dict[str, int] = {}
    previous: dict[str, str | None] = {}
    for resource in graph:  # registration order is a topological order
        if not resource.custom:
            continue
        # Dependencies are sorted by URN: ties go to the first, the same in every run.
        before = max(deps[resource.urn], key=lambda d: finish[d], default=None)
        previous[resource.urn] = before
        finish[resource.urn] = create_seconds(resource) + (finish[before] if before else 0)
    if not finish:
        return []
    last: str | None = max(sorted(finish), key=finish.__getitem__)
    chain: list[Step] = []
    while last is not None:
        chain.append(Step(by_urn[last], create_seconds(by_urn[last]), finish[last]))
        last = previous[last]
    # Zero-cost steps (providers) at the start tell nothing; keep them inside the chain.
    while chain and chain[-1].seconds == 0:
        chain.pop()
    return chain[::-1]

