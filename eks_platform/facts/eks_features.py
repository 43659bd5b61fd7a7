"""EKS Auto Mode, control-plane tiers, hybrid nodes and add-on namespaces as data (issue #19).

Written by hand; every fact names where it was read. Three kinds of source:

* the EKS API model bundled with botocore (``botocore/data/eks/2017-11-01/service-2.json.gz``,
  botocore 1.44.8): enums, shapes and limits. ``tests/facts/test_eks_features.py`` checks the
  data here against that model, so a botocore upgrade that changes them fails a test;
* the EKS user guide sources (GitHub ``awsdocs/amazon-eks-user-guide``, ``latest/ug/...``),
  cited by file and by the commit of the stored copy that was read (``@abc1234``);
* the AWS-managed IAM policy catalogue bundled with moto (``moto/iam/aws_managed_policies.py``,
  moto 5.2.5), which fixes each policy's path, hence its ARN.

Where sources disagree or are silent the entry says so (``note`` fields and comments).

Pure data and small pure functions: no Pulumi, no AWS calls.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
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


# ----------------------------------------------------------------------------------------------
# EKS Auto Mode
# ----------------------------------------------------------------------------------------------

#: Cluster role policies for Auto Mode. Source: G_AUTO_IAM, G_AUTO_ENABLE, G_AUTO_CLI. Paths: all
#: five are at `/` (not `/service-role/`) in MOTO_POLICIES. Note: MOTO_POLICIES also holds an
#: `AmazonEKSBlockStoragePolicyV2` (created 2026-05-11, "attached to the EKS Cluster Role") that
#: no guide copy read here names; the guide's list is kept.
AUTO_MODE_CLUSTER_POLICIES: Final = (
    ManagedPolicy("AmazonEKSClusterPolicy"),
    ManagedPolicy("AmazonEKSComputePolicy"),
    ManagedPolicy("AmazonEKSBlockStoragePolicy"),
    ManagedPolicy("AmazonEKSLoadBalancingPolicy"),
    ManagedPolicy("AmazonEKSNetworkingPolicy"),
)

#: Node role policies for Auto Mode. Source: G_AUTO_IAM, G_AUTO_CLI; both at `/` in MOTO_POLICIES.
AUTO_MODE_NODE_POLICIES: Final = (
    ManagedPolicy("AmazonEKSWorkerNodeMinimalPolicy"),
    ManagedPolicy("AmazonEC2ContainerRegistryPullOnly"),
)

#: Source: G_AUTO_ENABLE (trust to paste), G_AUTO_CLI_OLD (inline trust documents).
AUTO_MODE_CLUSTER_TRUST: Final = Trust(
    "eks.amazonaws.com", ("sts:AssumeRole", "sts:TagSession"), G_AUTO_ENABLE)
AUTO_MODE_NODE_TRUST: Final = Trust(
    "ec2.amazonaws.com", ("sts:AssumeRole",), G_AUTO_CLI_OLD,
    note="terraform-aws-modules/terraform-aws-eks v21.19.0 main.tf adds sts:TagSession here too; "
         "the guide does not")

#: The cluster role cannot be replaced after creation: enabling Auto Mode on an existing cluster
#: means attaching AUTO_MODE_CLUSTER_POLICIES to the role it has. Source: G_AUTO_ENABLE.
CLUSTER_ROLE_IMMUTABLE: Final = True

#: `computeConfig.nodeRoleArn` cannot change once the compute capability is on.
#: Source: BOTOCORE (ComputeConfigRequest.nodeRoleArn documentation); PULUMI_AWS docstring of
#: ClusterComputeConfigArgs.node_role_arn. (A custom NodeClass's `spec.role` can change; its
#: nodes then need a new access entry: G_NODE_CLASS.)
AUTO_MODE_NODE_ROLE_IMMUTABLE: Final = True

#: Access entry for the role of a custom NodeClass (EKS makes it for the built-in pools' role).
#: Source: G_NODE_CLASS ("Create node class access entry").
AUTO_NODE_ACCESS_ENTRY_TYPE: Final = "EC2"
AUTO_NODE_ACCESS_POLICY: Final = "AmazonEKSAutoNodePolicy"
AUTO_NODE_ACCESS_SCOPE: Final = "cluster"

#: Auto Mode needs access entries: API, or API_AND_CONFIG_MAP to keep the ConfigMap too.
#: Source: G_CREATE_CLUSTER_AUTO ("Cluster authentication mode").
AUTO_MODE_AUTHENTICATION_MODES: Final = ("API", "API_AND_CONFIG_MAP")

#: Oldest Kubernetes version Auto Mode runs on. Source: G_AUTO_CREATE ("1.29 or greater").
AUTO_MODE_MIN_KUBERNETES: Final = (1, 29)

#: The three capability switches, which must all be on or all off in one request.
#: Source: G_AUTO_ENABLE and G_AUTO_DISABLE (NOTE blocks); PULUMI_AWS Cluster docstring.
AUTO_MODE_SWITCHES: Final = (
    "computeConfig.enabled",
    "kubernetesNetworkConfig.elasticLoadBalancing.enabled",
    "storageConfig.blockStorage.enabled",
)

#: PULUMI_AWS (Cluster docstring, "EKS Cluster with EKS Auto Mode") says enabling Auto Mode also
#: needs `bootstrap_self_managed_addons = false`; terraform-aws-eks v21.19.0 hard-codes false.
#: No guide copy read here states it, so it is recorded, not enforced.
AUTO_MODE_BOOTSTRAP_SELF_MANAGED_ADDONS: Final = False


@dataclass(frozen=True, slots=True)
class BuiltInNodePool:
    name: str
    architectures: tuple[str, ...]
    taint: str | None
    source: str = G_BUILTIN_POOLS


#: Built-in NodePools: both use the `default` NodeClass, on-demand capacity only, the C, M and R
#: families, generation 5 or newer; they can only be enabled or disabled, not modified.
#: Source: G_BUILTIN_POOLS; G_NODE_POOL; PULUMI_AWS ("Valid options are general-purpose and
#: system").
BUILT_IN_NODE_POOLS: Final[Mapping[str, BuiltInNodePool]] = {
    "system": BuiltInNodePool("system", ("amd64", "arm64"), "CriticalAddonsOnly"),
    "general-purpose": BuiltInNodePool("general-purpose", ("amd64",), None),
}
BUILT_IN_NODE_POOL_CAPACITY_TYPE: Final = "on-demand"
BUILT_IN_NODE_POOL_CATEGORIES: Final = ("c", "m", "r")
BUILT_IN_NODE_POOL_MIN_GENERATION: Final = 5
#: The NodeClass EKS provisions when at least one built-in pool is on; custom NodeClasses must
#: not take the name. Source: G_NODE_CLASS ("Default node class").
DEFAULT_NODE_CLASS_NAME: Final = "default"


def auto_mode_config_problems(
    *,
    compute: bool,
    load_balancing: bool,
    block_storage: bool,
    node_pools: Sequence[str] = (),
    node_role_arn: str | None = None,
) -> list[str]:
    """What the EKS API would refuse in an Auto Mode cluster configuration.

    * the three switches differ (G_AUTO_ENABLE, G_AUTO_DISABLE);
    * an unknown built-in pool (BUILT_IN_NODE_POOLS);
    * built-in pools without a node role: EKS answers "When Compute Config nodeRoleArn is null or
      empty, nodePool list cannot be populated" (terraform-aws-modules/terraform-aws-eks#3366);
    * a node role without built-in pools: both must be empty for a cluster without built-in
      pools (G_NODE_POOL "Cluster without built-in node pools"; InvalidParameterException in
      terraform-aws-modules/terraform-aws-eks#3238);
    * pools while compute is off: disabling needs an empty `nodePools`
      (terraform-aws-modules/terraform-aws-eks#3513; the guide's disable command sends none).
    """
    problems = []
    if len({compute, load_balancing, block_storage}) != 1:
        problems.append(
            "EKS Auto Mode's compute, load balancing and block storage capabilities must be "
            "enabled or disabled together")
    unknown = [p for p in node_pools if p not in BUILT_IN_NODE_POOLS]
    if unknown:
        problems.append(f"unknown built-in node pool(s) {', '.join(unknown)}; "
                        f"EKS has {', '.join(BUILT_IN_NODE_POOLS)}")
    if not compute:
        if node_pools:
            problems.append("nodePools must be empty when the compute capability is disabled")
        return problems
    if node_pools and not node_role_arn:
        problems.append("built-in node pools need computeConfig.nodeRoleArn")
    if node_role_arn and not node_pools:
        problems.append("computeConfig.nodeRoleArn must be empty when no built-in node pool is "
                        "enabled (give custom NodeClasses their role instead)")
    return problems


#: Max pods: Auto Mode caps pods per node at 110, after the usual max-pods calculation
#: ("choosing-instance-type"). Source: G_NODE_CLASS ("maximum Pod density").
AUTO_MODE_MAX_PODS_CAP: Final = 110


def auto_mode_max_pods(calculated_max_pods: int) -> int:
    """Pods per Auto Mode node: the usual max-pods value for the instance type, capped at 110.

    The guide says the cap is applied after the existing calculation; it does not say which
    inputs (prefix delegation, pod subnets) that calculation takes for Auto Mode, so the caller
    supplies the calculated value. Source: G_NODE_CLASS."""
    if calculated_max_pods < 1:
        raise ValueError(f"max pods must be positive, not {calculated_max_pods}")
    return min(calculated_max_pods, AUTO_MODE_MAX_PODS_CAP)


#: Instance sizes Auto Mode never launches, and its vCPU floor (more than one).
#: Source: G_AUTO_INSTANCES ("EKS Auto Mode supported instance reference").
AUTO_MODE_EXCLUDED_SIZES: Final = ("nano", "micro", "small")
AUTO_MODE_MIN_VCPUS_EXCLUSIVE: Final = 1


def auto_mode_may_launch(instance_type: str, vcpus: int) -> bool:
    """Whether the size rule lets Auto Mode launch `instance_type` (the family must also be in
    the guide's supported list, which changes too often to copy). Source: G_AUTO_INSTANCES."""
    size = instance_type.partition(".")[2]
    return vcpus > AUTO_MODE_MIN_VCPUS_EXCLUSIVE and size not in AUTO_MODE_EXCLUDED_SIZES


# NodeClass and NodePool ------------------------------------------------------------------------

#: Source: G_NODE_CLASS (NodeClass specification).
NODE_CLASS_API_VERSION: Final = "eks.amazonaws.com/v1"
NODE_CLASS_KIND: Final = "NodeClass"
#: NodePools are Karpenter's; they point at a NodeClass with this group and kind.
#: Source: G_NODE_POOL (sample NodePool).
NODE_POOL_API_VERSION: Final = "karpenter.sh/v1"
NODE_POOL_KIND: Final = "NodePool"
NODE_CLASS_REF_GROUP: Final = "eks.amazonaws.com"
NODE_CLASS_REF_KIND: Final = "NodeClass"

#: `spec` fields of an Auto Mode NodeClass. `role` and `instanceProfile` are mutually exclusive
#: (one is required); `podSecurityGroupSelectorTerms` is required with `podSubnetSelectorTerms`.
#: Source: G_NODE_CLASS.
NODE_CLASS_SPEC_FIELDS: Final = (
    "role", "instanceProfile", "subnetSelectorTerms", "securityGroupSelectorTerms",
    "podSubnetSelectorTerms", "podSecurityGroupSelectorTerms",
    "capacityReservationSelectorTerms", "snatPolicy", "networkPolicy", "networkPolicyEventLogs",
    "ephemeralStorage", "advancedNetworking", "advancedSecurity", "certificateBundles", "tags",
)
NODE_CLASS_REQUIRED: Final = ("subnetSelectorTerms", "securityGroupSelectorTerms")
NODE_CLASS_ROLE_FIELDS: Final = ("role", "instanceProfile")
#: Enumerated fields, default first. Source: G_NODE_CLASS.
NODE_CLASS_ENUMS: Final[Mapping[str, tuple[str, ...]]] = {
    "snatPolicy": ("Random", "Disabled"),
    "networkPolicy": ("DefaultAllow", "DefaultDeny"),
    "networkPolicyEventLogs": ("Disabled", "Enabled"),
}
NODE_CLASS_EPHEMERAL_STORAGE_FIELDS: Final = ("size", "iops", "throughput", "kmsKeyID")
#: Defaults and ranges of `ephemeralStorage`. Source: G_NODE_CLASS.
NODE_CLASS_EPHEMERAL_DEFAULTS: Final = {"size": "80Gi", "iops": 3000, "throughput": 125}
NODE_CLASS_IOPS_RANGE: Final = (3000, 16000)
NODE_CLASS_THROUGHPUT_RANGE: Final = (125, 1000)
NODE_CLASS_ADVANCED_NETWORKING_FIELDS: Final = (
    "associatePublicIPAddress", "httpsProxy", "noProxy")
NODE_CLASS_NO_PROXY_MAX: Final = 50  # entries, each at most 255 characters (as is httpsProxy)
#: Tags a NodeClass may not set. Source: G_NODE_CLASS.
NODE_CLASS_RESTRICTED_TAGS: Final = (
    "kubernetes.io/cluster/*", "karpenter.sh/provisioner-name", "karpenter.sh/nodepool",
    "karpenter.sh/nodeclaim", "karpenter.sh/managed-by", "eks.amazonaws.com/nodeclass",
)

#: Labels a NodePool's requirements can use on Auto Mode (not Karpenter's own
#: `karpenter.k8s.aws/*` labels). Source: G_NODE_POOL ("EKS Auto Mode Supported Labels").
AUTO_MODE_LABELS: Final = (
    "topology.kubernetes.io/zone",
    "node.kubernetes.io/instance-type",
    "kubernetes.io/arch",
    "karpenter.sh/capacity-type",
    "eks.amazonaws.com/instance-hypervisor",
    "eks.amazonaws.com/compute-type",
    "eks.amazonaws.com/instance-encryption-in-transit-supported",
    "eks.amazonaws.com/instance-category",
    "eks.amazonaws.com/instance-generation",
    "eks.amazonaws.com/instance-family",
    "eks.amazonaws.com/instance-size",
    "eks.amazonaws.com/instance-cpu",
    "eks.amazonaws.com/instance-cpu-manufacturer",
    "eks.amazonaws.com/instance-memory",
    "eks.amazonaws.com/instance-ebs-bandwidth",
    "eks.amazonaws.com/instance-network-bandwidth",
    "eks.amazonaws.com/instance-gpu-name",
    "eks.amazonaws.com/instance-gpu-manufacturer",
    "eks.amazonaws.com/instance-gpu-count",
    "eks.amazonaws.com/instance-gpu-memory",
    "eks.amazonaws.com/instance-local-nvme",
)
#: Auto Mode is Linux only, so these are refused. Source: G_NODE_POOL.
AUTO_MODE_UNSUPPORTED_LABELS: Final = ("node.kubernetes.io/windows-build", "kubernetes.io/os")
#: `eks.amazonaws.com/compute-type` is `auto` on Auto Mode nodes (G_NODE_POOL) and `hybrid` on
#: hybrid nodes (G_HYBRID_CNI).
COMPUTE_TYPE_LABEL: Final = "eks.amazonaws.com/compute-type"
COMPUTE_TYPE_AUTO: Final = "auto"
COMPUTE_TYPE_HYBRID: Final = "hybrid"
#: NodePool disruption defaults on Auto Mode: expire after 336 h, one budget of 10% of nodes,
#: 24 h termination grace period on NodeClaims. Source: G_NODE_POOL.
AUTO_MODE_EXPIRE_AFTER_HOURS: Final = 336
AUTO_MODE_DISRUPTION_BUDGET: Final = "10%"
AUTO_MODE_TERMINATION_GRACE_HOURS: Final = 24

# Add-on minimums before enabling Auto Mode on an existing cluster --------------------------------

AddonVersion = tuple[int, int, int, int]  # major, minor, patch, eksbuild
_ADDON_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)")


def parse_addon_version(version: str) -> AddonVersion | None:
    """`v1.25.16-eksbuild.22` -> `(1, 25, 16, 22)`; None when it is not that form (the eksbuild
    number matters: the kube-proxy minimums differ only there from earlier builds)."""
    match = _ADDON_VERSION.fullmatch(version.strip())
    if match is None:
        return None
    major, minor, patch, build = (int(g) for g in match.groups())
    return major, minor, patch, build


#: Add-ons that, when installed, must be at least this version before Auto Mode is enabled on an
#: existing cluster (new Auto Mode clusters are exempt). Source: G_AUTO_ENABLE ("Required Add-on
#: Versions"); add-on names from G_ADDON_NAMES.
AUTO_MODE_ADDON_MINIMUMS: Final[Mapping[str, str]] = {
    "vpc-cni": "v1.19.0-eksbuild.1",
    "aws-ebs-csi-driver": "v1.37.0-eksbuild.1",
    "snapshot-controller": "v8.1.0-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
}
#: kube-proxy's minimum is per Kubernetes minor version; the guide lists 1.25 to 1.31 and nothing
#: for later versions. Source: G_AUTO_ENABLE.
AUTO_MODE_KUBE_PROXY_MINIMUMS: Final[Mapping[str, str]] = {
    "1.25": "v1.25.16-eksbuild.22",
    "1.26": "v1.26.15-eksbuild.19",
    "1.27": "v1.27.16-eksbuild.14",
    "1.28": "v1.28.15-eksbuild.4",
    "1.29": "v1.29.10-eksbuild.3",
    "1.30": "v1.30.6-eksbuild.3",
    "1.31": "v1.31.2-eksbuild.3",
}


def _minor(kubernetes_version: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)", kubernetes_version.strip())
    if match is None:
        raise ValueError(f"Kubernetes version {kubernetes_version!r} is not MAJOR.MINOR")
    return int(match[1]), int(match[2])


def addon_minimums_for_auto_mode(kubernetes_version: str) -> dict[str, str]:
    """Add-on name -> oldest version that may be installed when Auto Mode is enabled on an
    existing cluster of `kubernetes_version` (`1.30`). kube-proxy appears only for the versions
    the guide lists. Source: G_AUTO_ENABLE."""
    major, minor = _minor(kubernetes_version)
    minimums = dict(AUTO_MODE_ADDON_MINIMUMS)
    kube_proxy = AUTO_MODE_KUBE_PROXY_MINIMUMS.get(f"{major}.{minor}")
    if kube_proxy is not None:
        minimums["kube-proxy"] = kube_proxy
    return minimums


def auto_mode_addon_problems(
    kubernetes_version: str, installed: Mapping[str, str]
) -> list[str]:
    """A message for each installed add-on (`name -> version`) older than its Auto Mode minimum,
    and for the cluster version if Auto Mode does not run on it."""
    problems = []
    if _minor(kubernetes_version) < AUTO_MODE_MIN_KUBERNETES:
        floor = ".".join(map(str, AUTO_MODE_MIN_KUBERNETES))
        problems.append(
            f"EKS Auto Mode needs Kubernetes {floor} or later, not {kubernetes_version}")
    for name, minimum in addon_minimums_for_auto_mode(kubernetes_version).items():
        if name not in installed:
            continue
        have, need = parse_addon_version(installed[name]), parse_addon_version(minimum)
        if have is None:
            problems.append(f"{name} version {installed[name]!r} is not vX.Y.Z-eksbuild.N, so it "
                            f"cannot be checked against Auto Mode's minimum {minimum}")
        elif need is not None and have < need:
            problems.append(f"enabling EKS Auto Mode needs {name} >= {minimum}; the cluster has "
                            f"{installed[name]}")
    return problems


# ----------------------------------------------------------------------------------------------
# Control plane scaling tiers (EKS Provisioned Control Plane)
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TierFacts:
    """What a tier guarantees. None: not published for that tier (standard scales on demand)."""

    tier: str
    label: str
    api_request_concurrency_seats: int | None
    pod_scheduling_rate_per_second: int | None
    cluster_database_size_gb: int | None
    source: str
    note: str = ""


_STANDARD_NOTE = ("not fixed: standard mode scales with demand; it supports up to 8 GB of etcd, "
                  "so a cluster above 8 GB cannot leave a provisioned tier for standard")
_8XL_NOTE = ("no capacity figures in the guide copy read (it says to contact AWS for tiers "
             "above 4XL); DescribeClusterVersions returns controlPlaneScalingTiers with "
             "apiRequestConcurrency, podSchedulingRatePerSecond and clusterDatabaseSizeGb")


def _tiers(xl: int, xl2: int, xl4: int) -> dict[str, TierFacts]:
    return {
        "standard": TierFacts("standard", "Standard", None, None, 8, G_PCP, _STANDARD_NOTE),
        "tier-xl": TierFacts("tier-xl", "XL", 1700, xl, 16, G_PCP),
        "tier-2xl": TierFacts("tier-2xl", "2XL", 3400, xl2, 16, G_PCP),
        "tier-4xl": TierFacts("tier-4xl", "4XL", 6800, xl4, 16, G_PCP),
        "tier-8xl": TierFacts("tier-8xl", "8XL", None, None, None, BOTOCORE, _8XL_NOTE),
    }


#: Tier capacity by Kubernetes version band: 1.28-1.29 schedule 100 pods/s on every tier; 1.30
#: and later 167 / 283 / 400. Seats and etcd size are the same in both bands.
#: Source: G_PCP ("Control Plane Scaling Tiers" tables).
TIERS_1_28_TO_1_29: Final = _tiers(100, 100, 100)
TIERS_1_30_AND_LATER: Final = _tiers(167, 283, 400)

#: Provisioned tiers need Kubernetes 1.28 or later. Source: G_PCP ("Kubernetes version and
#: region support").
PROVISIONED_MIN_KUBERNETES: Final = (1, 28)
#: etcd size standard mode supports (GB). Source: G_PCP ("Exit restriction").
STANDARD_MAX_DATABASE_GB: Final = 8
#: A tier change is an in-place cluster update of this type. Source: G_PCP; G_PCP_START.
TIER_UPDATE_TYPE: Final = "ScalingTierConfigUpdate"


def tier_facts(tier: str, kubernetes_version: str) -> TierFacts:
    """What `tier` (an API value, `tier-xl`) guarantees on `kubernetes_version` (`1.31`)."""
    if tier not in CONTROL_PLANE_TIERS:
        allowed = ", ".join(CONTROL_PLANE_TIERS)
        raise ValueError(f"control plane tier {tier!r} is not one of {allowed}")
    version = _minor(kubernetes_version)
    if tier != "standard" and version < PROVISIONED_MIN_KUBERNETES:
        raise ValueError(f"provisioned control plane tiers need Kubernetes 1.28 or later, not "
                         f"{kubernetes_version}")
    table = TIERS_1_30_AND_LATER if version >= (1, 30) else TIERS_1_28_TO_1_29
    return table[tier]


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


# ----------------------------------------------------------------------------------------------
# Add-on namespaces
# ----------------------------------------------------------------------------------------------

#: Which add-ons take `namespaceConfig`: AWS add-ons and community add-ons (the guide names no
#: exception among them and says nothing of AWS Marketplace add-ons). Without it an add-on goes
#: to its predefined namespace, which DescribeAddonVersions returns as `defaultNamespace`.
#: Source: G_ADDONS ("Custom namespace for add-ons"); BOTOCORE (AddonInfo.defaultNamespace).
ADDON_NAMESPACE_CATEGORIES: Final = ("aws", "community")
#: The namespace is fixed at creation: changing it means deleting and re-creating the add-on.
#: Source: G_ADDONS; BOTOCORE (UpdateAddonRequest has no namespaceConfig); PULUMI_AWS
#: (AddonNamespaceConfigArgs.namespace docstring); AWS CloudFormation AWS::EKS::Addon
#: NamespaceConfig ("Update requires: Replacement").
ADDON_NAMESPACE_CHANGE_REPLACES: Final = True

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def addon_namespace_problems(namespace: str) -> list[str]:
    """Why `namespace` cannot be an add-on's custom namespace: an RFC 1123 DNS label of 1 to 63
    characters. Source: BOTOCORE (AddonNamespaceConfigRequest.namespace and shape `namespace`)."""
    low, high = ADDON_NAMESPACE_LENGTH
    if not low <= len(namespace) <= high:
        return [f"add-on namespace {namespace!r} must be {low} to {high} characters"]
    if _DNS_LABEL.fullmatch(namespace) is None:
        return [f"add-on namespace {namespace!r} is not an RFC 1123 DNS label (lower-case "
                "letters, digits and '-', starting and ending with a letter or digit)"]
    return []
