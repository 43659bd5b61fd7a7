"""Add-on namespaces (`namespaceConfig`): which add-ons take one, the name rule, and that a change
replaces the add-on, with their sources (issue #19); pure."""

from __future__ import annotations

import re
from typing import Final

from eks_platform.facts.eks_api import (
    ADDON_NAMESPACE_LENGTH,
)

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



#: Package rule: add-ons kept in `kube-system`, because what the package and EKS build around
#: them names that namespace: the VPC CNI's `aws-node` service account (its IRSA/Pod Identity
#: role, the Helm adoption, ENIConfigs), kube-proxy's DaemonSet that nodes wait for, and the
#: `kube-dns` Service every kubelet's clusterDNS points at. The EKS guide names no exception
#: (ADDON_NAMESPACE_CATEGORIES), so this is stricter than the API, and says why.
KUBE_SYSTEM_ONLY: Final = {
    "vpc-cni": "its aws-node service account, IAM role and ENIConfigs are in kube-system",
    "kube-proxy": "nodes wait for its DaemonSet in kube-system",
    "coredns": "every kubelet's clusterDNS is the kube-dns Service in kube-system",
}


def addon_namespace_error(addon_name: str, namespace: str) -> str | None:
    """Why `addon_name` cannot go to `namespace`, or None."""
    if addon_name in KUBE_SYSTEM_ONLY and namespace != "kube-system":
        return (f"{addon_name} stays in kube-system: {KUBE_SYSTEM_ONLY[addon_name]} "
                "(eks-platform rule)")
    problems = addon_namespace_problems(namespace)
    return problems[0] if problems else None
