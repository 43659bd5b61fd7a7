"""Amazon EKS add-on image registries (Amazon ECR) by AWS Region.

EKS publishes the images of its add-ons (``amazon-k8s-cni``, ``amazon-k8s-cni-init``,
``amazon/aws-network-policy-agent``, ``eks/coredns``, ``eks/kube-proxy``, ...) to an
Amazon ECR registry in every Region it supports. Most commercial Regions share one
account; opt-in Regions, the China Regions, AWS GovCloud (US) and the AWS European
Sovereign Cloud each have their own. The self-managed ``aws-vpc-cni`` Helm chart takes the
pieces separately (``account``, ``region``, ``domain``, ``endpoint``), which is what
:class:`EcrRegistry` holds.

Sources of the table (facts only: Region codes and account numbers):

* Amazon EKS User Guide, "View Amazon container image registries for Amazon EKS add-ons",
  https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html (source of the
  guide: awsdocs/amazon-eks-user-guide, ``latest/ug/workloads/add-ons-images.adoc``), and
  its China edition at docs.amazonaws.cn. This is the authoritative list.
* Cross-checked against awslabs/amazon-eks-ami: ``templates/al2/runtime/get-ecr-uri.sh`` and
  ``nodeadm/internal/aws/ecr`` (the same accounts, used to pull the pause image), and for
  the opt-in Regions against the Amazon GuardDuty User Guide page "Amazon ECR repository
  hosting GuardDuty agent" (the EKS agent is served from the same registries).
* Partitions and DNS suffixes follow the AWS SDK partition metadata (botocore
  ``partitions.json``): ``aws``/``aws-us-gov`` use ``amazonaws.com``, ``aws-cn`` uses
  ``amazonaws.com.cn``, ``aws-eusc`` uses ``amazonaws.eu``.
* Opt-in Regions: AWS Account Management Reference Guide, "Enable or disable AWS Regions in
  your account" (Regions launched after 20 March 2019 are disabled by default).

Notes on the table:

* The EKS guide writes the ap-east-2 registry host as ``...dkr.ecr.ap-east-1...``; that is a
  typo in the guide. The registry lives in ap-east-2 (amazon-eks-ami and the GuardDuty guide
  both use ``533267051163.dkr.ecr.ap-east-2.amazonaws.com``).
* eusc-de-east-1 appears only in the EKS guide; no second source lists its account yet.
* A Region that is not in the table is an error, never a fallback to the default account:
  pulling add-on images from the wrong account fails at node start-up, far from the cause.
  When AWS adds a Region, add it here from the guide.

This module is pure (no Pulumi import) so the CLI and unit tests can use it directly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "DEFAULT_ACCOUNT",
    "KNOWN_REGIONS",
    "OPT_IN_REGIONS",
    "EcrRegistry",
    "UnknownRegionError",
    "dns_suffix",
    "eks_registry",
    "is_opt_in",
    "partition_of",
]

#: The account that serves every commercial Region enabled by default.
DEFAULT_ACCOUNT: Final = "602401143452"

# Region -> EKS add-on registry account. Keep sorted by Region code.
_ACCOUNTS: Final[dict[str, str]] = {
    "af-south-1": "877085696533",
    "ap-east-1": "800184023465",
    "ap-east-2": "533267051163",
    "ap-northeast-1": DEFAULT_ACCOUNT,
    "ap-northeast-2": DEFAULT_ACCOUNT,
    "ap-northeast-3": DEFAULT_ACCOUNT,
    "ap-south-1": DEFAULT_ACCOUNT,
    "ap-south-2": "900889452093",
    "ap-southeast-1": DEFAULT_ACCOUNT,
    "ap-southeast-2": DEFAULT_ACCOUNT,
    "ap-southeast-3": "296578399912",
    "ap-southeast-4": "491585149902",
    "ap-southeast-5": "151610086707",
    "ap-southeast-6": "333609536671",
    "ap-southeast-7": "121268973566",
    "ca-central-1": DEFAULT_ACCOUNT,
    "ca-west-1": "761377655185",
    "cn-north-1": "918309763551",
    "cn-northwest-1": "961992271922",
    "eu-central-1": DEFAULT_ACCOUNT,
    "eu-central-2": "900612956339",
    "eu-north-1": DEFAULT_ACCOUNT,
    "eu-south-1": "590381155156",
    "eu-south-2": "455263428931",
    "eu-west-1": DEFAULT_ACCOUNT,
    "eu-west-2": DEFAULT_ACCOUNT,
    "eu-west-3": DEFAULT_ACCOUNT,
    "eusc-de-east-1": "877088126301",
    "il-central-1": "066635153087",
    "me-central-1": "759879836304",
    "me-south-1": "558608220178",
    "mx-central-1": "730335286997",
    "sa-east-1": DEFAULT_ACCOUNT,
    "us-east-1": DEFAULT_ACCOUNT,
    "us-east-2": DEFAULT_ACCOUNT,
    "us-gov-east-1": "151742754352",
    "us-gov-west-1": "013241004608",
    "us-west-1": DEFAULT_ACCOUNT,
    "us-west-2": DEFAULT_ACCOUNT,
}

#: Every Region with a known EKS add-on registry, sorted.
KNOWN_REGIONS: Final[tuple[str, ...]] = tuple(sorted(_ACCOUNTS))

# The commercial Regions launched before 20 March 2019. This set is closed: every commercial
# Region launched since then is an opt-in Region.
_DEFAULT_ENABLED_REGIONS: Final = frozenset({
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
})

#: Commercial Regions that must be enabled on an account before use (opt-in Regions), sorted.
OPT_IN_REGIONS: Final[tuple[str, ...]] = (
    "af-south-1",      # Africa (Cape Town)
    "ap-east-1",       # Asia Pacific (Hong Kong)
    "ap-east-2",       # Asia Pacific (Taipei)
    "ap-south-2",      # Asia Pacific (Hyderabad)
    "ap-southeast-3",  # Asia Pacific (Jakarta)
    "ap-southeast-4",  # Asia Pacific (Melbourne)
    "ap-southeast-5",  # Asia Pacific (Malaysia)
    "ap-southeast-6",  # Asia Pacific (New Zealand)
    "ap-southeast-7",  # Asia Pacific (Thailand)
    "ca-west-1",       # Canada West (Calgary)
    "eu-central-2",    # Europe (Zurich)
    "eu-south-1",      # Europe (Milan)
    "eu-south-2",      # Europe (Spain)
    "il-central-1",    # Israel (Tel Aviv)
    "me-central-1",    # Middle East (UAE)
    "me-south-1",      # Middle East (Bahrain)
    "mx-central-1",    # Mexico (Central)
)

# Region-code shapes per partition (as in the AWS SDK partition metadata). Disjoint.
_PARTITIONS: Final[tuple[tuple[str, re.Pattern[str], str], ...]] = (
    ("aws", re.compile(r"(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+"), "amazonaws.com"),
    ("aws-cn", re.compile(r"cn-[a-z]+-\d+"), "amazonaws.com.cn"),
    ("aws-us-gov", re.compile(r"us-gov-[a-z]+-\d+"), "amazonaws.com"),
    ("aws-eusc", re.compile(r"eusc-de-[a-z]+-\d+"), "amazonaws.eu"),
)

_ACCOUNT_RE: Final = re.compile(r"\d{12}")


class UnknownRegionError(ValueError):
    """The Region has no entry in the EKS add-on registry table."""

    def __init__(self, region: str, suggestions: tuple[str, ...] = ()) -> None:
        self.region = region
        self.suggestions = suggestions
        hint = (
            "did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
            if suggestions else "no close match"
        )
        super().__init__(
            f"no Amazon EKS add-on registry known for region {region!r}: {hint} "
            f"({len(KNOWN_REGIONS)} regions known; see eks_platform.addons.registry.KNOWN_REGIONS)"
        )


@dataclass(frozen=True)
class EcrRegistry:
    """An Amazon ECR registry, split the way the aws-vpc-cni Helm chart takes it."""

    account: str
    region: str
    domain: str
    endpoint: str = "ecr"

    def __post_init__(self) -> None:
        if not _ACCOUNT_RE.fullmatch(self.account):
            raise ValueError(f"ECR registry account must be 12 digits, got {self.account!r}")
        for name in ("region", "domain", "endpoint"):
            value: str = getattr(self, name)
            if not value or "/" in value or value.strip() != value:
                raise ValueError(f"invalid ECR registry {name}: {value!r}")

    @property
    def host(self) -> str:
        """Registry host name, e.g. ``602401143452.dkr.ecr.us-west-2.amazonaws.com``."""
        return f"{self.account}.dkr.{self.endpoint}.{self.region}.{self.domain}"

    def image(self, repository: str, tag: str) -> str:
        """Full image reference ``{host}/{repository}:{tag}``."""
        if not repository or repository.startswith("/") or ":" in repository:
            raise ValueError(f"invalid repository name: {repository!r}")
        if not tag or ":" in tag or "/" in tag:
            raise ValueError(f"invalid image tag: {tag!r}")
        return f"{self.host}/{repository}:{tag}"


def check_region(region: str) -> str:
    """`region` if this package knows it, else the ValueError every model reports."""
    if region not in KNOWN_REGIONS:
        raise ValueError(f"unknown AWS region; known: {', '.join(KNOWN_REGIONS)}")
    return region


def partition_of(region: str) -> str:
    """AWS partition of a Region code: ``aws``, ``aws-cn``, ``aws-us-gov`` or ``aws-eusc``.

    Works from the shape of the code, so it also answers for Regions missing from the
    registry table. Raises :class:`ValueError` for anything that is not a Region code of one
    of those partitions.
    """
    for partition, pattern, _ in _PARTITIONS:
        if pattern.fullmatch(region):
            return partition
    raise ValueError(f"not a Region code of a supported AWS partition: {region!r}")


def dns_suffix(region: str) -> str:
    """DNS suffix of the Region's partition, e.g. ``amazonaws.com`` or ``amazonaws.com.cn``."""
    for _, pattern, suffix in _PARTITIONS:
        if pattern.fullmatch(region):
            return suffix
    raise ValueError(f"not a Region code of a supported AWS partition: {region!r}")


def is_opt_in(region: str) -> bool:
    """True if the commercial Region must be enabled on an account before it can be used.

    Regions in other partitions (China, GovCloud, European Sovereign Cloud) are never opt-in
    in this sense. A well-formed commercial Region missing from :data:`OPT_IN_REGIONS` still
    counts as opt-in unless it is one of the Regions launched before 20 March 2019.
    """
    return partition_of(region) == "aws" and region not in _DEFAULT_ENABLED_REGIONS


def eks_registry(region: str) -> EcrRegistry:
    """The EKS add-on image registry for ``region``.

    Raises :class:`UnknownRegionError` for a Region not in the table, even a well-formed one:
    guessing the default account would pull from a registry that does not serve the Region.
    """
    account = _ACCOUNTS.get(region)
    if account is None:
        probe = region.strip().lower()
        suggestions = tuple(difflib.get_close_matches(probe, KNOWN_REGIONS, n=3, cutoff=0.6))
        raise UnknownRegionError(region, suggestions)
    return EcrRegistry(account=account, region=region, domain=dns_suffix(region))
