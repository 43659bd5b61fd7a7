"""The inputs of AWS's `max-pods-calculator.sh`, one field per calculator flag."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The VPC CNI learnt prefix delegation in 1.9.0; the calculator ignores the flag below that.
PREFIX_DELEGATION_MIN_CNI = (1, 9)
#: The CNI version assumed when none is given (`max-pods` without `--cni-version`, a managed
#: add-on whose version EKS resolves at deploy): every vpc-cni add-on EKS offers for a
#: supported Kubernetes version is newer, and the formula only tells apart versions below 1.9.
DEFAULT_CNI_VERSION = "1.18.0"

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$")


class InvalidCniVersionError(ValueError):
    """A CNI version that is not `MAJOR.MINOR[.PATCH]` (a leading `v` and a suffix allowed)."""


def parse_cni_version(version: str) -> tuple[int, int, int]:
    """`"v1.19.2-eksbuild.1"` -> `(1, 19, 2)`: add-on, chart and image tags all parse."""
    match = _VERSION.match(version.strip())
    if not match:
        raise InvalidCniVersionError(
            f"invalid CNI version {version!r}: expected MAJOR.MINOR[.PATCH], e.g. 1.19.2"
        )
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


@dataclass(frozen=True, slots=True)
class MaxPodsOptions:
    """Mirror of the calculator's flags (`--cni-version`, `--cni-custom-networking-enabled`,
    `--cni-prefix-delegation-enabled`, `--cni-max-eni`, `--show-max-allowed`)."""

    cni_version: str
    custom_networking: bool = False
    prefix_delegation: bool = False
    max_enis: int | None = None
    show_max_allowed: bool = False

    def __post_init__(self) -> None:
        parse_cni_version(self.cni_version)
        if self.max_enis is not None and self.max_enis < 1:
            raise ValueError(f"max ENIs must be at least 1, got {self.max_enis}")

    @property
    def prefix_delegation_supported(self) -> bool:
        """Whether this CNI version can delegate prefixes at all (>= 1.9)."""
        return parse_cni_version(self.cni_version)[:2] >= PREFIX_DELEGATION_MIN_CNI
