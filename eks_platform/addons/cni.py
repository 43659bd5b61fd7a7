"""Pod networking, declared once: `CniSettings` -> add-on config, Helm values, max-pods inputs.

Every consumer of pod networking derives from one `CniSettings`: the vpc-cni managed add-on's
`configurationValues`, the aws-vpc-cni chart's values, and each node group's max pods. So a
node group can never assume prefix delegation while the CNI has it off, or the reverse.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from eks_platform.addons.registry import eks_registry
from eks_platform.errors import FieldError
from eks_platform.model import SettingsModel
from eks_platform.nodes.maxpods import MaxPodsOptions
from eks_platform.nodes.maxpods.options import DEFAULT_CNI_VERSION
from eks_platform.nodes.maxpods.table import known_instance_types, lookup

#: Chart `aws-vpc-cni` from https://aws.github.io/eks-charts; its appVersion equals its version.
DEFAULT_CHART_VERSION = "1.22.4"
HELM_CHART = "aws-vpc-cni"
HELM_REPOSITORY = "https://aws.github.io/eks-charts"
#: When the managed add-on version is resolved at deploy time, max pods is computed for this
#: CNI version (`maxpods.DEFAULT_CNI_VERSION`, also the `max-pods` command's default).
RESOLVED_ADDON_CNI_FLOOR = DEFAULT_CNI_VERSION

#: Where aws-node runs and whose service account its IAM role is for, in both modes.
AWS_NODE_NAMESPACE = "kube-system"
AWS_NODE_SERVICE_ACCOUNT = "aws-node"



@cache
def most_prefixes_per_node() -> int:
    """The most secondary-address slots (each can hold a /28 prefix) that any instance type of
    the table has on its default network card: ENIs x (IPv4 addresses per ENI - 1)."""
    return max(limits.enis_per_card[limits.default_network_card_index] *
               (limits.ipv4_per_eni - 1)
               for limits in map(lookup, known_instance_types()))


CniMode = Literal["managed", "helm"]
CniIam = Literal["irsa", "podIdentity", "nodeRole"]


class HelmCniSettings(SettingsModel):
    """Self-managed aws-vpc-cni: chart pin and adoption of an EKS-created aws-node."""

    chart_version: str = Field(DEFAULT_CHART_VERSION, pattern=r"^\d+\.\d+\.\d+$")
    """Version of the eks-charts `aws-vpc-cni` chart; its appVersion is the CNI's version, so
    it also sets the CNI version that max pods and feature minimums (prefix delegation 1.9,
    network policy 1.14, Pod Identity 1.15.5) are checked against."""
    adopt_existing: bool = False
    """Take over a running `aws-node`: the one EKS created on a cluster built with
    `bootstrapSelfManagedAddons: true`, or the one the vpc-cni add-on leaves (it is deleted
    with `preserve`) when a running cluster switches from managed to helm. Its objects are
    labelled and annotated for Helm and the chart keeps their match labels
    (`originalMatchLabels`). Off by default: a new cluster has no aws-node to adopt."""


class CniSettings(SettingsModel):
    """The stack's one declaration of pod networking (key `eks-platform:cni`)."""

    mode: CniMode = "managed"
    """Who installs the VPC CNI: `managed` (the EKS vpc-cni add-on, settings under
    `addons.vpcCni`) or `helm` (the aws-vpc-cni chart on a cluster created without EKS's
    self-managed add-ons). Managed is the default: EKS keeps it compatible with the cluster
    version."""
    prefix_delegation: bool = False
    """Assign /28 IPv4 prefixes to ENI slots instead of single addresses
    (`ENABLE_PREFIX_DELEGATION`): on Nitro instances max pods rises to 110 (up to 30 vCPUs)
    or 250. Needs CNI 1.9 or later; every node group's and NodePool's max pods follows this
    value. Off by default, as in the CNI."""
    custom_networking: bool = False
    """Give pods addresses from a pod subnet per zone (an ENIConfig per zone) instead of the
    node's subnet. The node's primary ENI then holds no pods, so max pods drops (an
    m5.large: 20 instead of 29). See `vpc.podCidr` and `podSubnets`."""
    max_enis: int | None = Field(None, ge=1, le=100)
    """Cap on the ENIs the CNI attaches per node (`MAX_ENI`), 1 to 100; max pods is computed
    with the cap, as the calculator's `--cni-max-eni`. Unset: the instance type's limit."""
    warm_eni_target: int | None = Field(None, ge=0)
    """ENIs kept attached and unused beyond those in use (`WARM_ENI_TARGET`); unset: the CNI's
    default (1). Lower it to leave subnet addresses free, at the cost of slower pod starts."""
    warm_ip_target: int | None = Field(None, ge=0)
    """Free addresses kept ready on each node (`WARM_IP_TARGET`); unset: the CNI works by whole
    ENIs. Useful in small subnets; very low values mean more EC2 API calls."""
    minimum_ip_target: int | None = Field(None, ge=0)
    """Addresses each node holds at least, used or not (`MINIMUM_IP_TARGET`), usually set with
    `warmIpTarget` to the expected pods per node; unset: the CNI's default."""
    warm_prefix_target: int | None = Field(None, ge=0)
    """Free /28 prefixes kept ready on each node (`WARM_PREFIX_TARGET`); only with
    `prefixDelegation: true`. Unset: the CNI's default (1)."""
    network_policy: bool = False
    """Run the VPC CNI's network policy agent, which enforces Kubernetes NetworkPolicy
    (`enableNetworkPolicy`). Needs vpc-cni 1.14 or later; off by default as in the CNI, on
    in the shipped staging and prod stacks (CIS EKS 4.3.1)."""
    iam: CniIam = "irsa"
    """Where aws-node gets its EC2 permissions (AmazonEKS_CNI_Policy): `irsa` (its own role
    through the cluster's OIDC provider, the default), `podIdentity` (its own role through
    EKS Pod Identity; needs the agent and vpc-cni 1.15.5), or `nodeRole` (the node role
    carries the policy, so every pod on the node could use it)."""
    helm: HelmCniSettings | None = None
    """Chart version and adoption for `mode: helm`; giving it with `mode: managed` is an error.
    Unset in helm mode: the pinned default chart."""
    pod_subnets: dict[str, str] = {}
    """Custom networking on existing subnets: zone name -> the pod subnet of that zone."""

    @field_validator("warm_prefix_target")
    @classmethod
    def _at_most_a_node_holds(cls, target: int | None) -> int | None:
        # The CNI documents no maximum; past what the largest node can attach it means nothing
        # (each /28 prefix takes one address slot of an ENI), and is surely a typo.
        most = most_prefixes_per_node()
        if target is not None and target > most:
            raise ValueError(f"more /28 prefixes than any instance type can attach ({most}, "
                             "ENIs x (IPv4 addresses per ENI - 1) of the largest); 1 keeps one "
                             "spare prefix (16 addresses) per node")
        return target

    @model_validator(mode="after")
    def _coherent(self) -> CniSettings:
        if self.pod_subnets and not self.custom_networking:
            raise ValueError("podSubnets only applies with customNetworking: true")
        if self.warm_prefix_target is not None and not self.prefix_delegation:
            raise FieldError("warmPrefixTarget", self.warm_prefix_target,
                             "warmPrefixTarget only applies with prefixDelegation: true")
        if self.helm is not None and self.mode != "helm":
            raise FieldError("helm", self.helm.model_dump(by_alias=True),
                             "cni.helm is set but cni.mode is 'managed': exactly one CNI mode")
        return self

    @property
    def helm_settings(self) -> HelmCniSettings:
        return self.helm or HelmCniSettings()

    def cni_version(self, addon_version: str | None) -> str:
        """The CNI version the node groups' max pods are computed for."""
        if self.mode == "helm":
            return self.helm_settings.chart_version
        return addon_version or RESOLVED_ADDON_CNI_FLOOR

    def max_pods_options(self, addon_version: str | None = None) -> MaxPodsOptions:
        """The calculator flags that follow from this declaration."""
        return MaxPodsOptions(  # validates the version
            cni_version=self.cni_version(addon_version),
            custom_networking=self.custom_networking,
            prefix_delegation=self.prefix_delegation,
            max_enis=self.max_enis,
        )

    def env(self) -> dict[str, str]:
        """aws-node environment, as strings (Kubernetes env values are strings)."""
        env = {
            "ENABLE_PREFIX_DELEGATION": _flag(self.prefix_delegation),
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": _flag(self.custom_networking),
        }
        if self.custom_networking:
            # One ENIConfig per AZ, picked by the node's zone label.
            env["ENI_CONFIG_LABEL_DEF"] = "topology.kubernetes.io/zone"
        optional = {
            "MAX_ENI": self.max_enis,
            "WARM_ENI_TARGET": self.warm_eni_target,
            "WARM_IP_TARGET": self.warm_ip_target,
            "MINIMUM_IP_TARGET": self.minimum_ip_target,
            "WARM_PREFIX_TARGET": self.warm_prefix_target,
        }
        env.update({key: str(value) for key, value in optional.items() if value is not None})
        return env


def _flag(value: bool) -> str:
    return "true" if value else "false"


def addon_configuration(cni: CniSettings) -> dict[str, Any]:
    """`configurationValues` of the vpc-cni managed add-on (keys of its configuration schema)."""
    return {
        "env": cni.env(),
        "enableNetworkPolicy": _flag(cni.network_policy),
    }


def helm_values(cni: CniSettings, region: str, role_arn: str | None,
                ip_family: str = "ipv4") -> dict[str, Any]:
    """Values of the aws-vpc-cni chart: same env as the add-on, images from the region's ECR.

    On an IPv6 cluster the chart must be told, in each of its three containers (its defaults
    are IPv4): aws-node's `ENABLE_IPv6`/`ENABLE_IPv4`, the init container's `ENABLE_IPv6`, the
    network policy agent's `enableIpv6`. (The managed add-on needs none of it: EKS configures
    it from the cluster's IP family, and its schema has no such keys.)"""
    registry = eks_registry(region)
    image = {
        "region": registry.region,
        "account": registry.account,
        "domain": registry.domain,
        "endpoint": registry.endpoint,
    }
    values: dict[str, Any] = {
        "image": dict(image),
        "init": {"image": dict(image)},
        "nodeAgent": {"image": dict(image)},
        "env": cni.env(),
        "enableNetworkPolicy": _flag(cni.network_policy),
        "originalMatchLabels": cni.helm_settings.adopt_existing,
    }
    if ip_family == "ipv6":
        values["env"].update({"ENABLE_IPv6": "true", "ENABLE_IPv4": "false"})
        values["init"]["env"] = {"ENABLE_IPv6": "true"}
        values["nodeAgent"]["enableIpv6"] = "true"
    if role_arn is not None:
        values["serviceAccount"] = {
            "annotations": {"eks.amazonaws.com/role-arn": role_arn},
        }
    return values


def to_json(values: dict[str, Any]) -> str:
    """Deterministic JSON (sorted keys, no spaces) so previews show no spurious diffs."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"))
