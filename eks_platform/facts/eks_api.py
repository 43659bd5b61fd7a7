"""The EKS API facts behind Auto Mode, control-plane tiers, hybrid nodes and add-on namespaces.

Written by hand; every fact names where it was read. Three kinds of source:

* the EKS API model bundled with botocore (``botocore/data/eks/2017-11-01/service-2.json.gz``,
  botocore 1.44.8): enums, shapes and limits. ``tests/facts/test_eks_api.py`` checks the
  data here against that model, so a botocore upgrade that changes them fails a test;
* the EKS user guide sources (GitHub ``awsdocs/amazon-eks-user-guide``, ``latest/ug/...``),
  cited by file and by the commit of the stored copy that was read (``@abc1234``);
* the AWS-managed IAM policy catalogue bundled with moto (``moto/iam/aws_managed_policies.py``,
  moto 5.2.5), which fixes each policy's path, hence its ARN.

Where sources disagree or are silent the entry says so (``note`` fields and comments).

The rules built on these facts live with the concern that uses them: `cluster/auto_mode_rules.py`,
`cluster/auto_mode_nodeclass.py`, `cluster/tiers.py`, `cluster/hybrid_rules.py` and
`addons/namespaces.py`. Pure data and small pure functions: no Pulumi, no AWS calls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

# ----------------------------------------------------------------------------------------------
# Sources
# ----------------------------------------------------------------------------------------------

BOTOCORE: Final = "botocore 1.44.8 EKS model (botocore/data/eks/2017-11-01/service-2.json.gz)"
MOTO_POLICIES: Final = "moto 5.2.5 moto/iam/aws_managed_policies.py"
PULUMI_AWS: Final = "pulumi_aws 7.51.1 Python SDK (pulumi_aws/eks/_inputs.py, cluster.py)"
_UG: Final = "awsdocs/amazon-eks-user-guide latest/ug/"


def _guide(path: str, commit: str) -> str:
    """`awsdocs/amazon-eks-user-guide latest/ug/<path> @<short commit>` (the copy read)."""
    return f"{_UG}{path} @{commit[:7]}"


G_AUTO_IAM: Final = _guide("automode/auto-learn-iam.adoc", "c88259ae")
G_AUTO_CLI: Final = _guide("automode/automode-get-started-cli.adoc", "01385604")
G_AUTO_CLI_OLD: Final = _guide("automode/automode-get-started-cli.adoc", "4d52b4d0")
G_AUTO_ENABLE: Final = _guide("automode/auto-enable-existing.adoc", "1fe584bb")
G_AUTO_DISABLE: Final = _guide("automode/auto-disable.adoc", "1fe584bb")
G_AUTO_CREATE: Final = _guide("automode/create-auto.adoc", "4d52b4d0")
G_CREATE_CLUSTER_AUTO: Final = _guide("clusters/create-cluster-auto.adoc", "4d52b4d0")
G_NODE_CLASS: Final = _guide("automode/create-node-class.adoc", "01385604")
G_NODE_POOL: Final = _guide("automode/create-node-pool.adoc", "01385604")
G_BUILTIN_POOLS: Final = _guide("automode/set-builtin-node-pools.adoc", "01c16ed8")
G_AUTO_INSTANCES: Final = _guide("automode/automode-learn-instances.adoc", "06faff14")
G_PCP: Final = _guide("clusters/eks-provisioned-control-plane-introduction.adoc", "e22f3b40")
G_PCP_START: Final = _guide("clusters/eks-provisioned-control-plane-getting-started.adoc",
                            "2557acae")
G_HYBRID_NET: Final = _guide("nodes/hybrid-nodes-networking.adoc", "0531c979")
G_HYBRID_CREATE: Final = _guide("nodes/hybrid-nodes-cluster-create.adoc", "03664525")
G_HYBRID_UPDATE: Final = _guide("nodes/hybrid-nodes-cluster-update.adoc", "11886d0b")
G_HYBRID_PREP: Final = _guide("nodes/hybrid-nodes-cluster-prep.adoc", "03664525")
G_HYBRID_CREDS: Final = _guide("nodes/hybrid-nodes-creds.adoc", "03664525")
G_HYBRID_CNI: Final = _guide("nodes/hybrid-nodes-cni.adoc", "7ddc234d")
G_HYBRID_CNI_LIVE: Final = (
    "https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-cni.html (docs index copy; "
    "awsdocs/amazon-eks-user-guide PR #1163)")
G_ADDONS: Final = _guide("workloads/eks-add-ons.adoc", "057948d9")
G_ADDON_NAMES: Final = _guide("workloads/eks-add-ons.adoc", "4d52b4d0")

# ----------------------------------------------------------------------------------------------
# The EKS API (botocore model)
# ----------------------------------------------------------------------------------------------

#: `AuthenticationMode` enum. Source: BOTOCORE, shape AuthenticationMode.
AUTHENTICATION_MODES: Final = ("API", "API_AND_CONFIG_MAP", "CONFIG_MAP")

#: `ProvisionedControlPlaneTier` enum (`controlPlaneScalingConfig.tier`).
#: Source: BOTOCORE, shape ProvisionedControlPlaneTier.
CONTROL_PLANE_TIERS: Final = ("standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl")

#: `CreateAccessEntry.type`. The model types it as a plain string (no enum); the values are the
#: ones its documentation lists. Source: BOTOCORE, CreateAccessEntryRequest.type documentation.
ACCESS_ENTRY_TYPES: Final = (
    "STANDARD", "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX",
    "HYPERPOD_LINUX",
)

TypeName = Literal["structure", "list", "string", "boolean", "integer"]


@dataclass(frozen=True, slots=True)
class ApiField:
    """One request member, by its dotted path from the operation's input (`[]` steps into a
    list's member), with its botocore type and shape name."""

    path: str
    type_name: TypeName
    shape: str


#: CreateCluster and UpdateClusterConfig accept the same shapes for these members.
#: Source: BOTOCORE (CreateClusterRequest, UpdateClusterConfigRequest).
CLUSTER_API_FIELDS: Final[tuple[ApiField, ...]] = (
    ApiField("computeConfig", "structure", "ComputeConfigRequest"),
    ApiField("computeConfig.enabled", "boolean", "BoxedBoolean"),
    ApiField("computeConfig.nodePools", "list", "StringList"),
    ApiField("computeConfig.nodeRoleArn", "string", "String"),
    ApiField("storageConfig", "structure", "StorageConfigRequest"),
    ApiField("storageConfig.blockStorage", "structure", "BlockStorage"),
    ApiField("storageConfig.blockStorage.enabled", "boolean", "BoxedBoolean"),
    ApiField("kubernetesNetworkConfig", "structure", "KubernetesNetworkConfigRequest"),
    ApiField("kubernetesNetworkConfig.elasticLoadBalancing", "structure", "ElasticLoadBalancing"),
    ApiField("kubernetesNetworkConfig.elasticLoadBalancing.enabled", "boolean", "BoxedBoolean"),
    ApiField("kubernetesNetworkConfig.ipFamily", "string", "IpFamily"),
    ApiField("controlPlaneScalingConfig", "structure", "ControlPlaneScalingConfig"),
    ApiField("controlPlaneScalingConfig.tier", "string", "ProvisionedControlPlaneTier"),
    ApiField("remoteNetworkConfig", "structure", "RemoteNetworkConfigRequest"),
    ApiField("remoteNetworkConfig.remoteNodeNetworks", "list", "RemoteNodeNetworkList"),
    ApiField("remoteNetworkConfig.remoteNodeNetworks[]", "structure", "RemoteNodeNetwork"),
    ApiField("remoteNetworkConfig.remoteNodeNetworks[].cidrs", "list", "StringList"),
    ApiField("remoteNetworkConfig.remotePodNetworks", "list", "RemotePodNetworkList"),
    ApiField("remoteNetworkConfig.remotePodNetworks[]", "structure", "RemotePodNetwork"),
    ApiField("remoteNetworkConfig.remotePodNetworks[].cidrs", "list", "StringList"),
    ApiField("accessConfig.authenticationMode", "string", "AuthenticationMode"),
)

#: Source: BOTOCORE (CreateAddonRequest). UpdateAddonRequest has no `namespaceConfig`.
ADDON_API_FIELDS: Final[tuple[ApiField, ...]] = (
    ApiField("namespaceConfig", "structure", "AddonNamespaceConfigRequest"),
    ApiField("namespaceConfig.namespace", "string", "namespace"),
)

#: `remoteNodeNetworks` and `remotePodNetworks` are lists of at most one object; the CIDRs go in
#: that object's `cidrs` list, which the model does not bound. Source: BOTOCORE
#: (RemoteNodeNetworkList / RemotePodNetworkList max 1); G_HYBRID_UPDATE says the same.
REMOTE_NETWORK_LIST_MAX: Final = 1

#: `namespaceConfig.namespace` length. Source: BOTOCORE, shape `namespace` (min 1, max 63).
ADDON_NAMESPACE_LENGTH: Final = (1, 63)


@dataclass(frozen=True, slots=True)
class PulumiInput:
    """Where an API member lives in pulumi_aws: `owner` is a pulumi_aws.eks class (`ClusterArgs`,
    `AddonArgs` or a nested `*Args` class), `field` its keyword argument, and `args_class` the
    `*Args` class that field takes when the member is a structure."""

    owner: str
    field: str
    args_class: str | None = None


#: API path (as in CLUSTER_API_FIELDS / ADDON_API_FIELDS) -> pulumi_aws 7.51.1 input.
#: Source: PULUMI_AWS (checked by introspection in the tests).
PULUMI_INPUTS: Final[Mapping[str, PulumiInput]] = {
    "computeConfig": PulumiInput("ClusterArgs", "compute_config", "ClusterComputeConfigArgs"),
    "computeConfig.enabled": PulumiInput("ClusterComputeConfigArgs", "enabled"),
    "computeConfig.nodePools": PulumiInput("ClusterComputeConfigArgs", "node_pools"),
    "computeConfig.nodeRoleArn": PulumiInput("ClusterComputeConfigArgs", "node_role_arn"),
    "storageConfig": PulumiInput("ClusterArgs", "storage_config", "ClusterStorageConfigArgs"),
    "storageConfig.blockStorage": PulumiInput(
        "ClusterStorageConfigArgs", "block_storage", "ClusterStorageConfigBlockStorageArgs"),
    "storageConfig.blockStorage.enabled": PulumiInput(
        "ClusterStorageConfigBlockStorageArgs", "enabled"),
    "kubernetesNetworkConfig": PulumiInput(
        "ClusterArgs", "kubernetes_network_config", "ClusterKubernetesNetworkConfigArgs"),
    "kubernetesNetworkConfig.elasticLoadBalancing": PulumiInput(
        "ClusterKubernetesNetworkConfigArgs", "elastic_load_balancing",
        "ClusterKubernetesNetworkConfigElasticLoadBalancingArgs"),
    "kubernetesNetworkConfig.elasticLoadBalancing.enabled": PulumiInput(
        "ClusterKubernetesNetworkConfigElasticLoadBalancingArgs", "enabled"),
    "kubernetesNetworkConfig.ipFamily": PulumiInput(
        "ClusterKubernetesNetworkConfigArgs", "ip_family"),
    "controlPlaneScalingConfig": PulumiInput(
        "ClusterArgs", "control_plane_scaling_config", "ClusterControlPlaneScalingConfigArgs"),
    "controlPlaneScalingConfig.tier": PulumiInput("ClusterControlPlaneScalingConfigArgs", "tier"),
    "remoteNetworkConfig": PulumiInput(
        "ClusterArgs", "remote_network_config", "ClusterRemoteNetworkConfigArgs"),
    # pulumi_aws takes one block here, not a list (the API's list holds at most one item).
    "remoteNetworkConfig.remoteNodeNetworks": PulumiInput(
        "ClusterRemoteNetworkConfigArgs", "remote_node_networks",
        "ClusterRemoteNetworkConfigRemoteNodeNetworksArgs"),
    "remoteNetworkConfig.remoteNodeNetworks[].cidrs": PulumiInput(
        "ClusterRemoteNetworkConfigRemoteNodeNetworksArgs", "cidrs"),
    "remoteNetworkConfig.remotePodNetworks": PulumiInput(
        "ClusterRemoteNetworkConfigArgs", "remote_pod_networks",
        "ClusterRemoteNetworkConfigRemotePodNetworksArgs"),
    "remoteNetworkConfig.remotePodNetworks[].cidrs": PulumiInput(
        "ClusterRemoteNetworkConfigRemotePodNetworksArgs", "cidrs"),
    "accessConfig.authenticationMode": PulumiInput(
        "ClusterAccessConfigArgs", "authentication_mode"),
    "namespaceConfig": PulumiInput("AddonArgs", "namespace_config", "AddonNamespaceConfigArgs"),
    "namespaceConfig.namespace": PulumiInput("AddonNamespaceConfigArgs", "namespace"),
}

#: API members botocore 1.44.8 has that pulumi_aws 7.51.1 does not expose.
#: Source: BOTOCORE (ElasticLoadBalancing.gatewayApi) against PULUMI_AWS (no such field on
#: ClusterKubernetesNetworkConfigElasticLoadBalancingArgs).
PULUMI_MISSING: Final = ("kubernetesNetworkConfig.elasticLoadBalancing.gatewayApi",)

# ----------------------------------------------------------------------------------------------
# IAM: AWS-managed policies and EKS access policies
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """An AWS-managed IAM policy: `arn:<partition>:iam::aws:policy<path><name>`."""

    name: str
    path: str = "/"

    def arn(self, partition: str = "aws") -> str:
        return f"arn:{partition}:iam::aws:policy{self.path}{self.name}"


def access_policy_arn(name: str, partition: str = "aws") -> str:
    """An EKS access policy's ARN (`arn:<partition>:eks::aws:cluster-access-policy/<name>`)."""
    return f"arn:{partition}:eks::aws:cluster-access-policy/{name}"


@dataclass(frozen=True, slots=True)
class Trust:
    """Who may assume a role and with which STS actions."""

    service: str
    actions: tuple[str, ...]
    source: str
    note: str = ""



def minor(kubernetes_version: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)", kubernetes_version.strip())
    if match is None:
        raise ValueError(f"Kubernetes version {kubernetes_version!r} is not MAJOR.MINOR")
    return int(match[1]), int(match[2])

