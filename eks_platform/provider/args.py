"""The provider's args, generated from the settings models: do not edit.

Regenerate with `python -m eks_platform.provider generate-args`. No `from __future__ import
annotations` here: the Pulumi analyzer reads these annotations as real types.
"""

from enum import StrEnum
from typing import Any, NotRequired, TypedDict

import pulumi


class SupportType(StrEnum):
    STANDARD = "STANDARD"
    EXTENDED = "EXTENDED"


class IpFamily(StrEnum):
    IPV4 = "ipv4"
    IPV6 = "ipv6"


class EndpointSettings(TypedDict):
    ("API server endpoint: private access is always on; public access is opt-in by CIDR. "
     "`privateAccessCidrs`: where `pulumi up` (or anything else) reaches the private endpoint "
     "from, inside the VPC or a network connected to it; each gets port 443 on the cluster "
     "security group, which otherwise admits only the cluster's own nodes.")

    public_access: NotRequired[bool]
    ("Open the public API endpoint, only to `publicAccessCidrs` (which it needs). Off by default"
     " (CIS EKS 5.4.1-5.4.2): the private endpoint is always on.")
    public_access_cidrs: NotRequired[list[str]]
    ("Public ranges allowed to reach the public endpoint, e.g. an office /32. Private, CGNAT and"
     " documentation ranges are refused (they never reach a public endpoint), and so is IPv6 on "
     "an IPv4 cluster.")
    private_access_cidrs: NotRequired[list[str]]
    ("Ranges inside the VPC, or in a network routed to it, that get port 443 on the cluster "
     "security group to reach the private endpoint: where `pulumi up` and kubectl run when the "
     "stack sends objects through the Kubernetes API.")


class AccessPolicyName(StrEnum):
    CLUSTER_ADMIN = "ClusterAdmin"
    ADMIN = "Admin"
    ADMIN_VIEW = "AdminView"
    EDIT = "Edit"
    VIEW = "View"


class AdminSettings(TypedDict):
    ("One IAM principal with Kubernetes access: an access entry and one access policy, for the "
     "whole cluster (no `namespaces`) or for the namespaces listed.")

    principal_arn: str
    "IAM role or user ARN (`arn:aws:iam::<account>:role/<name>`) given the access entry."
    access_policy: AccessPolicyName
    ("The EKS access policy: `ClusterAdmin` (cluster-admin; keep it for break-glass), `Admin`, "
     "`AdminView`, `Edit` or `View`.")
    namespaces: NotRequired[list[str]]
    ("Namespaces the policy applies to (EKS accepts a trailing `*` wildcard); unset: the whole "
     "cluster. `ClusterAdmin` is always cluster-wide.")


class NodeVolumeKey(StrEnum):
    CUSTOMER = "customer"
    AWS_MANAGED = "awsManaged"


class LogType(StrEnum):
    API = "api"
    AUDIT = "audit"
    AUTHENTICATOR = "authenticator"
    CONTROLLER_MANAGER = "controllerManager"
    SCHEDULER = "scheduler"


class CniMode(StrEnum):
    MANAGED = "managed"
    HELM = "helm"


class CniIam(StrEnum):
    IRSA = "irsa"
    POD_IDENTITY = "podIdentity"
    NODE_ROLE = "nodeRole"


class HelmCniSettings(TypedDict):
    "Self-managed aws-vpc-cni: chart pin and adoption of an EKS-created aws-node."

    chart_version: NotRequired[str]
    ("Version of the eks-charts `aws-vpc-cni` chart; its appVersion is the CNI's version, so it "
     "also sets the CNI version that max pods and feature minimums (prefix delegation 1.9, "
     "network policy 1.14, Pod Identity 1.15.5) are checked against.")
    adopt_existing: NotRequired[bool]
    ("Take over a running `aws-node`: the one EKS created on a cluster built with "
     "`bootstrapSelfManagedAddons: true`, or the one the vpc-cni add-on leaves (it is deleted "
     "with `preserve`) when a running cluster switches from managed to helm. Its objects are "
     "labelled and annotated for Helm and the chart keeps their match labels "
     "(`originalMatchLabels`). Off by default: a new cluster has no aws-node to adopt.")


class CniSettings(TypedDict):
    "The stack's one declaration of pod networking (key `eks-platform:cni`)."

    mode: NotRequired[CniMode]
    ("Who installs the VPC CNI: `managed` (the EKS vpc-cni add-on, settings under "
     "`addons.vpcCni`) or `helm` (the aws-vpc-cni chart on a cluster created without EKS's self-"
     "managed add-ons). Managed is the default: EKS keeps it compatible with the cluster "
     "version.")
    prefix_delegation: NotRequired[bool]
    ("Assign /28 IPv4 prefixes to ENI slots instead of single addresses "
     "(`ENABLE_PREFIX_DELEGATION`): on Nitro instances max pods rises to 110 (up to 30 vCPUs) or"
     " 250. Needs CNI 1.9 or later; every node group's and NodePool's max pods follows this "
     "value. Off by default, as in the CNI.")
    custom_networking: NotRequired[bool]
    ("Give pods addresses from a pod subnet per zone (an ENIConfig per zone) instead of the "
     "node's subnet. The node's primary ENI then holds no pods, so max pods drops (an m5.large: "
     "20 instead of 29). See `vpc.podCidr` and `podSubnets`.")
    max_enis: NotRequired[int]
    ("Cap on the ENIs the CNI attaches per node (`MAX_ENI`), 1 to 100; max pods is computed with"
     " the cap, as the calculator's `--cni-max-eni`. Unset: the instance type's limit.")
    warm_eni_target: NotRequired[int]
    ("ENIs kept attached and unused beyond those in use (`WARM_ENI_TARGET`); unset: the CNI's "
     "default (1). Lower it to leave subnet addresses free, at the cost of slower pod starts.")
    warm_ip_target: NotRequired[int]
    ("Free addresses kept ready on each node (`WARM_IP_TARGET`); unset: the CNI works by whole "
     "ENIs. Useful in small subnets; very low values mean more EC2 API calls.")
    minimum_ip_target: NotRequired[int]
    ("Addresses each node holds at least, used or not (`MINIMUM_IP_TARGET`), usually set with "
     "`warmIpTarget` to the expected pods per node; unset: the CNI's default.")
    warm_prefix_target: NotRequired[int]
    ("Free /28 prefixes kept ready on each node (`WARM_PREFIX_TARGET`); only with "
     "`prefixDelegation: true`. Unset: the CNI's default (1).")
    network_policy: NotRequired[bool]
    ("Run the VPC CNI's network policy agent, which enforces Kubernetes NetworkPolicy "
     "(`enableNetworkPolicy`). Needs vpc-cni 1.14 or later; off by default as in the CNI, on in "
     "the shipped staging and prod stacks (CIS EKS 4.3.1).")
    iam: NotRequired[CniIam]
    ("Where aws-node gets its EC2 permissions (AmazonEKS_CNI_Policy): `irsa` (its own role "
     "through the cluster's OIDC provider, the default), `podIdentity` (its own role through EKS"
     " Pod Identity; needs the agent and vpc-cni 1.15.5), or `nodeRole` (the node role carries "
     "the policy, so every pod on the node could use it).")
    helm: NotRequired[HelmCniSettings]
    ("Chart version and adoption for `mode: helm`; giving it with `mode: managed` is an error. "
     "Unset in helm mode: the pinned default chart.")
    pod_subnets: NotRequired[dict[str, str]]
    "Custom networking on existing subnets: zone name -> the pod subnet of that zone."


class ConflictOnCreate(StrEnum):
    OVERWRITE = "OVERWRITE"
    NONE = "NONE"


class ConflictOnUpdate(StrEnum):
    OVERWRITE = "OVERWRITE"
    NONE = "NONE"
    PRESERVE = "PRESERVE"


class AddonSettings(TypedDict):
    ("One EKS managed add-on. `version`: `default` (what EKS installs for this Kubernetes "
     "version), `latest` (newest compatible), or a pinned `vX.Y.Z-eksbuild.N`.")

    version: NotRequired[str]
    ("`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves "
     "only when the cluster version does, so previews stay quiet), `latest` (newest build "
     "compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with "
     "DescribeAddonVersions at preview.")
    resolve_conflicts_on_create: NotRequired[ConflictOnCreate]
    ("What EKS does when the add-on's objects already exist as self-managed ones at creation: "
     "`OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons "
     "converges) or `NONE` (leave them; creation may fail).")
    resolve_conflicts_on_update: NotRequired[ConflictOnUpdate]
    ("What EKS does with fields changed away from its defaults when the add-on is updated: "
     "`OVERWRITE` (back to EKS's values; the default, so the stack file is the truth), "
     "`PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail).")
    preserve: NotRequired[bool]
    ("Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for vpc-cni, "
     "false for the others. Pulumi deletes a removed add-on with the inputs it last applied, so "
     "vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves aws-node "
     "running for the chart to adopt, and no pod loses its network.")
    namespace: NotRequired[str]
    ("`namespaceConfig.namespace`: install the add-on in this namespace instead of its "
     "predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's "
     "UpdateAddon has no namespaceConfig), which the plan says.")


class CorednsSettings(TypedDict):
    version: NotRequired[str]
    ("`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves "
     "only when the cluster version does, so previews stay quiet), `latest` (newest build "
     "compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with "
     "DescribeAddonVersions at preview.")
    resolve_conflicts_on_create: NotRequired[ConflictOnCreate]
    ("What EKS does when the add-on's objects already exist as self-managed ones at creation: "
     "`OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons "
     "converges) or `NONE` (leave them; creation may fail).")
    resolve_conflicts_on_update: NotRequired[ConflictOnUpdate]
    ("What EKS does with fields changed away from its defaults when the add-on is updated: "
     "`OVERWRITE` (back to EKS's values; the default, so the stack file is the truth), "
     "`PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail).")
    preserve: NotRequired[bool]
    ("Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for vpc-cni, "
     "false for the others. Pulumi deletes a removed add-on with the inputs it last applied, so "
     "vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves aws-node "
     "running for the chart to adopt, and no pod loses its network.")
    namespace: NotRequired[str]
    ("`namespaceConfig.namespace`: install the add-on in this namespace instead of its "
     "predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's "
     "UpdateAddon has no namespaceConfig), which the plan says.")
    replica_count: NotRequired[int]
    ("CoreDNS replicas (`replicaCount` of the add-on's configuration), 1 to 100. Two, EKS's own "
     "default, survive the loss of one node.")


class KubeProxySettingsMode(StrEnum):
    IPTABLES = "iptables"
    IPVS = "ipvs"


class KubeProxySettings(TypedDict):
    version: NotRequired[str]
    ("`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves "
     "only when the cluster version does, so previews stay quiet), `latest` (newest build "
     "compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with "
     "DescribeAddonVersions at preview.")
    resolve_conflicts_on_create: NotRequired[ConflictOnCreate]
    ("What EKS does when the add-on's objects already exist as self-managed ones at creation: "
     "`OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons "
     "converges) or `NONE` (leave them; creation may fail).")
    resolve_conflicts_on_update: NotRequired[ConflictOnUpdate]
    ("What EKS does with fields changed away from its defaults when the add-on is updated: "
     "`OVERWRITE` (back to EKS's values; the default, so the stack file is the truth), "
     "`PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail).")
    preserve: NotRequired[bool]
    ("Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for vpc-cni, "
     "false for the others. Pulumi deletes a removed add-on with the inputs it last applied, so "
     "vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves aws-node "
     "running for the chart to adopt, and no pod loses its network.")
    namespace: NotRequired[str]
    ("`namespaceConfig.namespace`: install the add-on in this namespace instead of its "
     "predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's "
     "UpdateAddon has no namespaceConfig), which the plan says.")
    mode: NotRequired[KubeProxySettingsMode]
    ("kube-proxy's proxy mode in the add-on's configuration: `iptables` or `ipvs`. Unset: the "
     "add-on's default (iptables).")


class OptionalAddonSettings(TypedDict):
    version: NotRequired[str]
    ("`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves "
     "only when the cluster version does, so previews stay quiet), `latest` (newest build "
     "compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with "
     "DescribeAddonVersions at preview.")
    resolve_conflicts_on_create: NotRequired[ConflictOnCreate]
    ("What EKS does when the add-on's objects already exist as self-managed ones at creation: "
     "`OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons "
     "converges) or `NONE` (leave them; creation may fail).")
    resolve_conflicts_on_update: NotRequired[ConflictOnUpdate]
    ("What EKS does with fields changed away from its defaults when the add-on is updated: "
     "`OVERWRITE` (back to EKS's values; the default, so the stack file is the truth), "
     "`PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail).")
    preserve: NotRequired[bool]
    ("Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for vpc-cni, "
     "false for the others. Pulumi deletes a removed add-on with the inputs it last applied, so "
     "vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves aws-node "
     "running for the chart to adopt, and no pod loses its network.")
    namespace: NotRequired[str]
    ("`namespaceConfig.namespace`: install the add-on in this namespace instead of its "
     "predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's "
     "UpdateAddon has no namespaceConfig), which the plan says.")
    enabled: NotRequired[bool]
    ("Install this add-on. Off by default: the pod identity agent also comes on by itself when "
     "something uses EKS Pod Identity (`cni.iam: podIdentity`, Karpenter); the EBS CSI driver is"
     " only needed for EBS persistent volumes.")


class AddonsSettings(TypedDict):
    "Managed add-ons. vpc-cni lives here only in `cni.mode: managed`."

    vpc_cni: NotRequired[AddonSettings]
    ("The vpc-cni managed add-on, with `cni.mode: managed` (unset: `version: default`). Its "
     "configuration comes from `cni`, never from here. Setting it with `cni.mode: helm` is an "
     "error.")
    coredns: NotRequired[CorednsSettings]
    ("The coredns managed add-on (cluster DNS). A Deployment: created after the node groups, "
     "since it stays DEGRADED without nodes.")
    kube_proxy: NotRequired[KubeProxySettings]
    ("The kube-proxy managed add-on. A DaemonSet: created with the CNI, before the nodes that "
     "need it.")
    pod_identity_agent: NotRequired[OptionalAddonSettings]
    ("The eks-pod-identity-agent add-on, which EKS Pod Identity needs on every node. Turned on "
     "by itself when `cni.iam` is `podIdentity` or Karpenter is enabled.")
    ebs_csi_driver: NotRequired[OptionalAddonSettings]
    ("The aws-ebs-csi-driver add-on, for EBS persistent volumes; its node plugin counts as a "
     "DaemonSet pod on every node.")


class Architecture(StrEnum):
    AMD64 = "amd64"
    ARM64 = "arm64"


class KarpenterCapacityType(StrEnum):
    ON_DEMAND = "on-demand"
    SPOT = "spot"


class KarpenterAmiFamily(StrEnum):
    AL2023 = "al2023"
    BOTTLEROCKET = "bottlerocket"


class PoolLimitsSettings(TypedDict):
    "Upper bounds on what one pool provisions in total: vCPUs and memory."

    cpu: NotRequired[int]
    "Most vCPUs the pool provisions in total. Unset: no limit. Split pools share it evenly."
    memory: NotRequired[str]
    ("Most memory the pool provisions in total, in `Mi`, `Gi` or `Ti` (`512Gi`). Unset: no "
     "limit. Split pools share it evenly.")


class ConsolidationPolicy(StrEnum):
    WHEN_EMPTY = "WhenEmpty"
    WHEN_EMPTY_OR_UNDERUTILIZED = "WhenEmptyOrUnderutilized"


class DisruptionReason(StrEnum):
    UNDERUTILIZED = "Underutilized"
    EMPTY = "Empty"
    DRIFTED = "Drifted"


class BudgetSettings(TypedDict):
    "One disruption budget: at most `nodes` (count or percent) disrupted at once."

    nodes: NotRequired[str]
    ("Most nodes of the pool disrupted at once: a count or a percentage (`10%`, the default, as "
     "in Karpenter's docs).")
    schedule: NotRequired[str]
    ("When the budget starts, as a cron expression (UTC); needs `duration`. Unset: the budget "
     "always applies.")
    duration: NotRequired[str]
    ("How long the budget applies after each `schedule` start (`1h`, `30m`, `1h30m`); needs "
     "`schedule`.")
    reasons: NotRequired[list[DisruptionReason]]
    "Disruption reasons the budget limits: `Underutilized`, `Empty`, `Drifted`. Empty: all of them."


class DisruptionSettings(TypedDict):
    consolidation_policy: NotRequired[ConsolidationPolicy]
    ("Which nodes Karpenter consolidates: `WhenEmptyOrUnderutilized` (the default: also moves "
     "pods off under-used nodes to remove them) or `WhenEmpty` (only nodes without workload "
     "pods).")
    consolidate_after: NotRequired[str]
    ("How long a node must be consolidatable before Karpenter acts (`30s`, `5m`, `1h`, or "
     "`Never`). One minute by default, so pods briefly between nodes do not cause churn.")
    budgets: NotRequired[list[BudgetSettings]]
    "Disruption budgets, at most 50; by default one of `10%` of the pool's nodes at a time."


class KarpenterTaintEffect(StrEnum):
    NO_SCHEDULE = "NoSchedule"
    PREFER_NO_SCHEDULE = "PreferNoSchedule"
    NO_EXECUTE = "NoExecute"


class PoolTaintSettings(TypedDict):
    key: str
    ("Taint key: a Kubernetes qualified name (optional DNS prefix and `/`, name of at most 63 "
     "characters).")
    value: NotRequired[str]
    "Taint value, at most 63 characters; may be left out."
    effect: KarpenterTaintEffect
    ("`NoSchedule`, `NoExecute` or `PreferNoSchedule`, the Kubernetes spelling the NodePool "
     "takes; the EKS API's spelling node groups use (`NO_SCHEDULE`, ...) is accepted too and "
     "written in the Kubernetes one.")


class NodePoolSettings(TypedDict):
    "One NodePool (and its EC2NodeClass). Split per max-pods class unless told otherwise."

    name: str
    ("The pool's name: lower-case letters, digits and `-`, at most 50 characters, so that a "
     "split pool's `<name>-<max pods>` fits a 63-character label value.")
    instance_families: NotRequired[list[str]]
    ("Instance families the pool may launch (`m5`, `m6i`, ...), enumerated from the instance "
     "table. Give families (optionally with `instanceSizes`) or `instanceTypes`: an open-ended "
     "pool is refused, since its max pods could not be computed.")
    instance_sizes: NotRequired[list[str]]
    ("Sizes that narrow `instanceFamilies` (`large`, `xlarge`, ...). Empty: every size of the "
     "families.")
    instance_types: NotRequired[list[str]]
    "Explicit instance types instead of families and sizes."
    architectures: NotRequired[list[Architecture]]
    "`amd64` and/or `arm64` (`kubernetes.io/arch`); narrows the families' types. amd64 by default."
    capacity_types: NotRequired[list[KarpenterCapacityType]]
    "`on-demand` and/or `spot` (Karpenter's spelling). On-demand by default."
    ami_family: NotRequired[KarpenterAmiFamily]
    ("The EC2NodeClass's AMI family: `al2023` or `bottlerocket` (alias `<family>@latest` unless "
     "`amiAlias` pins it).")
    ami_alias: NotRequired[str]
    ("The EC2NodeClass AMI alias pinned (`al2023@v20251120`, `bottlerocket@v1.50.0`); None: "
     "`<amiFamily>@latest`, which Karpenter's docs advise against in production: every AMI "
     "release drifts and replaces every node. Pin it, and raise it deliberately.")
    split_by_max_pods: NotRequired[bool]
    ("Split the pool into one NodePool and EC2NodeClass per max-pods class (`<pool>-<max "
     "pods>`), so each node's kubelet gets the calculator's answer for its own type. Off: one "
     "NodePool at the minimum over all its types.")
    limits: NotRequired[PoolLimitsSettings]
    "Total vCPU and memory the pool may provision. Unset: no limit."
    disruption: NotRequired[DisruptionSettings]
    "Consolidation and disruption budgets."
    expire_after: NotRequired[str]
    ("Age at which Karpenter replaces a node (`720h`, Karpenter's default of 30 days, or "
     "`Never`), so nodes pick up new AMIs.")
    weight: NotRequired[int]
    "Priority among pools, 1 to 100; Karpenter prefers the higher weight. Unset: no preference."
    labels: NotRequired[dict[str, str]]
    "Labels of the pool's nodes."
    taints: NotRequired[list[PoolTaintSettings]]
    "Taints of the pool's nodes (Kubernetes' effect spelling)."
    disk_size_gib: NotRequired[int]
    ("Size in GiB of the volume pods use, 20 to 16384, as a node group's `diskSizeGib`. "
     "Encrypted gp3.")
    imds_hop_limit: NotRequired[int]
    ("Instance metadata hop limit of the node class, 1 to 64; one by default, so pods cannot "
     "reach the node role. IMDSv2 is always required.")


class AutoModeSettings(TypedDict):
    ("Key `eks-platform:autoMode`: EKS Auto Mode (compute, block storage and load balancing run "
     "by EKS). Absent: the cluster's Auto Mode inputs are left unset.")

    enabled: NotRequired[bool]
    ("Drives computeConfig.enabled, storageConfig.blockStorage.enabled and "
     "kubernetesNetworkConfig.elasticLoadBalancing.enabled together: EKS refuses them apart. "
     "`false` on a cluster that had it sends all three false with no node pools (turning off).")
    built_in_node_pools: NotRequired[list[str]]
    ("EKS's built-in NodePools (`computeConfig.nodePools`): `system`, `general-purpose`, spelled"
     " exactly (EKS names them case-sensitively). Empty: custom pools only, and no node role is "
     "passed (EKS refuses a node role without built-in pools).")
    node_pools: NotRequired[list[NodePoolSettings]]
    ("Custom NodePools, shaped like `karpenter.nodePools`, on a NodeClass the package makes with"
     " its own node role and `EC2` access entry.")
    migrating_from_karpenter: NotRequired[bool]
    ("Declares a migration from self-managed Karpenter: only then may `karpenter.enabled` stay "
     "on beside Auto Mode (the EKS guide's auto-migrate-karpenter route).")


class ControlPlaneTier(StrEnum):
    STANDARD = "standard"
    TIER_XL = "tier-xl"
    TIER_2XL = "tier-2xl"
    TIER_4XL = "tier-4xl"
    TIER_8XL = "tier-8xl"


class HybridNodesSettings(TypedDict):
    ("Key `eks-platform:hybridNodes`: on-premises nodes joining the cluster (EKS Hybrid Nodes). "
     "Becomes `remoteNetworkConfig`, a `HYBRID_LINUX` access entry for a created hybrid nodes "
     "role, and port 443 on the cluster security group from the remote networks.")

    remote_node_networks: list[str]
    ("The on-premises node CIDRs: RFC 1918 IPv4, not overlapping the VPC or the service CIDR "
     "(EKS refuses others).")
    remote_pod_networks: NotRequired[list[str]]
    ("The pod CIDRs of the hybrid nodes' CNI (Cilium); needed when webhooks run there or the CNI"
     " does not masquerade pod traffic.")


class VpcSettingsNatGateways(StrEnum):
    SINGLE = "single"
    ONE_PER_AZ = "onePerAz"


class FlowLogsSettingsTrafficType(StrEnum):
    ALL = "ALL"
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"


class FlowLogsSettings(TypedDict):
    "VPC flow logs to an encrypted CloudWatch Logs group the stack creates."

    enabled: NotRequired[bool]
    ("Send the created VPC's flow logs to CloudWatch Logs. On by default (EKS Best Practices, "
     "AWS Config vpc-flow-logs-enabled); flow logs are billed per GB ingested, so dev turns them"
     " off.")
    traffic_type: NotRequired[FlowLogsSettingsTrafficType]
    ("Which flows are logged: `ALL`, `ACCEPT` or `REJECT` (EC2's TrafficType). ALL by default: "
     "rejected flows alone miss what an investigation needs.")
    retention_days: NotRequired[int]
    ("Days the flow log group keeps events: a period CloudWatch Logs accepts (1, 3, 5, 7, 14, "
     "30, 60, 90, ... 3653); a year by default.")


class VpcSettings(TypedDict):
    "A VPC that the stack creates: private and public subnets in each AZ, NAT for egress."

    cidr: NotRequired[str]
    ("The VPC's IPv4 block, /16 to /20. Split in eighths: one private (node and pod) subnet per "
     "zone, and the last eighth cut into small public subnets for NAT and load balancers. "
     "10.0.0.0/16 by default; choose one that does not overlap networks you will peer or route "
     "to.")
    availability_zones: NotRequired[int]
    ("Zones to spread subnets over, 2 to 6 (EKS needs subnets in two zones). Chosen from the "
     "Region's standard zones by zone ID, leaving out those EKS refuses. Three by default, so "
     "losing a zone leaves two.")
    nat_gateways: NotRequired[VpcSettingsNatGateways]
    ("`onePerAz` (each zone's private subnets leave through a NAT gateway in that zone, so a "
     "zone outage does not cut the others' egress; the default) or `single` (one NAT gateway for"
     " all zones: cheaper, for dev).")
    pod_cidr: NotRequired[str]
    "Secondary CIDR for pod subnets with `cni.customNetworking` (default 100.64.0.0/16)."
    flow_logs: NotRequired[FlowLogsSettings]
    "VPC flow logs of the created VPC (on by default)."
    transit_gateway_id: NotRequired[str]
    ("Attach the private subnets to this transit gateway and route the endpoint's "
     "`privateAccessCidrs` (the deployer's network) through it, so `pulumi up` from that network"
     " reaches the private API endpoint in the same run that creates the VPC.")


class NodeAmiType(StrEnum):
    AL2023_X86_64_STANDARD = "AL2023_x86_64_STANDARD"
    AL2023_ARM_64_STANDARD = "AL2023_ARM_64_STANDARD"
    AL2023_X86_64_NVIDIA = "AL2023_x86_64_NVIDIA"
    AL2023_ARM_64_NVIDIA = "AL2023_ARM_64_NVIDIA"
    AL2023_X86_64_NEURON = "AL2023_x86_64_NEURON"
    BOTTLEROCKET_X86_64 = "BOTTLEROCKET_x86_64"
    BOTTLEROCKET_ARM_64 = "BOTTLEROCKET_ARM_64"
    BOTTLEROCKET_X86_64_FIPS = "BOTTLEROCKET_x86_64_FIPS"
    BOTTLEROCKET_ARM_64_FIPS = "BOTTLEROCKET_ARM_64_FIPS"
    BOTTLEROCKET_X86_64_NVIDIA = "BOTTLEROCKET_x86_64_NVIDIA"
    BOTTLEROCKET_ARM_64_NVIDIA = "BOTTLEROCKET_ARM_64_NVIDIA"


class CapacityType(StrEnum):
    ON_DEMAND = "ON_DEMAND"
    SPOT = "SPOT"


class ScaledBy(StrEnum):
    STACK = "stack"
    CLUSTER_AUTOSCALER = "clusterAutoscaler"


class TaintEffect(StrEnum):
    NO_SCHEDULE = "NO_SCHEDULE"
    NO_EXECUTE = "NO_EXECUTE"
    PREFER_NO_SCHEDULE = "PREFER_NO_SCHEDULE"


class TaintSettings(TypedDict):
    key: str
    ("Taint key: a Kubernetes qualified name (optional DNS prefix and `/`, name of at most 63 "
     "characters).")
    value: NotRequired[str]
    "Taint value: at most 63 characters of a Kubernetes label value; may be left out."
    effect: TaintEffect
    ("`NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`, the EKS API's spelling; the "
     "Kubernetes spelling Karpenter pools use (`NoSchedule`, ...) is accepted too and sent to "
     "EKS in its own, so a taint reads the same in a node group and a pool.")


class UpdateStrategy(StrEnum):
    DEFAULT = "DEFAULT"
    MINIMAL = "MINIMAL"


class NodeGroupSettings(TypedDict):
    ("A managed node group. Size it with min/max and either `desiredSize` or `targetPods`. "
     "Without `amiType` the AMI type follows the instance types (arm64 -> ARM_64, NVIDIA GPUs ->"
     " NVIDIA, Neuron devices -> NEURON); with `liveInstanceTypeLookup` and types the table "
     "lacks, it is derived, like the AMI-fit checks, from EC2's answer at deploy time.")

    name: str
    ("The group's name: lower-case letters, digits and `-`, at most 36 characters, because EKS "
     "names the group `<name>-` plus a 26-character suffix within 63. Names its role, launch "
     "template and tag `eks-platform/node-group`.")
    live_instance_type_lookup: NotRequired[bool]
    ("Ask EC2 (`aws.ec2.get_instance_type`) at deploy for instance types the generated table "
     "lacks, instead of refusing them; the AMI fit, max pods and sizing checks then run on EC2's"
     " answer and the offline plan shows them as resolved at deploy.")
    instance_types: list[str]
    ("EC2 instance types of the group, 1 to 20 (EKS's limit), without repeats. Max pods is the "
     "minimum over them; they must share an architecture and fit the AMI type.")
    ami_type: NotRequired[NodeAmiType]
    ("The EKS AMI type (AL2023 or Bottlerocket variants). Unset: the AL2023 type the instance "
     "types ask for (arm64, NVIDIA, Neuron or standard x86_64). AL2 is not offered: EKS "
     "publishes no AL2 AMIs for Kubernetes 1.33 and later.")
    capacity_type: NotRequired[CapacityType]
    ("`ON_DEMAND` or `SPOT`. On-demand by default; spot suits groups with several instance types"
     " that can lose a node on two minutes' notice.")
    min_size: NotRequired[int]
    "Fewest nodes, 0 to 1000. One by default."
    max_size: NotRequired[int]
    "Most nodes, 1 to 1000, at least `minSize`; EKS's service quota may be lower. Three by default."
    desired_size: NotRequired[int]
    ("Nodes to start with, between `minSize` and `maxSize`. Unset: `minSize`, or what "
     "`targetPods` needs. Give `desiredSize` or `targetPods`, not both.")
    target_pods: NotRequired[int]
    ("Workload pods the group should hold: the desired size becomes the nodes needed at the "
     "group's max pods, less the DaemonSet pods on each node; refused when `maxSize` nodes "
     "cannot hold them.")
    scaled_by: NotRequired[ScaledBy]
    ("Who owns the group's desired size. `stack` (default): every `pulumi up` sets it from "
     "`desiredSize`/`targetPods` (nothing else scales managed node groups unless you run one). "
     "`clusterAutoscaler`: a cluster autoscaler you run scales the group, so `pulumi up` leaves "
     "the live desired size alone, except to lift it into a new `minSize`..`maxSize` range (EKS "
     "refuses a minimum above the desired size). Karpenter never scales managed groups.")
    daemon_set_pods_per_node: NotRequired[int]
    ("DaemonSet pods on each node, subtracted from max pods when sizing by `targetPods`. Unset: "
     "those the stack runs (aws-node, kube-proxy, plus the pod identity agent and the EBS CSI "
     "node plugin when on).")
    labels: NotRequired[dict[str, str]]
    ("Kubernetes labels of the nodes. EKS refuses the `kubernetes.io/`, `k8s.io/` and "
     "`eks.amazonaws.com/` prefixes; keys at most 63 characters after the prefix, values non-"
     "empty.")
    taints: NotRequired[list[TaintSettings]]
    "Taints of the nodes, at most 50 (EKS's limit)."
    disk_size_gib: NotRequired[int]
    ("Size in GiB of the volume pods use (the root volume on AL2023, the data volume on "
     "Bottlerocket), 20 to 16384 (gp3's maximum). 50 by default, above EKS's own 20, which image"
     " pulls fill quickly. Encrypted, gp3.")
    imds_hop_limit: NotRequired[int]
    ("Instance metadata response hop limit of the launch template, 1 to 64. One by default, so "
     "pods (one hop further) cannot read the node role's credentials; IMDSv2 is always required.")
    max_unavailable: NotRequired[str]
    ("Nodes down at once while the group rolls (a version update): a count or a percentage such "
     "as `\"25%\"`, each 1 to 100 (NodegroupUpdateConfig in botocore's EKS model).")
    update_strategy: NotRequired[UpdateStrategy]
    ("How EKS rolls the group: `DEFAULT` (new nodes first, then old ones drained) or `MINIMAL` "
     "(old nodes terminated first, for scarce capacity such as GPUs).")
    node_repair: NotRequired[bool]
    "EKS node auto repair: replace (or reboot) nodes that stay unhealthy."
    ssm: NotRequired[bool]
    ("AmazonSSMManagedInstanceCore on the node role (Session Manager). Off unless asked for: it "
     "also lets the node read every SSM parameter in the account.")


class FargateSelectorSettings(TypedDict):
    namespace: str
    "Namespace whose pods run on Fargate (a DNS label)."
    labels: NotRequired[dict[str, str]]
    "Pod labels that must also match, at most 5 per selector (EKS's limit)."


class FargateProfileSettings(TypedDict):
    name: str
    "The profile's name: lower-case letters, digits and `-`, at most 63 characters."
    selectors: list[FargateSelectorSettings]
    ("Which pods run on Fargate, 1 to 5 selectors (EKS's limit); a pod matching any runs there, "
     "one pod per node.")


class KarpenterSettings(TypedDict):
    ("Key `eks-platform:karpenter`: off unless `enabled`; the controller runs on the managed "
     "node group `systemNodeGroup` (default: the only node group).")

    chart_version: NotRequired[str]
    ("Version of the Karpenter chart (`oci://public.ecr.aws/karpenter/karpenter`); a 1.x "
     "version, since the package writes Karpenter's v1 APIs. After an upgrade that changes CRDs,"
     " apply the `karpenter-crd` chart of the same version.")
    namespace: NotRequired[str]
    "Namespace of the controller; kube-system, as in Karpenter's getting-started guide."
    node_pools: NotRequired[list[NodePoolSettings]]
    "The NodePools (and their EC2NodeClasses), each split by max pods unless told otherwise."
    ssm: NotRequired[bool]
    ("AmazonSSMManagedInstanceCore on the node role, as `ssm` of a node group: off unless asked "
     "for, since it lets nodes read every SSM parameter in the account.")
    enabled: NotRequired[bool]
    ("Install Karpenter: controller, IAM, interruption queue, node classes and NodePools. Off by"
     " default. Turns on the pod identity agent (the controller's role comes through EKS Pod "
     "Identity).")
    system_node_group: NotRequired[str]
    ("The managed node group the controller runs on (it needs labels and `minSize` >= 2 for the "
     "two replicas). Unset: the only node group.")


class EksPlatformInputs(TypedDict):
    "Everything under `eks-platform:` in a stack file, plus the stack's `aws:region`."

    region: NotRequired[str]
    ("The AWS Region of every resource (in a stack file: `aws:region`). Checked against the "
     "Regions the package knows, which also fixes the partition (aws, aws-cn, aws-us-gov) of "
     "every ARN.")
    support_type: NotRequired[SupportType]
    ("`upgradePolicy.supportType`, always set: EKS's own default is EXTENDED, which bills a "
     "cluster left on an old version at the extended rate without anyone choosing it.")
    kubernetes_version: NotRequired[str]
    ("Kubernetes minor version of the control plane, quoted (`\"1.35\"`: YAML reads 1.30 as 1.3). "
     "`default`: the newest version in standard support on the judgment day (`EKS_PLATFORM_DATE`"
     " or `plan --date`, else today), from the EKS version calendar. Refused past extended "
     "support, and in extended support unless `supportType: EXTENDED`. Raise it one minor "
     "version at a time: EKS upgrades in place and never downgrades.")
    ip_family: NotRequired[IpFamily]
    ("The cluster's service and pod IP family, fixed at creation: `ipv4`, or `ipv6` on existing "
     "dual-stack subnets (`subnetIds`) with `cni.prefixDelegation: true` and no custom "
     "networking, which is what the VPC CNI supports.")
    cluster_creator_admin: NotRequired[bool]
    ("Whether EKS gives the identity creating the cluster a cluster-admin access entry "
     "(`bootstrapClusterCreatorAdminPermissions`). Unset: true only when no `admins` are given, "
     "since otherwise nobody could reach the cluster. EKS reads it at creation only.")
    endpoint: NotRequired[EndpointSettings]
    "The Kubernetes API endpoint: private always, public only for the ranges given."
    admins: NotRequired[list[AdminSettings]]
    ("IAM principals with Kubernetes access, each an access entry with one access policy "
     "(`ClusterAdmin`, `Admin`, `AdminView`, `Edit`, `View`) for the cluster or for namespaces. "
     "A plain ARN means `ClusterAdmin` cluster-wide. EKS allows one access entry per principal.")
    kms_key_arn: NotRequired[str]
    ("Your own KMS key (or alias) ARN for envelope encryption of Kubernetes secrets. Unset: the "
     "stack creates a customer managed key with yearly rotation and an explicit key policy.")
    kms_key_admins: NotRequired[list[str]]
    ("IAM role or user ARNs that administer every key the stack creates, besides the identity "
     "running `pulumi up`. Administrators manage a key but cannot use it; only they can disable "
     "or delete it, so list break-glass roles here.")
    node_volume_kms_key: NotRequired[NodeVolumeKey]
    ("Key of the node volumes: `customer` (the cluster's customer managed key; its policy names "
     "AWSServiceRoleForAutoScaling, which must exist) or `awsManaged` (the account's `aws/ebs` "
     "key). Volumes are encrypted either way.")
    logging: NotRequired[list[LogType]]
    ("Control plane log types sent to CloudWatch Logs. All five by default (CIS EKS 2.1.1 asks "
     "for at least api, audit and authenticator); the controller manager and scheduler logs are "
     "the bulk of the volume.")
    log_retention_days: NotRequired[int]
    ("Days the control plane's log group keeps events: one of the periods CloudWatch Logs "
     "accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ... 3653). A"
     " year by default (CIS EKS 2.1.2 asks that logs be kept).")
    oidc_provider: NotRequired[bool]
    ("Create the cluster's IAM OIDC provider even when no role of this stack uses IRSA (for IRSA"
     " roles made in other stacks). Off: it is created only when some role here uses IRSA.")
    protect: NotRequired[bool]
    ("Pulumi `protect` on the cluster, its keys and its log groups, so `pulumi destroy` or a "
     "replacing change stops instead of deleting them. Also the default of `deletionProtection`."
     " On in prod; remove it (and run `pulumi up`) before tearing a stack down.")
    deletion_protection: NotRequired[bool]
    ("EKS's own deletion protection on the cluster (DeleteCluster is refused while it is on). "
     "Unset: follows `protect`. Turn it off with `pulumi up` before `pulumi destroy`.")
    zonal_shift: NotRequired[bool]
    ("Register the cluster with ARC zonal shift (`zonalShiftConfig`): a zonal shift or autoshift"
     " then moves in-cluster east-west traffic away from an impaired zone (zonal autoshift "
     "itself is configured in ARC).")
    bootstrap_self_managed_addons: NotRequired[bool]
    ("Let EKS install its self-managed vpc-cni, kube-proxy and coredns at creation. Off by "
     "default: the package installs them as managed add-ons (or the Helm CNI), so nothing fights"
     " over `aws-node`. EKS reads it only at creation; `true` with `cni.mode: helm` needs "
     "`cni.helm.adoptExisting`.")
    tags: NotRequired[dict[str, str]]
    ("Tags on every taggable resource, on top of the package's own (`eks-platform/stack`, `eks-"
     "platform/cluster` and a few more). AWS allows 50 tags per resource, so the stack may give "
     "50 minus the package's; no `aws:` prefix.")
    cni: NotRequired[CniSettings]
    ("The one declaration of pod networking: CNI mode, prefix delegation, custom networking, "
     "warm targets, network policy and the CNI's IAM. Node groups and Karpenter NodePools take "
     "their max pods from it.")
    addons: NotRequired[AddonsSettings]
    "The managed add-ons: with the CNI declaration, what every node runs (its DaemonSets)."
    auto_mode: NotRequired[AutoModeSettings]
    ("EKS Auto Mode: nodes, networking and storage run by EKS. None leaves the cluster's Auto "
     "Mode inputs unset, so a cluster that never had it sees no change.")
    control_plane_tier: NotRequired[ControlPlaneTier]
    ("`controlPlaneScalingConfig.tier` (EKS Provisioned Control Plane): capacity bought ahead of"
     " load; None leaves EKS's standard, on-demand scaling.")
    hybrid_nodes: NotRequired[HybridNodesSettings]
    "On-premises nodes (EKS Hybrid Nodes): `remoteNetworkConfig` and what they need."
    cluster_name: NotRequired[str]
    ("The EKS cluster's name (1 to 100 letters, digits, `-`, `_`). Unset: `eks-"
     "platform-<stack>`. Changing it replaces the cluster.")
    vpc: NotRequired[VpcSettings]
    ("Settings of the VPC the stack creates. Give `vpc` or `subnetIds`, not both; with neither, "
     "a VPC with the defaults is created.")
    subnet_ids: NotRequired[list[str]]
    ("Existing subnets (at least two, in two zones) for the control plane and the nodes, instead"
     " of a created VPC. Nodes run in them, so they should be private subnets with a way out "
     "(NAT or VPC endpoints); the existing VPC page lists the tags they need.")
    node_groups: NotRequired[list[NodeGroupSettings]]
    ("Managed node groups. A stack needs at least one node group or Fargate profile; names are "
     "unique.")
    fargate_profiles: NotRequired[list[FargateProfileSettings]]
    "Fargate profiles (one pod per node), sharing one pod execution role."
    karpenter: NotRequired[KarpenterSettings]
    "Karpenter: off unless `enabled`; NodePools get their max pods from `cni`."


class EksClusterInputs(TypedDict):
    ("Inputs of `EksCluster`: the stack file's cluster settings (same rules, same messages), the"
     " cluster's name and its subnets. Defaults are the secure choice.")

    region: NotRequired[str]
    ("The AWS Region of every resource (in a stack file: `aws:region`). Checked against the "
     "Regions the package knows, which also fixes the partition (aws, aws-cn, aws-us-gov) of "
     "every ARN.")
    support_type: NotRequired[SupportType]
    ("`upgradePolicy.supportType`, always set: EKS's own default is EXTENDED, which bills a "
     "cluster left on an old version at the extended rate without anyone choosing it.")
    kubernetes_version: NotRequired[str]
    ("Kubernetes minor version of the control plane, quoted (`\"1.35\"`: YAML reads 1.30 as 1.3). "
     "`default`: the newest version in standard support on the judgment day (`EKS_PLATFORM_DATE`"
     " or `plan --date`, else today), from the EKS version calendar. Refused past extended "
     "support, and in extended support unless `supportType: EXTENDED`. Raise it one minor "
     "version at a time: EKS upgrades in place and never downgrades.")
    ip_family: NotRequired[IpFamily]
    ("The cluster's service and pod IP family, fixed at creation: `ipv4`, or `ipv6` on existing "
     "dual-stack subnets (`subnetIds`) with `cni.prefixDelegation: true` and no custom "
     "networking, which is what the VPC CNI supports.")
    cluster_creator_admin: NotRequired[bool]
    ("Whether EKS gives the identity creating the cluster a cluster-admin access entry "
     "(`bootstrapClusterCreatorAdminPermissions`). Unset: true only when no `admins` are given, "
     "since otherwise nobody could reach the cluster. EKS reads it at creation only.")
    endpoint: NotRequired[EndpointSettings]
    "The Kubernetes API endpoint: private always, public only for the ranges given."
    admins: NotRequired[list[AdminSettings]]
    ("IAM principals with Kubernetes access, each an access entry with one access policy "
     "(`ClusterAdmin`, `Admin`, `AdminView`, `Edit`, `View`) for the cluster or for namespaces. "
     "A plain ARN means `ClusterAdmin` cluster-wide. EKS allows one access entry per principal.")
    kms_key_arn: NotRequired[str]
    ("Your own KMS key (or alias) ARN for envelope encryption of Kubernetes secrets. Unset: the "
     "stack creates a customer managed key with yearly rotation and an explicit key policy.")
    kms_key_admins: NotRequired[list[str]]
    ("IAM role or user ARNs that administer every key the stack creates, besides the identity "
     "running `pulumi up`. Administrators manage a key but cannot use it; only they can disable "
     "or delete it, so list break-glass roles here.")
    node_volume_kms_key: NotRequired[NodeVolumeKey]
    ("Key of the node volumes: `customer` (the cluster's customer managed key; its policy names "
     "AWSServiceRoleForAutoScaling, which must exist) or `awsManaged` (the account's `aws/ebs` "
     "key). Volumes are encrypted either way.")
    logging: NotRequired[list[LogType]]
    ("Control plane log types sent to CloudWatch Logs. All five by default (CIS EKS 2.1.1 asks "
     "for at least api, audit and authenticator); the controller manager and scheduler logs are "
     "the bulk of the volume.")
    log_retention_days: NotRequired[int]
    ("Days the control plane's log group keeps events: one of the periods CloudWatch Logs "
     "accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ... 3653). A"
     " year by default (CIS EKS 2.1.2 asks that logs be kept).")
    oidc_provider: NotRequired[bool]
    ("Create the cluster's IAM OIDC provider even when no role of this stack uses IRSA (for IRSA"
     " roles made in other stacks). Off: it is created only when some role here uses IRSA.")
    protect: NotRequired[bool]
    ("Pulumi `protect` on the cluster, its keys and its log groups, so `pulumi destroy` or a "
     "replacing change stops instead of deleting them. Also the default of `deletionProtection`."
     " On in prod; remove it (and run `pulumi up`) before tearing a stack down.")
    deletion_protection: NotRequired[bool]
    ("EKS's own deletion protection on the cluster (DeleteCluster is refused while it is on). "
     "Unset: follows `protect`. Turn it off with `pulumi up` before `pulumi destroy`.")
    zonal_shift: NotRequired[bool]
    ("Register the cluster with ARC zonal shift (`zonalShiftConfig`): a zonal shift or autoshift"
     " then moves in-cluster east-west traffic away from an impaired zone (zonal autoshift "
     "itself is configured in ARC).")
    bootstrap_self_managed_addons: NotRequired[bool]
    ("Let EKS install its self-managed vpc-cni, kube-proxy and coredns at creation. Off by "
     "default: the package installs them as managed add-ons (or the Helm CNI), so nothing fights"
     " over `aws-node`. EKS reads it only at creation; `true` with `cni.mode: helm` needs "
     "`cni.helm.adoptExisting`.")
    tags: NotRequired[dict[str, str]]
    ("Tags on every taggable resource, on top of the package's own (`eks-platform/stack`, `eks-"
     "platform/cluster` and a few more). AWS allows 50 tags per resource, so the stack may give "
     "50 minus the package's; no `aws:` prefix.")
    cni: NotRequired[CniSettings]
    ("The one declaration of pod networking: CNI mode, prefix delegation, custom networking, "
     "warm targets, network policy and the CNI's IAM. Node groups and Karpenter NodePools take "
     "their max pods from it.")
    addons: NotRequired[AddonsSettings]
    "The managed add-ons: with the CNI declaration, what every node runs (its DaemonSets)."
    auto_mode: NotRequired[AutoModeSettings]
    ("EKS Auto Mode: nodes, networking and storage run by EKS. None leaves the cluster's Auto "
     "Mode inputs unset, so a cluster that never had it sees no change.")
    control_plane_tier: NotRequired[ControlPlaneTier]
    ("`controlPlaneScalingConfig.tier` (EKS Provisioned Control Plane): capacity bought ahead of"
     " load; None leaves EKS's standard, on-demand scaling.")
    hybrid_nodes: NotRequired[HybridNodesSettings]
    "On-premises nodes (EKS Hybrid Nodes): `remoteNetworkConfig` and what they need."
    name: str
    ("The EKS cluster name: 1 to 100 letters, digits, `-` and `_`, starting with a letter or "
     "digit. Changing it replaces the cluster. It also names the secrets key's alias "
     "(`alias/eks/<name>`) and the control-plane log group (`/aws/eks/<name>/cluster`).")
    subnet_ids: pulumi.Input[list[str]]
    ("Subnets for the control plane's ENIs, and the default subnets of node groups and Fargate "
     "profiles created with `cluster=`.")


class ManagedNodeGroupInputs(TypedDict):
    ("A node group of `cluster`: the stack file's node group settings (same rules, same "
     "messages) plus what may differ from the cluster's defaults.")

    name: str
    ("The group's name: lower-case letters, digits and `-`, at most 36 characters, because EKS "
     "names the group `<name>-` plus a 26-character suffix within 63. Names its role, launch "
     "template and tag `eks-platform/node-group`.")
    live_instance_type_lookup: NotRequired[bool]
    ("Ask EC2 (`aws.ec2.get_instance_type`) at deploy for instance types the generated table "
     "lacks, instead of refusing them; the AMI fit, max pods and sizing checks then run on EC2's"
     " answer and the offline plan shows them as resolved at deploy.")
    instance_types: list[str]
    ("EC2 instance types of the group, 1 to 20 (EKS's limit), without repeats. Max pods is the "
     "minimum over them; they must share an architecture and fit the AMI type.")
    ami_type: NotRequired[NodeAmiType]
    ("The EKS AMI type (AL2023 or Bottlerocket variants). Unset: the AL2023 type the instance "
     "types ask for (arm64, NVIDIA, Neuron or standard x86_64). AL2 is not offered: EKS "
     "publishes no AL2 AMIs for Kubernetes 1.33 and later.")
    capacity_type: NotRequired[CapacityType]
    ("`ON_DEMAND` or `SPOT`. On-demand by default; spot suits groups with several instance types"
     " that can lose a node on two minutes' notice.")
    min_size: NotRequired[int]
    "Fewest nodes, 0 to 1000. One by default."
    max_size: NotRequired[int]
    "Most nodes, 1 to 1000, at least `minSize`; EKS's service quota may be lower. Three by default."
    desired_size: NotRequired[int]
    ("Nodes to start with, between `minSize` and `maxSize`. Unset: `minSize`, or what "
     "`targetPods` needs. Give `desiredSize` or `targetPods`, not both.")
    target_pods: NotRequired[int]
    ("Workload pods the group should hold: the desired size becomes the nodes needed at the "
     "group's max pods, less the DaemonSet pods on each node; refused when `maxSize` nodes "
     "cannot hold them.")
    scaled_by: NotRequired[ScaledBy]
    ("Who owns the group's desired size. `stack` (default): every `pulumi up` sets it from "
     "`desiredSize`/`targetPods` (nothing else scales managed node groups unless you run one). "
     "`clusterAutoscaler`: a cluster autoscaler you run scales the group, so `pulumi up` leaves "
     "the live desired size alone, except to lift it into a new `minSize`..`maxSize` range (EKS "
     "refuses a minimum above the desired size). Karpenter never scales managed groups.")
    daemon_set_pods_per_node: NotRequired[int]
    ("DaemonSet pods on each node, subtracted from max pods when sizing by `targetPods`. Unset: "
     "those the stack runs (aws-node, kube-proxy, plus the pod identity agent and the EBS CSI "
     "node plugin when on).")
    labels: NotRequired[dict[str, str]]
    ("Kubernetes labels of the nodes. EKS refuses the `kubernetes.io/`, `k8s.io/` and "
     "`eks.amazonaws.com/` prefixes; keys at most 63 characters after the prefix, values non-"
     "empty.")
    taints: NotRequired[list[TaintSettings]]
    "Taints of the nodes, at most 50 (EKS's limit)."
    disk_size_gib: NotRequired[int]
    ("Size in GiB of the volume pods use (the root volume on AL2023, the data volume on "
     "Bottlerocket), 20 to 16384 (gp3's maximum). 50 by default, above EKS's own 20, which image"
     " pulls fill quickly. Encrypted, gp3.")
    imds_hop_limit: NotRequired[int]
    ("Instance metadata response hop limit of the launch template, 1 to 64. One by default, so "
     "pods (one hop further) cannot read the node role's credentials; IMDSv2 is always required.")
    max_unavailable: NotRequired[str]
    ("Nodes down at once while the group rolls (a version update): a count or a percentage such "
     "as `\"25%\"`, each 1 to 100 (NodegroupUpdateConfig in botocore's EKS model).")
    update_strategy: NotRequired[UpdateStrategy]
    ("How EKS rolls the group: `DEFAULT` (new nodes first, then old ones drained) or `MINIMAL` "
     "(old nodes terminated first, for scarce capacity such as GPUs).")
    node_repair: NotRequired[bool]
    "EKS node auto repair: replace (or reboot) nodes that stay unhealthy."
    ssm: NotRequired[bool]
    ("AmazonSSMManagedInstanceCore on the node role (Session Manager). Off unless asked for: it "
     "also lets the node read every SSM parameter in the account.")
    cluster: pulumi.Input[str]
    "The `EksCluster` of this package the component belongs to (a resource reference)."
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    "None: the cluster's subnets."


class EksAddonInputs(TypedDict):
    ("One managed add-on of `cluster`: the stack file's add-on settings (same rules, same "
     "messages), its name, configuration and IAM role.")

    version: NotRequired[str]
    ("`default` (the build EKS installs on a new cluster of this Kubernetes version; it moves "
     "only when the cluster version does, so previews stay quiet), `latest` (newest build "
     "compatible with the version), or a pinned `vX.Y.Z-eksbuild.N`. Resolved with "
     "DescribeAddonVersions at preview.")
    resolve_conflicts_on_create: NotRequired[ConflictOnCreate]
    ("What EKS does when the add-on's objects already exist as self-managed ones at creation: "
     "`OVERWRITE` (EKS's values win; the default, so a cluster created with bootstrap add-ons "
     "converges) or `NONE` (leave them; creation may fail).")
    resolve_conflicts_on_update: NotRequired[ConflictOnUpdate]
    ("What EKS does with fields changed away from its defaults when the add-on is updated: "
     "`OVERWRITE` (back to EKS's values; the default, so the stack file is the truth), "
     "`PRESERVE` (keep the changed values) or `NONE` (leave them; the update may fail).")
    preserve: NotRequired[bool]
    ("Keep the add-on's Kubernetes objects when the add-on is deleted. Unset: true for vpc-cni, "
     "false for the others. Pulumi deletes a removed add-on with the inputs it last applied, so "
     "vpc-cni carries `preserve` all along: switching `cni.mode` to helm then leaves aws-node "
     "running for the chart to adopt, and no pod loses its network.")
    namespace: NotRequired[str]
    ("`namespaceConfig.namespace`: install the add-on in this namespace instead of its "
     "predefined one. Fixed at creation: a change deletes and re-creates the add-on (EKS's "
     "UpdateAddon has no namespaceConfig), which the plan says.")
    cluster: pulumi.Input[str]
    "The `EksCluster` of this package the component belongs to (a resource reference)."
    addon_name: str
    "The EKS add-on's name (e.g. `kube-proxy`)."
    configuration: NotRequired[dict[str, Any]]
    "`configurationValues`; None for vpc-cni: the cluster's CNI declaration."


class SelfManagedVpcCniInputs(TypedDict):
    ("The aws-vpc-cni chart for `cluster`, whose CNI declaration has `mode: helm`. `role`: aws-"
     "node's IAM role (IRSA: a service account annotation; Pod Identity: an association); None: "
     "one as `cluster.cni.iam` says (`nodeRole`: none, the node role).")

    cluster: pulumi.Input[str]
    "The `EksCluster` (with `cni.mode: helm`) the chart is installed on (a resource reference)."


class FargateProfilesInputs(TypedDict):
    "Fargate profiles of `cluster`, in its subnets unless told otherwise."

    cluster: pulumi.Input[str]
    "The `EksCluster` of this package the component belongs to (a resource reference)."
    profiles: list[FargateProfileSettings]
    "The Fargate profiles (at least one), sharing one pod execution role."
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    "Private subnets only (Fargate pods get no public IPs); None: the cluster's."


class KarpenterInputs(TypedDict):
    ("Karpenter for `cluster`: the stack file's `karpenter` block (same rules, same messages) "
     "plus the managed node group its controller runs on. The controller's credentials come "
     "through EKS Pod Identity, so the cluster needs the `eks-pod-identity-agent` add-on.")

    chart_version: NotRequired[str]
    ("Version of the Karpenter chart (`oci://public.ecr.aws/karpenter/karpenter`); a 1.x "
     "version, since the package writes Karpenter's v1 APIs. After an upgrade that changes CRDs,"
     " apply the `karpenter-crd` chart of the same version.")
    namespace: NotRequired[str]
    "Namespace of the controller; kube-system, as in Karpenter's getting-started guide."
    node_pools: NotRequired[list[NodePoolSettings]]
    "The NodePools (and their EC2NodeClasses), each split by max pods unless told otherwise."
    ssm: NotRequired[bool]
    ("AmazonSSMManagedInstanceCore on the node role, as `ssm` of a node group: off unless asked "
     "for, since it lets nodes read every SSM parameter in the account.")
    cluster: pulumi.Input[str]
    "The `EksCluster` of this package the component belongs to (a resource reference)."
    system_node_group: pulumi.Input[str]
    ("The `ManagedNodeGroup` of this package the controller runs on (a resource reference): "
     "selected by its labels, its taints tolerated.")
    discovery_subnet_ids: NotRequired[list[str]]
    ("Existing node subnets to tag `karpenter.sh/discovery` (one `aws.ec2.Tag` each). None: the "
     "cluster's subnets when they are plain IDs; the subnets of a `Vpc` carry the tag when it is"
     " created with `karpenter_discovery=True`.")
