"""EKS Hybrid Nodes: remote networks, access entry, IAM, security group rules and CNIs, as data
with their sources (issue #19); pure."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from eks_platform.facts.eks_api import (
    G_HYBRID_CREDS,
    G_HYBRID_NET,
    ManagedPolicy,
    Trust,
)

# ----------------------------------------------------------------------------------------------
# Hybrid nodes
# ----------------------------------------------------------------------------------------------

#: Remote node and pod CIDRs must lie in these RFC 1918 IPv4 ranges, be /8 to /32, and overlap
#: neither each other, the VPC's CIDRs nor the service IPv4 CIDR. Source: G_HYBRID_NET,
#: G_HYBRID_UPDATE; BOTOCORE (RemoteNodeNetwork documentation: "Minimum allowed size is /32,
#: maximum allowed size is /8").
HYBRID_ALLOWED_RANGES: Final = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
HYBRID_PREFIX_RANGE: Final = (8, 32)
#: Hybrid nodes need an IPv4 cluster using access entries (API or API_AND_CONFIG_MAP; the
#: aws-auth ConfigMap route needs API_AND_CONFIG_MAP). Source: G_HYBRID_UPDATE, G_HYBRID_PREP.
HYBRID_IP_FAMILY: Final = "ipv4"
HYBRID_AUTHENTICATION_MODES: Final = ("API", "API_AND_CONFIG_MAP")
#: The remote networks can be added, changed or removed after creation (each update replaces the
#: whole CIDR list it names; empty lists remove the configuration). An older guide copy
#: (G_HYBRID_CREATE) said they were fixed at creation. Source: BOTOCORE (RemoteNetworkConfigRequest
#: and UpdateClusterConfig documentation); G_HYBRID_UPDATE.
HYBRID_REMOTE_NETWORKS_UPDATABLE: Final = True
#: Endpoint: public-and-private makes the endpoint resolve to public IPs for hybrid nodes, which
#: can stop them joining; public only or private only is advised. Source: G_HYBRID_UPDATE
#: ("recommended"); G_HYBRID_CREATE (older copy: "must").
HYBRID_AVOID_PUBLIC_AND_PRIVATE_ENDPOINT: Final = True

#: The hybrid nodes role's access entry; it takes no access policies and no scope.
#: Source: G_HYBRID_PREP.
HYBRID_ACCESS_ENTRY_TYPE: Final = "HYBRID_LINUX"


@dataclass(frozen=True, slots=True)
class HybridCredentials:
    """How the Hybrid Nodes IAM role is assumed, and what it needs beyond the shared part."""

    provider: str
    trust: tuple[Trust, ...]
    managed_policies: tuple[ManagedPolicy, ...]
    actions: tuple[str, ...]


#: Every hybrid nodes role: ECR pulls and `eks:DescribeCluster` (optional if nodeadm is given
#: the endpoint, CA bundle and service CIDR); `eks-auth:AssumeRoleForPodIdentity` only for Pod
#: Identity. Source: G_HYBRID_CREDS ("Hybrid Nodes IAM Role").
HYBRID_ROLE_POLICIES: Final = (ManagedPolicy("AmazonEC2ContainerRegistryPullOnly"),)
HYBRID_ROLE_ACTIONS: Final = ("eks:DescribeCluster",)
HYBRID_ROLE_OPTIONAL_ACTIONS: Final = ("eks-auth:AssumeRoleForPodIdentity",)
#: SSM hybrid activations or IAM Roles Anywhere, never both. Source: G_HYBRID_CREDS.
HYBRID_CREDENTIALS: Final[Mapping[str, HybridCredentials]] = {
    "ssm": HybridCredentials(
        "ssm",
        (Trust("ssm.amazonaws.com", ("sts:AssumeRole",), G_HYBRID_CREDS,
               note="conditions aws:SourceAccount, and aws:SourceArn "
                    "arn:aws:ssm:REGION:ACCOUNT:*"),),
        (ManagedPolicy("AmazonSSMManagedInstanceCore"),),
        ("ssm:DescribeInstanceInformation", "ssm:DeregisterManagedInstance"),
    ),
    "ira": HybridCredentials(
        "ira",
        (Trust("rolesanywhere.amazonaws.com", ("sts:TagSession", "sts:SetSourceIdentity"),
               G_HYBRID_CREDS, note="condition aws:SourceArn = the trust anchor"),
         Trust("rolesanywhere.amazonaws.com", ("sts:AssumeRole",), G_HYBRID_CREDS,
               note="conditions aws:SourceArn = the trust anchor and sts:RoleSessionName = "
                    "${aws:PrincipalTag/x509Subject/CN}")),
        (),
        (),
    ),
}


@dataclass(frozen=True, slots=True)
class SecurityGroupRule:
    direction: Literal["ingress", "egress"]
    protocol: str
    port: int | None  # None: the webhooks' ports
    peer: Literal["remote node CIDRs", "remote pod CIDRs"]
    when: str
    source: str = G_HYBRID_NET


#: Rules the EKS cluster security group needs for hybrid nodes. Source: G_HYBRID_NET
#: ("Cluster security group configuration").
HYBRID_CLUSTER_SG_RULES: Final = (
    SecurityGroupRule("ingress", "tcp", 443, "remote node CIDRs", "always (kubelet to API server)"),
    SecurityGroupRule("ingress", "tcp", 443, "remote pod CIDRs",
                      "when the CNI does not NAT pod traffic (pods to API server)"),
    SecurityGroupRule("egress", "tcp", 10250, "remote node CIDRs",
                      "always (API server to kubelet)"),
    SecurityGroupRule("egress", "tcp", None, "remote pod CIDRs",
                      "when webhooks run on hybrid nodes"),
)

#: CNIs on hybrid nodes. The current guide supports Cilium only (v1.17.x and v1.18.x) and moved
#: its Calico instructions to aws-samples/eks-hybrid-examples; earlier copies (G_HYBRID_CNI)
#: supported Cilium v1.16.x and Calico v3.29.x. The Amazon VPC CNI never runs on hybrid nodes.
#: IPv4 only, VXLAN overlay. Source: G_HYBRID_CNI_LIVE, G_HYBRID_CNI.
HYBRID_SUPPORTED_CNIS: Final = ("cilium",)
HYBRID_FORMERLY_SUPPORTED_CNIS: Final = ("calico",)
HYBRID_CILIUM_VERSIONS: Final = ("1.17", "1.18")
#: The remote pod network is needed when webhooks run on hybrid nodes or the CNI does not NAT
#: pod traffic leaving the host. Source: G_HYBRID_NET.
HYBRID_POD_NETWORK_NEEDED_FOR: Final = ("webhooks on hybrid nodes", "CNI without NAT/masquerade")


def _networks(cidrs: Iterable[str], label: str, problems: list[str]) -> list[ipaddress.IPv4Network]:
    allowed = [ipaddress.IPv4Network(r) for r in HYBRID_ALLOWED_RANGES]
    low, high = HYBRID_PREFIX_RANGE
    networks = []
    for cidr in cidrs:
        try:
            network = ipaddress.ip_network(cidr, strict=True)
        except ValueError:
            problems.append(f"{label} {cidr!r} is not a CIDR block")
            continue
        if not isinstance(network, ipaddress.IPv4Network):
            problems.append(f"{label} {cidr} is IPv6; hybrid nodes are IPv4 only")
            continue
        if not any(network.subnet_of(r) for r in allowed):
            problems.append(f"{label} {cidr} is outside the RFC 1918 ranges "
                            f"{', '.join(HYBRID_ALLOWED_RANGES)}")
        elif not low <= network.prefixlen <= high:
            problems.append(f"{label} {cidr} must be /{low} to /{high}")
        networks.append(network)
    return networks


def remote_network_problems(
    node_cidrs: Sequence[str],
    pod_cidrs: Sequence[str] = (),
    *,
    vpc_cidrs: Sequence[str] = (),
    service_cidr: str | None = None,
) -> list[str]:
    """What EKS refuses in a hybrid nodes `remoteNetworkConfig`: non-RFC 1918 or IPv6 blocks,
    and overlaps between the remote CIDRs, the VPC's CIDRs and the service CIDR.
    Source: G_HYBRID_NET, G_HYBRID_UPDATE, BOTOCORE."""
    problems: list[str] = []
    if not node_cidrs:
        problems.append("hybrid nodes need at least one remote node CIDR")
    remote = [("remote node CIDR", n) for n in _networks(node_cidrs, "remote node CIDR", problems)]
    remote += [("remote pod CIDR", n) for n in _networks(pod_cidrs, "remote pod CIDR", problems)]
    for i, (label_a, a) in enumerate(remote):
        for label_b, b in remote[i + 1:]:
            if a.overlaps(b):
                problems.append(f"{label_a} {a} overlaps {label_b} {b}")
    others = [("VPC CIDR", c) for c in vpc_cidrs]
    if service_cidr is not None:
        others.append(("service CIDR", service_cidr))
    for label_o, cidr in others:
        other = ipaddress.ip_network(cidr, strict=False)
        for label_r, network in remote:
            if network.overlaps(other):
                problems.append(f"{label_r} {network} overlaps the {label_o} {other}")
    return problems


