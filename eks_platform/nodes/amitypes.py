"""Which EKS AMI types an instance type can boot, checked before anything is created.

Pure rules over `InstanceLimits` (from the generated table or from a live
`aws.ec2.get_instance_type` result), so plan time and deploy time judge alike:

* architecture: an AMI type is built for x86_64 or arm64 (EC2
  `ProcessorInfo.SupportedArchitectures` must list it); one group runs one AMI, so its
  instance types must share an architecture;
* accelerators: NVIDIA AMI types need NVIDIA GPUs on every type, the Neuron AMI type needs
  Inferentia/Trainium devices, and GPU or Neuron types need the AMI type that carries their
  drivers;
* families no EKS AMI supports (EKS user guide, "Choose an optimal Amazon EC2 node instance
  type"): `mac` ("All Amazon EKS AMIs don't currently support the mac family"), and `a1` on
  AL2023 ("AL2023 only supports ... Graviton2 or later processors. AL2023 doesn't support A1
  instances").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from eks_platform.nodes.maxpods.limits import InstanceLimits
from eks_platform.nodes.maxpods.table import lookup

Architecture = Literal["x86_64", "arm64"]
Accelerator = Literal["none", "nvidia", "neuron"]
Family = Literal["al2023", "bottlerocket"]
Resolver = Callable[[str], InstanceLimits]


@dataclass(frozen=True, slots=True)
class AmiTraits:
    family: Family
    architecture: Architecture
    accelerator: Accelerator


#: The AMI types of `settings.NodeAmiType` (EKS API `Nodegroup.amiType` values), in the order
#: suggestions are listed.
AMI_TYPES: dict[str, AmiTraits] = {
    "AL2023_x86_64_STANDARD": AmiTraits("al2023", "x86_64", "none"),
    "AL2023_ARM_64_STANDARD": AmiTraits("al2023", "arm64", "none"),
    "AL2023_x86_64_NVIDIA": AmiTraits("al2023", "x86_64", "nvidia"),
    "AL2023_ARM_64_NVIDIA": AmiTraits("al2023", "arm64", "nvidia"),
    "AL2023_x86_64_NEURON": AmiTraits("al2023", "x86_64", "neuron"),
    "BOTTLEROCKET_x86_64": AmiTraits("bottlerocket", "x86_64", "none"),
    "BOTTLEROCKET_ARM_64": AmiTraits("bottlerocket", "arm64", "none"),
    "BOTTLEROCKET_x86_64_FIPS": AmiTraits("bottlerocket", "x86_64", "none"),
    "BOTTLEROCKET_ARM_64_FIPS": AmiTraits("bottlerocket", "arm64", "none"),
    "BOTTLEROCKET_x86_64_NVIDIA": AmiTraits("bottlerocket", "x86_64", "nvidia"),
    "BOTTLEROCKET_ARM_64_NVIDIA": AmiTraits("bottlerocket", "arm64", "nvidia"),
}

#: Instance families an AMI family has no AMI for, with the reason (EKS user guide, "Choose an
#: optimal Amazon EC2 node instance type"). `mac` matches every Mac family (mac1, mac2-m2, ...).
UNSUPPORTED_FAMILIES: dict[str, tuple[tuple[Family, ...], str]] = {
    "mac": (("al2023", "bottlerocket"), "EKS has no AMI for Mac instances"),
    "a1": (("al2023",), "AL2023 supports Graviton2 or later only, not a1"),
}


def ami_traits(ami_type: str) -> AmiTraits:
    try:
        return AMI_TYPES[ami_type]
    except KeyError:
        raise ValueError(f"unknown AMI type {ami_type!r}; one of {', '.join(AMI_TYPES)}") from None


def instance_family(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def architecture(limits: InstanceLimits) -> Architecture | None:
    """The EKS AMI architecture this type runs, None for Mac (`*_mac`) or unknown types."""
    if "arm64" in limits.architectures:
        return "arm64"
    if "x86_64" in limits.architectures:
        return "x86_64"
    return None


def accelerator(limits: InstanceLimits) -> Accelerator:
    if limits.gpus:
        return "nvidia"  # non-NVIDIA GPUs fit no AMI type; `fits` says so
    return "neuron" if limits.neuron_devices else "none"


def unsupported_reason(limits: InstanceLimits, family: Family) -> str | None:
    """Why no `family` AMI runs this instance type, or None if one may."""
    name = instance_family(limits.instance_type)
    key = "mac" if name.startswith("mac") else name
    families, reason = UNSUPPORTED_FAMILIES.get(key, ((), ""))
    return reason if family in families else None


def _unsupported(limits: InstanceLimits, family: Family) -> bool:
    return unsupported_reason(limits, family) is not None


def fits(limits: InstanceLimits, ami_type: str) -> bool:
    """Whether an instance of this type boots this AMI type with its accelerators usable."""
    traits = ami_traits(ami_type)
    if _unsupported(limits, traits.family) or architecture(limits) != traits.architecture:
        return False
    if limits.gpus != limits.nvidia_gpus:
        return False  # AMD and other GPUs: no EKS AMI carries their drivers
    return accelerator(limits) == traits.accelerator


def fitting_ami_types(types: Sequence[InstanceLimits]) -> list[str]:
    """The AMI types every one of `types` fits, in `AMI_TYPES` order."""
    return [ami for ami in AMI_TYPES if all(fits(t, ami) for t in types)]


def _names(types: Iterable[InstanceLimits]) -> str:
    return ", ".join(t.instance_type for t in types)


def _fit_hint(types: Sequence[InstanceLimits]) -> str:
    fitting = fitting_ami_types(types)
    return f"AMI types that fit: {', '.join(fitting)}" if fitting else "no AMI type fits them"


def ami_fit_problems(types: Sequence[InstanceLimits], ami_type: str) -> list[str]:
    """One message per problem of running `types` in one group on `ami_type`; [] if none."""
    traits = ami_traits(ami_type)
    problems: list[str] = []
    unsupported = [t for t in types if _unsupported(t, traits.family)]
    for reason in sorted({unsupported_reason(t, traits.family) or "" for t in unsupported}):
        named = [t for t in unsupported if unsupported_reason(t, traits.family) == reason]
        problems.append(f"instance types {_names(named)} cannot run AMI type {ami_type}: "
                        f"{reason}; {_fit_hint(named)}")
    usable = [t for t in types if t not in unsupported]
    by_arch: dict[str, list[InstanceLimits]] = {}
    for t in usable:
        by_arch.setdefault(architecture(t) or "unknown", []).append(t)
    if len(by_arch) > 1:
        mixed = "; ".join(f"{arch}: {_names(ts)}, {_fit_hint(ts)}"
                          for arch, ts in sorted(by_arch.items()))
        problems.append(f"instance types mix architectures ({mixed}); a node group runs one "
                        f"AMI, so split it into one group per architecture")
    wrong_arch = [t for t in usable if architecture(t) != traits.architecture]
    if wrong_arch and len(by_arch) == 1:
        problems.append(
            f"instance types {_names(wrong_arch)} are {next(iter(by_arch))}, AMI type "
            f"{ami_type} is {traits.architecture}; {_fit_hint(wrong_arch)}")
    rest = [t for t in usable if t not in wrong_arch]
    other_gpus = [t for t in rest if t.gpus != t.nvidia_gpus]
    if other_gpus:
        problems.append(f"instance types {_names(other_gpus)} have non-NVIDIA GPUs, which no "
                        f"EKS AMI type drives; choose other instance types")
    rest = [t for t in rest if t not in other_gpus]
    for kind, wanted, label in (("nvidia", "NVIDIA GPUs", "an NVIDIA"),
                                ("neuron", "Neuron devices (Inferentia/Trainium)", "a Neuron")):
        have = [t for t in rest if accelerator(t) == kind]
        if traits.accelerator == kind:
            lacking = [t for t in rest if accelerator(t) != kind]
            if lacking:
                problems.append(f"AMI type {ami_type} needs {wanted}, but instance types "
                                f"{_names(lacking)} have none; {_fit_hint(lacking)}")
        elif have:
            problems.append(f"instance types {_names(have)} have {wanted}, which AMI type "
                            f"{ami_type} has no drivers for: use {label} AMI type; "
                            f"{_fit_hint(have)}")
    return problems


def preferred_ami_type(limits: InstanceLimits, family: Family = "al2023") -> str:
    """The AMI type an instance type asks for: its architecture and accelerator's."""
    arch = architecture(limits) or "x86_64"
    kind = accelerator(limits)
    for ami, traits in AMI_TYPES.items():
        if traits == AmiTraits(family, arch, kind):
            return ami
    return next(ami for ami, t in AMI_TYPES.items() if t == AmiTraits(family, arch, "none"))


def default_ami_type(types: Sequence[InstanceLimits], family: Family = "al2023") -> str:
    """The AMI type for a group without `amiType`: arm64 -> ARM_64, NVIDIA GPUs -> NVIDIA,
    Neuron devices -> NEURON, else x86_64 standard. Derived from the first type; a group
    whose types disagree is reported by `ami_fit_problems`."""
    if not types:
        raise ValueError("a node group needs at least one instance type")
    return preferred_ami_type(types[0], family)


def check_ami_fit(instance_types: Sequence[str], ami_type: str,
                  resolve: Resolver = lookup) -> list[str]:
    """`ami_fit_problems` by instance type names (table lookup by default)."""
    return ami_fit_problems([resolve(t) for t in instance_types], ami_type)
