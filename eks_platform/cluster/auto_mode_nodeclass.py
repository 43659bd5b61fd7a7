"""An Auto Mode NodeClass (`eks.amazonaws.com/v1`) and its NodePools: API versions, spec fields,
labels and defaults, as data with their sources (issue #19); pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

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

