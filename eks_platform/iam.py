"""IAM policy documents and managed policy ARNs (pure: strings in, JSON out).

Managed policies are named once here; `policy_arn()` puts them in the region's partition so the
same code works in aws, aws-cn and aws-us-gov.
"""

from __future__ import annotations

import json
from typing import Any

from .registry import partition_of

CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
#: PullOnly is the least privilege that lets nodes pull images (ReadOnly also lists them).
NODE_POLICIES = (
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
)
CNI_POLICY = "AmazonEKS_CNI_Policy"
#: Managed policies are named by their IAM path and name: a few live under `service-role/`.
EBS_CSI_POLICY = "service-role/AmazonEBSCSIDriverPolicy"
FARGATE_POLICY = "AmazonEKSFargatePodExecutionRolePolicy"
CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy"

STS_AUDIENCE = "sts.amazonaws.com"
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"


def policy_arn(name: str, region: str) -> str:
    """ARN of an AWS managed IAM policy (`path/name` or `name`) in the region's partition."""
    return f"arn:{partition_of(region)}:iam::aws:policy/{name}"


def policy_label(name: str) -> str:
    """The policy's name without its path, for resource names (`service-role/X` -> `X`)."""
    return name.rsplit("/", 1)[-1]


def access_policy_arn(name: str, region: str) -> str:
    """ARN of an EKS access policy (for access entries)."""
    return f"arn:{partition_of(region)}:eks::aws:cluster-access-policy/{name}"


def _document(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def service_trust_policy(service: str, *, tag_session: bool = False) -> str:
    """Trust policy letting an AWS service principal assume the role."""
    actions: str | list[str] = ["sts:AssumeRole", "sts:TagSession"] if tag_session \
        else "sts:AssumeRole"
    return _document([{
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": actions,
    }])


def pod_identity_trust_policy() -> str:
    """EKS Pod Identity needs AssumeRole and TagSession for pods.eks.amazonaws.com."""
    return service_trust_policy(POD_IDENTITY_SERVICE, tag_session=True)


def irsa_trust_policy(
    oidc_provider_arn: str, issuer_url: str, namespace: str, service_account: str
) -> str:
    """Web-identity trust scoped to one Kubernetes service account of one cluster."""
    issuer = issuer_url.removeprefix("https://")
    return _document([{
        "Effect": "Allow",
        "Principal": {"Federated": oidc_provider_arn},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {
                f"{issuer}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                f"{issuer}:aud": STS_AUDIENCE,
            }
        },
    }])


def cni_ipv6_policy(region: str) -> str:
    """The policy AWS documents for the VPC CNI on IPv6 clusters (there is no managed one)."""
    partition = partition_of(region)
    return _document([
        {
            "Effect": "Allow",
            "Action": [
                "ec2:AssignIpv6Addresses",
                "ec2:DescribeInstances",
                "ec2:DescribeTags",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeInstanceTypes",
            ],
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Action": ["ec2:CreateTags"],
            "Resource": [f"arn:{partition}:ec2:*:*:network-interface/*"],
        },
    ])
