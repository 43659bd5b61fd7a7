"""Descriptions of settings fields that carry no attribute docstring, for the package schema.

`generate.py` takes a field's description from its docstring in the settings model when it has
one (the one source of truth: write new ones there) and from this table otherwise. Keys are
`<declaring model>.<field>`; a test fails on a key whose field no longer exists.
"""

DESCRIPTIONS: dict[str, str] = {
    # --- cluster -------------------------------------------------------------------------
    "ClusterSettings.region": "The AWS Region of the cluster: the program's `aws:region` "
    "(the default provider creates the resources there), which is also the default.",
    "ClusterSettings.ip_family": "IP family of pod and service addresses; `ipv6` needs "
    "existing dual-stack `subnetIds` and `cni.prefixDelegation`.",
    "ClusterSettings.cluster_creator_admin": "Whether the identity creating the cluster gets "
    "cluster-admin; default: only when no `admins` are given.",
    "ClusterSettings.endpoint": "Who reaches the Kubernetes API endpoint: private access is "
    "always on, public access is opt-in by CIDR.",
    "ClusterSettings.admins": "IAM principals given Kubernetes access through access entries, "
    "each with one EKS access policy.",
    "ClusterSettings.kms_key_arn": "An existing KMS key for envelope encryption of Kubernetes "
    "secrets; default: a key the package creates with rotation on.",
    "ClusterSettings.kms_key_admins": "IAM principals (ARNs) allowed to administer the keys the "
    "package creates, besides the deploying identity.",
    "ClusterSettings.node_volume_kms_key": "Key of the nodes' EBS volumes: `customer` (a key "
    "the package creates) or `awsManaged` (aws/ebs).",
    "ClusterSettings.logging": "Control-plane log types sent to CloudWatch Logs (EKS "
    "`LogType`).",
    "ClusterSettings.log_retention_days": "Retention of the control-plane log group, in days "
    "(a value CloudWatch Logs accepts).",
    "ClusterSettings.oidc_provider": "Create the IAM OIDC provider even when no IRSA role of "
    "the package needs it (for your own IRSA roles).",
    "ClusterSettings.protect": "Protect the cluster, its keys and other stateful resources from "
    "deletion by Pulumi (and EKS deletion protection unless `deletionProtection` says "
    "otherwise).",
    "ClusterSettings.deletion_protection": "EKS deletion protection of the cluster; default: "
    "as `protect`.",
    "ClusterSettings.bootstrap_self_managed_addons": "Let EKS install self-managed aws-node, "
    "kube-proxy and CoreDNS at creation; off: the managed add-ons (or the Helm CNI) provide "
    "them.",
    "ClusterSettings.tags": "Tags on every taggable AWS resource the package creates.",
    "ClusterSettings.cni": "The one declaration of pod networking: CNI mode, prefix delegation, "
    "custom networking, warm targets, IAM; node max pods follow from it.",
    "EksClusterArgs.name": "The EKS cluster's name.",
    "PlatformSettings.cluster_name": "The EKS cluster's name; default: `eks-platform-<stack>`.",
    "PlatformSettings.vpc": "Create a VPC with these settings (default when `subnetIds` is not "
    "given).",
    "PlatformSettings.subnet_ids": "Existing private subnets (at least two zones) for the "
    "control plane and nodes, instead of a created VPC.",
    "PlatformSettings.node_groups": "Managed node groups; at least one node group or Fargate "
    "profile.",
    "PlatformSettings.fargate_profiles": "Fargate profiles: pods matching a selector run on "
    "Fargate.",
    "PlatformSettings.karpenter": "Karpenter: controller, IAM, interruption queue and "
    "NodePools; off unless `enabled`.",
    # --- endpoint, admins --------------------------------------------------------------------
    "EndpointSettings.public_access": "Open the public API endpoint (only to "
    "`publicAccessCidrs`).",
    "EndpointSettings.public_access_cidrs": "Public CIDR ranges allowed to the public endpoint "
    "(the deployer's and kubectl users' egress ranges).",
    "EndpointSettings.private_access_cidrs": "Ranges inside the VPC or a network connected to "
    "it that reach the private endpoint; each gets port 443 on the cluster security group.",
    "AdminSettings.principal_arn": "IAM role or user ARN given access.",
    "AdminSettings.access_policy": "EKS access policy associated with the principal.",
    "AdminSettings.namespaces": "Limit the policy to these Kubernetes namespaces; default: the "
    "whole cluster.",
    # --- CNI --------------------------------------------------------------------------------
    "CniSettings.mode": "`managed`: the EKS vpc-cni add-on; `helm`: the aws-vpc-cni chart on a "
    "cluster created without self-managed add-ons.",
    "CniSettings.prefix_delegation": "Assign /28 prefixes to ENIs (ENABLE_PREFIX_DELEGATION): "
    "many more pods per node on Nitro instances.",
    "CniSettings.custom_networking": "Pods take addresses from separate pod subnets through "
    "ENIConfigs (one per zone).",
    "CniSettings.max_enis": "Cap on the ENIs the CNI attaches per node (and so on max pods).",
    "CniSettings.warm_eni_target": "WARM_ENI_TARGET of the CNI: spare ENIs kept attached.",
    "CniSettings.warm_ip_target": "WARM_IP_TARGET of the CNI: spare IP addresses kept per "
    "node.",
    "CniSettings.minimum_ip_target": "MINIMUM_IP_TARGET of the CNI: addresses allocated per "
    "node from the start.",
    "CniSettings.warm_prefix_target": "WARM_PREFIX_TARGET of the CNI: spare prefixes kept "
    "(prefix delegation only).",
    "CniSettings.network_policy": "Enable the VPC CNI's Kubernetes network policy agent.",
    "CniSettings.iam": "How aws-node gets its AWS permissions: `irsa`, `podIdentity` or "
    "`nodeRole` (the node role holds the CNI policy).",
    "CniSettings.helm": "Chart pin and adoption settings of `mode: helm`.",
    "HelmCniSettings.chart_version": "aws-vpc-cni chart version (the CNI's version).",
    "HelmCniSettings.adopt_existing": "Adopt an EKS-created aws-node (needs "
    "`bootstrapSelfManagedAddons: true`).",
    # --- add-ons ----------------------------------------------------------------------------
    "AddonsSettings.vpc_cni": "The vpc-cni managed add-on (`cni.mode: managed` only).",
    "AddonsSettings.coredns": "The coredns managed add-on, created after the nodes.",
    "AddonsSettings.kube_proxy": "The kube-proxy managed add-on.",
    "AddonsSettings.pod_identity_agent": "The eks-pod-identity-agent add-on; also on with "
    "`cni.iam: podIdentity` or Karpenter.",
    "AddonsSettings.ebs_csi_driver": "The aws-ebs-csi-driver add-on, with its own IAM role.",
    "AddonSettings.version": "`default` (what EKS installs for the Kubernetes version), "
    "`latest`, or a pinned `vX.Y.Z-eksbuild.N`.",
    "AddonSettings.resolve_conflicts_on_create": "How EKS resolves conflicts with existing "
    "fields at creation (EKS `ResolveConflicts`).",
    "AddonSettings.resolve_conflicts_on_update": "How EKS resolves conflicts with changed "
    "fields on update (EKS `ResolveConflicts`).",
    "AddonSettings.preserve": "Keep the add-on's Kubernetes objects when the add-on is "
    "deleted.",
    "CorednsSettings.replica_count": "CoreDNS replicas.",
    "KubeProxySettings.mode": "kube-proxy proxy mode; default: the add-on's (iptables).",
    "OptionalAddonSettings.enabled": "Install this add-on.",
    # --- network ----------------------------------------------------------------------------
    "VpcSettings.cidr": "The VPC's IPv4 CIDR, /16 to /20.",
    "VpcSettings.availability_zones": "Availability zones to spread subnets over (2 to 6).",
    "VpcSettings.nat_gateways": "`onePerAz` (zone-independent egress) or `single` (cheaper).",
    "VpcSettings.flow_logs": "VPC flow logs to an encrypted CloudWatch Logs group.",
    "FlowLogsSettings.enabled": "Record VPC flow logs.",
    "FlowLogsSettings.traffic_type": "Traffic recorded: ALL, ACCEPT or REJECT.",
    "FlowLogsSettings.retention_days": "Retention of the flow log group, in days.",
    # --- node groups ------------------------------------------------------------------------
    "NodeGroupSettings.name": "The node group's name (the prefix of EKS's name), unique in the "
    "cluster.",
    "NodeGroupSettings.live_instance_type_lookup": "Ask EC2 at deploy time about instance "
    "types the package's table lacks.",
    "NodeGroupSettings.instance_types": "EC2 instance types of the group; max pods is the "
    "minimum over them.",
    "NodeGroupSettings.ami_type": "EKS AMI type; default: the one the instance types need "
    "(architecture, GPU, Neuron).",
    "NodeGroupSettings.capacity_type": "ON_DEMAND or SPOT capacity.",
    "NodeGroupSettings.min_size": "Minimum number of nodes.",
    "NodeGroupSettings.max_size": "Maximum number of nodes.",
    "NodeGroupSettings.desired_size": "Initial number of nodes (or give `targetPods`).",
    "NodeGroupSettings.target_pods": "Size the group to hold this many pods, given max pods "
    "and the DaemonSets on every node.",
    "NodeGroupSettings.daemon_set_pods_per_node": "Pods per node taken by DaemonSets; default: "
    "one per DaemonSet the cluster's add-ons run.",
    "NodeGroupSettings.labels": "Kubernetes labels on the nodes.",
    "NodeGroupSettings.taints": "Kubernetes taints on the nodes.",
    "NodeGroupSettings.disk_size_gib": "Root volume size of each node, GiB.",
    "NodeGroupSettings.imds_hop_limit": "IMDSv2 hop limit of the nodes (1 keeps pods off the "
    "node's credentials).",
    "NodeGroupSettings.update_strategy": "How nodes roll on update: DEFAULT (surge first) or "
    "MINIMAL (terminate first).",
    "TaintSettings.key": "Taint key.",
    "TaintSettings.value": "Taint value.",
    "TaintSettings.effect": "Taint effect, as EKS spells it.",
    "FargateProfileSettings.name": "The Fargate profile's name.",
    "FargateProfileSettings.selectors": "Pods matching any selector run on Fargate (1 to 5).",
    "FargateSelectorSettings.namespace": "Namespace of the pods.",
    "FargateSelectorSettings.labels": "Pod labels that must all match (at most 5).",
    # --- Karpenter --------------------------------------------------------------------------
    "KarpenterSpec.chart_version": "Karpenter chart version (1.x).",
    "KarpenterSpec.namespace": "Namespace of the Karpenter controller.",
    "KarpenterSpec.node_pools": "NodePools (each with its EC2NodeClass).",
    "KarpenterSettings.enabled": "Install Karpenter.",
    "KarpenterSettings.system_node_group": "The managed node group the controller runs on; "
    "default: the only node group.",
    "NodePoolSettings.name": "The NodePool's name.",
    "NodePoolSettings.instance_families": "EC2 instance families allowed (e.g. m6i).",
    "NodePoolSettings.instance_sizes": "Instance sizes allowed within the families (e.g. "
    "xlarge).",
    "NodePoolSettings.instance_types": "Exact instance types allowed.",
    "NodePoolSettings.architectures": "CPU architectures allowed.",
    "NodePoolSettings.capacity_types": "Capacity types allowed, as Karpenter spells them.",
    "NodePoolSettings.ami_family": "AMI family of the EC2NodeClass.",
    "NodePoolSettings.split_by_max_pods": "One NodePool per max-pods class (110 and 250), so "
    "each gets its kubelet maxPods.",
    "NodePoolSettings.limits": "Upper bounds on the pool's total vCPUs and memory.",
    "NodePoolSettings.disruption": "Consolidation and disruption budgets.",
    "NodePoolSettings.expire_after": "Node lifetime before replacement (`720h`, or `Never`).",
    "NodePoolSettings.weight": "Priority among NodePools (1 to 100).",
    "NodePoolSettings.labels": "Kubernetes labels on the nodes.",
    "NodePoolSettings.taints": "Kubernetes taints on the nodes.",
    "NodePoolSettings.disk_size_gib": "Root volume size of each node, GiB.",
    "NodePoolSettings.imds_hop_limit": "IMDSv2 hop limit of the nodes.",
    "PoolLimitsSettings.cpu": "Total vCPUs the pool may provision.",
    "PoolLimitsSettings.memory": "Total memory the pool may provision (e.g. 512Gi).",
    "PoolTaintSettings.key": "Taint key.",
    "PoolTaintSettings.value": "Taint value.",
    "PoolTaintSettings.effect": "Taint effect, as Kubernetes spells it.",
    "DisruptionSettings.consolidation_policy": "Which nodes Karpenter consolidates.",
    "DisruptionSettings.consolidate_after": "How long a node stays a candidate before "
    "consolidation (`1m`, or `Never`).",
    "DisruptionSettings.budgets": "Disruption budgets (at most 50).",
    "BudgetSettings.nodes": "Nodes disrupted at once: a count or a percentage.",
    "BudgetSettings.schedule": "Cron schedule when the budget starts (with `duration`).",
    "BudgetSettings.duration": "How long the budget applies after each start.",
    "BudgetSettings.reasons": "Disruption reasons the budget applies to; default: all.",
}
