"""IAM policy documents and managed policy ARNs (pure: strings in, JSON out).

Managed policies are named once here; `policy_arn()` puts them in the region's partition so the
same code works in aws, aws-cn and aws-us-gov.
"""

from __future__ import annotations

import json
from typing import Any

from eks_platform.addons.registry import dns_suffix, partition_of

CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
#: PullOnly is the least privilege that lets nodes pull images (ReadOnly also lists them).
NODE_POLICIES = (
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
)
#: Session Manager on nodes: opt-in per group, since it includes ssm:GetParameter(s) on `*`.
SSM_POLICY = "AmazonSSMManagedInstanceCore"
CNI_POLICY = "AmazonEKS_CNI_Policy"
#: Managed policies are named by their IAM path and name: a few live under `service-role/`.
EBS_CSI_POLICY = "service-role/AmazonEBSCSIDriverPolicy"
FARGATE_POLICY = "AmazonEKSFargatePodExecutionRolePolicy"

STS_AUDIENCE = "sts.amazonaws.com"
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"
#: Session tags EKS Pod Identity sets when it assumes a role (EKS user guide, "Create IAM role with
#: trust policy required by EKS Pod Identity" and "Grant Pods access to AWS resources based on
#: tags"); the others it sets are eks-cluster-name, kubernetes-pod-name and kubernetes-pod-uid.
POD_IDENTITY_TAG_CLUSTER_ARN = "eks-cluster-arn"
POD_IDENTITY_TAG_NAMESPACE = "kubernetes-namespace"
POD_IDENTITY_TAG_SERVICE_ACCOUNT = "kubernetes-service-account"
FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"

#: An IAM condition block: operator -> condition key -> value(s).
Condition = dict[str, dict[str, str | list[str]]]


def policy_arn(name: str, region: str) -> str:
    """ARN of an AWS managed IAM policy (`path/name` or `name`) in the region's partition."""
    return f"arn:{partition_of(region)}:iam::aws:policy/{name}"


def node_policies(*, ssm: bool, cni: bool) -> tuple[str, ...]:
    """Managed policies of a node role: the worker policies, Session Manager where the group
    asks for it, and the CNI policy only when aws-node runs with the node's role."""
    return (*NODE_POLICIES, *((SSM_POLICY,) if ssm else ()), *((CNI_POLICY,) if cni else ()))


def policy_label(name: str) -> str:
    """The policy's name without its path, for resource names (`service-role/X` -> `X`)."""
    return name.rsplit("/", 1)[-1]


def _document(statements: list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def service_trust_policy(
    service: str, *, tag_session: bool = False, condition: Condition | None = None
) -> str:
    """Trust policy letting an AWS service principal assume the role.

    `tag_session` adds `sts:TagSession`, which only services that pass session tags need (EKS Pod
    Identity, EKS Auto Mode's cluster role); the plain EKS cluster role does not (EKS user guide,
    "Amazon EKS cluster IAM role": AssumeRole only; TagSession appears only on Auto Mode pages).
    """
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": ["sts:AssumeRole", "sts:TagSession"] if tag_session else "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return _document([statement])


def ec2_service(region: str) -> str:
    """EC2's service principal in the region's partition: `ec2.amazonaws.com.cn` in China.
    Node roles trust it; Karpenter's CloudFormation writes it `ec2.${AWS::URLSuffix}`. Other
    services keep `amazonaws.com` there (that template writes events and sqs plainly)."""
    return f"ec2.{dns_suffix(region)}"


def fargate_pod_trust_policy(cluster_arn: str) -> str:
    """The Fargate pod execution role's trust: the Fargate service, only for this cluster's
    profiles (EKS user guide, "Amazon EKS Pod execution IAM role": `aws:SourceArn` like
    `arn:aws:eks:<region>:<account>:fargateprofile/<cluster>/*`), against the confused deputy."""
    prefix, _, name = cluster_arn.partition(":cluster/")
    return service_trust_policy("eks-fargate-pods.amazonaws.com", condition={
        "ArnLike": {"aws:SourceArn": f"{prefix}:fargateprofile/{name}/*"}})


def account_of(arn: str) -> str:
    """The account ID of an ARN (`arn:partition:service:region:account:resource`).

    Lets a caller build the Pod Identity trust from the cluster's ARN Output alone.
    """
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not (parts[4].isdigit() and len(parts[4]) == 12):
        raise ValueError(f"{arn!r} is not an ARN with a 12-digit account ID")
    return parts[4]


def pod_identity_trust_policy(
    *,
    account_id: str | None = None,
    cluster_arn: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
) -> str:
    """EKS Pod Identity trust: AssumeRole and TagSession for pods.eks.amazonaws.com.

    Given the account, cluster, namespace and service account, the trust holds only for that
    service account of that cluster: `aws:SourceAccount` plus the session tags EKS Pod Identity
    sets on every assumption (`aws:RequestTag/eks-cluster-arn`, `kubernetes-namespace`,
    `kubernetes-service-account`; EKS user guide "Create IAM role with trust policy required by
    EKS Pod Identity"). Without them any association in the account, on any cluster, could take
    the role. The cluster is matched by ARN, not name: names repeat across Regions and accounts
    (EKS Best Practices Guide, "ABAC and EKS Pod Identities"). No `aws:SourceArn`: EKS does not
    document its value, and a pattern on association ARNs was reported to break pod-level
    credentials (awslabs/mountpoint-s3-csi-driver#781). Associations must keep session tags on
    (`disableSessionTags` false).
    Without arguments the trust is unconditioned (kept for callers that have no scope yet).
    """
    scope = (account_id, cluster_arn, namespace, service_account)
    if not any(scope):
        return service_trust_policy(POD_IDENTITY_SERVICE, tag_session=True)
    if not (account_id and cluster_arn and namespace and service_account):
        raise ValueError("pod identity trust needs account_id, cluster_arn, namespace and "
                         "service_account together")
    return service_trust_policy(POD_IDENTITY_SERVICE, tag_session=True, condition={
        "StringEquals": {
            "aws:SourceAccount": account_id,
            f"aws:RequestTag/{POD_IDENTITY_TAG_CLUSTER_ARN}": cluster_arn,
            f"aws:RequestTag/{POD_IDENTITY_TAG_NAMESPACE}": namespace,
            f"aws:RequestTag/{POD_IDENTITY_TAG_SERVICE_ACCOUNT}": service_account,
        },
    })


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


def flow_logs_trust_policy(account_id: str, region: str) -> str:
    """Trust for the role VPC Flow Logs uses to publish to CloudWatch Logs.

    Limited to flow logs of this account and Region, as the Amazon VPC user guide ("IAM role for
    publishing flow logs to CloudWatch Logs") recommends against the confused deputy problem.
    """
    return service_trust_policy(FLOW_LOGS_SERVICE, condition={
        "StringEquals": {"aws:SourceAccount": account_id},
        "ArnLike": {
            "aws:SourceArn": f"arn:{partition_of(region)}:ec2:{region}:{account_id}:vpc-flow-log/*",
        },
    })


def flow_logs_publish_policy(log_group_arn: str) -> str:
    """What VPC Flow Logs needs to write into one existing log group, and nothing else.

    AWS's example policy grants `logs:CreateLogGroup` on `*`; the package creates the group
    (encrypted, with retention), so the role gets no CreateLogGroup and only that group's
    streams. `log_group_arn` is the group's ARN without the trailing `:*`.
    """
    group = log_group_arn.removesuffix(":*")
    return _document([
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            "Resource": [group, f"{group}:log-stream:*"],
        },
        {
            "Effect": "Allow",
            "Action": "logs:DescribeLogGroups",
            "Resource": "*",
        },
    ])
