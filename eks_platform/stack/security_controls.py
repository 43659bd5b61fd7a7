"""The security controls the package holds by default, as data (pure).

Each control names where it comes from, what the package does unless told otherwise and the
setting that relaxes it (None when nothing does). The docs site's security controls page is
generated from this table (`markdown_table`), and graph tests hold every shipped stack to it.

Sources, by the prefix of each entry:

* "CIS EKS x.y.z": CIS Amazon EKS Benchmark v1.7.0 as kube-bench encodes it
  (aquasecurity/kube-bench `cfg/eks-1.7.0/*.yaml`: 2.x control plane, 4.x policies,
  5.x managed services).
* "EKS Best Practices - <section>": the security part of the Amazon EKS Best Practices Guide.
* "AWS Config <rule>": an AWS Config managed rule.
* "EKS user guide - <page>": a requirement or recommendation of the Amazon EKS User Guide.

Setting paths are the stack-file keys (camelCase); `[]` marks a per-item key of a list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Control:
    """One control: stable id, sources, the package's default and what relaxes it."""

    id: str
    title: str
    sources: tuple[str, ...]
    default: str
    relaxed_by: tuple[str, ...] = ()


CONTROLS: tuple[Control, ...] = (
    Control(
        "secrets-encryption", "Kubernetes secrets envelope-encrypted with a customer KMS key",
        ("CIS EKS 5.3.1", "EKS Best Practices - Data encryption and secrets management",
         "AWS Config eks-secrets-encrypted"),
        "a customer managed KMS key with yearly rotation encrypts secrets (or the key given "
        "in kmsKeyArn)", ("kmsKeyArn",)),
    Control(
        "kms-key-policy", "KMS key policies separate administrators from use",
        ("EKS Best Practices - Data encryption and secrets management",),
        "explicit key policies: administrators (the identity running pulumi up, plus "
        "kmsKeyAdmins) get management actions and no use actions (no Encrypt, Decrypt, "
        "GenerateDataKey; the cluster creator's kms:CreateGrant holds only through EKS, "
        "kms:ViaService); users only use through the service (kms:ViaService, or the logs "
        "service principal for named log groups); only administrators disable or delete. An "
        "administrator can still rewrite the key policy (kms:PutKeyPolicy), and the account "
        "root statement lets IAM policies grant use: the separation is what the key policy "
        "grants, auditable, not a wall against an administrator", ("kmsKeyAdmins",)),
    Control(
        "control-plane-logs", "All control plane log types sent to CloudWatch Logs",
        ("CIS EKS 2.1.1", "EKS Best Practices - Detective controls",
         "AWS Config eks-cluster-logging-enabled"),
        "api, audit, authenticator, controllerManager and scheduler (all five by default; dev "
        "keeps api, audit and authenticator)", ("logging",)),
    Control(
        "control-plane-log-retention", "Control plane logs retained, encrypted and protected",
        ("CIS EKS 2.1.2", "EKS Best Practices - Detective controls"),
        "log group created before the cluster, encrypted with its own customer KMS key, kept "
        "365 days by default (prod 731, dev 90), protected with the cluster in prod",
        ("logRetentionDays", "protect")),
    Control(
        "private-endpoint", "API server endpoint private",
        ("CIS EKS 5.4.1", "CIS EKS 5.4.2", "AWS Config eks-endpoint-no-public-access"),
        "private endpoint on, public endpoint off",
        ("endpoint.publicAccess", "endpoint.publicAccessCidrs")),
    Control(
        "private-nodes", "Nodes in private subnets",
        ("CIS EKS 5.4.3", "EKS Best Practices - Network security"),
        "node groups and pods run in private subnets behind NAT"),
    Control(
        "network-policy", "Network policy enforced by the VPC CNI",
        ("CIS EKS 4.3.1", "CIS EKS 5.4.4", "EKS Best Practices - Network security"),
        "the VPC CNI network policy agent on in staging and prod, in both CNI modes",
        ("cni.networkPolicy",)),
    Control(
        "imdsv2", "Instance metadata: IMDSv2 only, one hop",
        ("EKS Best Practices - Identity and Access Management", "AWS Config ec2-imdsv2-check"),
        "launch templates require IMDSv2 tokens with a hop limit of 1, so pods cannot reach "
        "the node role", ("nodeGroups[].imdsHopLimit",)),
    Control(
        "node-volume-encryption", "Every node volume encrypted",
        ("EKS Best Practices - Data encryption and secrets management",),
        "every block device of every launch template encrypted, Bottlerocket's OS volume "
        "included; with a customer KMS key (its policy lets AWSServiceRoleForAutoScaling use "
        "it through EC2) except in dev", ("nodeVolumeKmsKey",)),
    Control(
        "ecr-pull-only", "Nodes may only pull from Amazon ECR",
        ("CIS EKS 5.1.3",),
        "node roles get AmazonEC2ContainerRegistryPullOnly, not ReadOnly"),
    Control(
        "no-cni-policy-on-nodes", "The VPC CNI's EC2 permissions off the node role",
        ("CIS EKS 5.2.1", "EKS Best Practices - Identity and Access Management"),
        "AmazonEKS_CNI_Policy goes to the vpc-cni service account's role, not to nodes"),
    Control(
        "ssm-opt-in", "SSM access on nodes only where asked for",
        ("EKS Best Practices - Identity and Access Management",),
        "AmazonSSMManagedInstanceCore only on node groups that ask for it (it can read every "
        "SSM parameter in the account)", ("nodeGroups[].ssm",)),
    Control(
        "pod-identity-trust", "Pod Identity roles trust one service account of one cluster",
        ("CIS EKS 5.2.1", "EKS Best Practices - Identity and Access Management"),
        "trust of pods.eks.amazonaws.com limited by aws:SourceAccount and the cluster ARN, "
        "namespace and service account session tags"),
    Control(
        "access-entries", "Cluster access through EKS access entries",
        ("CIS EKS 4.1.7", "CIS EKS 5.5.1", "EKS Best Practices - Identity and Access Management"),
        "authentication mode API: access entries, no aws-auth ConfigMap"),
    Control(
        "cluster-admin-where-required", "cluster-admin only for break-glass",
        ("CIS EKS 4.1.1", "EKS Best Practices - Identity and Access Management"),
        "the cluster creator is not admin when admins are given; each admin carries its own "
        "access policy and scope (ClusterAdmin, Admin, Edit, View; cluster or namespaces); a "
        "stack that sends objects through the Kubernetes API (Helm CNI, Karpenter, ENIConfigs) "
        "gives the role running pulumi up a visible cluster-admin entry instead of a hidden one",
        ("clusterCreatorAdmin", "admins[].accessPolicy")),
    Control(
        "cluster-role-trust", "Cluster role trusts eks.amazonaws.com with sts:AssumeRole only",
        ("EKS user guide - Amazon EKS cluster IAM role",
         "EKS user guide - Enable EKS Auto Mode on an existing cluster"),
        "no sts:TagSession, but with EKS Auto Mode, which needs it (with its four capability "
        "policies)", ("autoMode.enabled",)),
    Control(
        "oidc-provider-only-for-irsa", "No IAM OIDC provider unless IRSA uses it",
        ("EKS Best Practices - Identity and Access Management",),
        "the cluster's OIDC provider is created only when a role uses IRSA (prod has none: "
        "its roles use Pod Identity)", ("oidcProvider", "cni.iam")),
    Control(
        "vpc-flow-logs", "VPC flow logs on the VPC the stack creates",
        ("EKS Best Practices - Network security", "AWS Config vpc-flow-logs-enabled"),
        "flow logs of all traffic to a CloudWatch Logs group with its own customer KMS key, "
        "365 days, through a role limited to that group (off in dev)",
        ("vpc.flowLogs.enabled", "vpc.flowLogs.trafficType", "vpc.flowLogs.retentionDays")),
)


BEGIN = "<!-- security-controls:begin (generated by eks_platform.tools.site) -->"
END = "<!-- security-controls:end -->"


def control(control_id: str) -> Control:
    """The control with this id (KeyError names the id when there is none)."""
    for item in CONTROLS:
        if item.id == control_id:
            return item
    raise KeyError(control_id)


def markdown_table(controls: tuple[Control, ...] = CONTROLS) -> str:
    """The controls as the docs' security table."""
    rows = ["| Control | Source | Default | Relaxed by |", "|---|---|---|---|"]
    for item in controls:
        relaxed = ", ".join(f"`{key}`" for key in item.relaxed_by) or "-"
        rows.append(
            f"| {item.title} | {'; '.join(item.sources)} | {item.default} | {relaxed} |")
    return "\n".join(rows) + "\n"


def readme_block() -> str:
    """The docs' generated security table, between its markers."""
    return f"{BEGIN}\n{markdown_table()}{END}"
