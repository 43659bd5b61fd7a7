"""Which instance types a NodePool allows, enumerated from the generated instance table.

Karpenter names an instance type `<family>.<size>` (its `karpenter.k8s.aws/instance-family` and
`karpenter.k8s.aws/instance-size` labels are the two halves of the name), so a pool's families
and sizes select rows of `eks_platform/maxpods/instance_types.json`. Only types the table knows
can get a max pods from the calculator, which is why every pool must be enumerable.

A pool's architectures narrow the enumeration too: the table carries EC2's
`ProcessorInfo.SupportedArchitectures` per type, so an `arm64` pool never counts an x86 type
towards its minimum max pods (and Mac types, `x86_64_mac`/`arm64_mac`, which Karpenter cannot
launch as nodes, never match).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from functools import cache

from eks_platform.nodes import maxpods

#: Karpenter's `kubernetes.io/arch` values -> EC2's spelling in `SupportedArchitectures`.
EC2_ARCHITECTURE = {"amd64": "x86_64", "arm64": "arm64"}


def runs(instance_type: str, architectures: Collection[str]) -> bool:
    """Whether the type supports one of these Karpenter architectures (`amd64`, `arm64`)."""
    wanted = {EC2_ARCHITECTURE[a] for a in architectures}
    return not wanted.isdisjoint(maxpods.lookup(instance_type).architectures)


def family_of(instance_type: str) -> str:
    """`m5.xlarge` -> `m5` (Karpenter's `instance-family` label)."""
    return instance_type.split(".", 1)[0]


def size_of(instance_type: str) -> str:
    """`m5.xlarge` -> `xlarge` (Karpenter's `instance-size` label)."""
    return instance_type.split(".", 1)[1]


@cache
def _families() -> dict[str, tuple[str, ...]]:
    """Family -> its instance types in the table, sorted."""
    families: dict[str, list[str]] = {}
    for instance_type in maxpods.known_instance_types():
        families.setdefault(family_of(instance_type), []).append(instance_type)
    return {family: tuple(types) for family, types in families.items()}


def known_families() -> list[str]:
    return sorted(_families())


def unknown_family_message(family: str) -> str:
    """`unknown instance family 'm5x'; did you mean m5, m5a?`"""
    near = difflib.get_close_matches(family, _families().keys(), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return f"unknown instance family {family!r}{hint}"


def types_of_families(families: Iterable[str], sizes: Iterable[str] = (),
                      architectures: Collection[str] | None = None) -> list[str]:
    """The table's types of these families, limited to these sizes when any are given and to
    these architectures when given."""
    wanted = set(sizes)
    table = _families()
    return sorted(
        instance_type
        for family in families
        for instance_type in table.get(family, ())
        if (not wanted or size_of(instance_type) in wanted)
        and (architectures is None or runs(instance_type, architectures))
    )
