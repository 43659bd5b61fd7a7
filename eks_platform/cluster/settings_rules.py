"""The control plane's rules, as plain functions `ClusterSettings` validates with: the
version against the EKS calendar, the tags, and whether the endpoint and the CNI declaration
fit the rest of the cluster. Messages are the settings' own (errors.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from eks_platform.addons.cni import CniSettings
from eks_platform.addons.features import feature_problems
from eks_platform.cluster.judgment_day import judgment_day
from eks_platform.errors import FieldError
from eks_platform.facts.versions import SupportType, judge, load
from eks_platform.network.public_cidrs import public_access_cidr_problem
from eks_platform.network.settings import EndpointSettings
from eks_platform.nodes.kubernetes_names import TAGS_MAX, tag_problems

#: `kubernetesVersion: default` (or no key): the newest version in standard support on the
#: judgment day, from the EKS version calendar (`facts/versions.json`).
DEFAULT_VERSION = "default"


def judged_version(version: str, support_type: SupportType) -> str:
    """`default` resolved, then refused if the calendar says EKS no longer offers it, or
    offers it only in extended support while `supportType` is not EXTENDED."""
    day = judgment_day()
    if version == DEFAULT_VERSION:
        return load().default_version(day)
    errors = judge(version, day, support_type).errors
    if errors and re.fullmatch(r"\d+\.\d", version) and f"{version}0" in load().versions:
        # The Pulumi CLI hands the program an unquoted 1.30 as the string "1.3".
        raise ValueError(f"YAML reads an unquoted {version}0 as the number {version}: "
                         f'quote the version, "{version}0"')
    if errors:
        raise ValueError(errors[0])
    return version


def quoted_version(version: object) -> object:
    """A version YAML read as a number (1.30 as 1.3) is refused before it is compared."""
    if isinstance(version, int | float) and not isinstance(version, bool):
        raise ValueError('quote the version, e.g. "1.35": YAML reads 1.30 as the number 1.3')
    return version


def check_tags(tags: dict[str, str], package_tags: Sequence[str]) -> dict[str, str]:
    """Each tag valid, and room left for the package's own (`package_tags`) under AWS's 50."""
    for key in sorted(tags):
        problems = tag_problems({key: tags[key]})
        if problems:
            raise FieldError((key,), tags[key], "; ".join(problems))
    allowed = TAGS_MAX - len(package_tags)
    if len(tags) > allowed:
        raise ValueError(
            f"{len(tags)} tags, at most {allowed}: AWS allows {TAGS_MAX} per resource and "
            f"eks-platform adds up to {len(package_tags)} of its own "
            f"({', '.join(package_tags)})")
    return tags


def check_public_cidrs(endpoint: EndpointSettings, ip_family: str) -> None:
    """Every public access range is of the cluster's IP family."""
    for index, cidr in enumerate(endpoint.public_access_cidrs):
        problem = public_access_cidr_problem(cidr, ip_family)
        if problem is not None:
            raise FieldError(("endpoint", "publicAccessCidrs", index), cidr, problem)


def check_chart_features(cni: CniSettings, features: list[str]) -> None:
    """The Helm CNI's chart version does what the stack asks of the CNI."""
    if cni.mode != "helm":
        return
    version = cni.helm_settings.chart_version
    problems = feature_problems("vpc-cni", version, features)
    if problems:
        raise FieldError(("cni", "helm", "chartVersion"), version,
                         "; ".join(problems) + " (the chart's version is the CNI's)")


def check_ipv6_cni(ip_family: str, cni: CniSettings) -> None:
    """The VPC CNI runs IPv6 only with prefix delegation and without custom networking
    (amazon-vpc-cni-k8s README, IPv6 support; EKS user guide, IPv6 clusters)."""
    if ip_family != "ipv6":
        return
    if not cni.prefix_delegation:
        raise FieldError(("cni", "prefixDelegation"), False,
                         "ipFamily 'ipv6' needs prefixDelegation: true (the VPC CNI assigns "
                         "IPv6 /80 prefixes only)")
    if cni.custom_networking:
        raise FieldError(("cni", "customNetworking"), True,
                         "ipFamily 'ipv6' does not support custom networking in the VPC CNI")


def check_cni_bootstrap(cni: CniSettings, bootstrap_self_managed_addons: bool) -> None:
    """The Helm CNI next to an EKS-created aws-node only when it adopts it."""
    if cni.mode != "helm":
        return
    adopt = cni.helm_settings.adopt_existing
    if bootstrap_self_managed_addons and not adopt:
        raise FieldError(
            "bootstrapSelfManagedAddons", True,
            "cni.mode 'helm' with bootstrapSelfManagedAddons: true leaves an EKS-created "
            "aws-node in the way: set cni.helm.adoptExisting: true or bootstrap false")
    # adoptExisting without bootstrapSelfManagedAddons: the aws-node of the vpc-cni add-on
    # a running cluster is switched from (deleted with preserve). docs/pod-networking.md,
    # "Switching mode on a running cluster".


def check_deployer_reaches_api(users: list[str], endpoint: EndpointSettings) -> None:
    """What goes through the Kubernetes API (`users`) needs a declared way to the endpoint."""
    if users and not endpoint.reachable_by_deployer:
        raise FieldError(
            "endpoint", endpoint.model_dump(by_alias=True, mode="json"),
            f"{' and '.join(users)} through the Kubernetes API, so the machine "
            "running `pulumi up` must reach the cluster endpoint: set publicAccess: true "
            "with publicAccessCidrs (the deployer's public egress range), or "
            "privateAccessCidrs (the deployer's range inside the VPC or a network "
            "connected to it; it gets port 443 on the cluster security group)")
