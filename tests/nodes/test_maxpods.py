"""The max-pods formula, rule by rule, and values AWS documents."""

from __future__ import annotations

import pytest

from eks_platform.nodes.maxpods import (
    FARGATE_MAX_PODS,
    InstanceLimits,
    InvalidCniVersionError,
    MaxPodsOptions,
    UnknownInstanceTypeError,
    lookup,
    max_pods,
    max_pods_for,
    nodegroup_max_pods,
    nodes_for_pods,
    parse_cni_version,
    size_for_pods,
    workload_pods_per_node,
)

CNI = "1.19.0"


def limits(
    enis: tuple[int, ...] = (3,), ips: int = 10, card: int = 0, hypervisor: str = "nitro",
    vcpus: int = 2, metal: bool = False,
) -> InstanceLimits:
    return InstanceLimits("x.test", card, enis, ips, hypervisor, metal, vcpus)


def opts(**kwargs: object) -> MaxPodsOptions:
    return MaxPodsOptions(cni_version=str(kwargs.pop("cni_version", CNI)), **kwargs)  # type: ignore[arg-type]


# --- values AWS documents (EKS user guide, eni-max-pods.txt, calculator examples) ----------

@pytest.mark.parametrize(
    ("instance_type", "expected"),
    [("m5.large", 29), ("t3.medium", 17), ("m5.8xlarge", 234), ("c5.18xlarge", 737),
     ("t3.nano", 4), ("m5.xlarge", 58)],
)
def test_secondary_ip_values_from_eni_max_pods(instance_type: str, expected: int) -> None:
    assert max_pods(instance_type, opts(show_max_allowed=True)) == expected


def test_m5_large_with_prefix_delegation_is_capped_at_110() -> None:
    assert max_pods("m5.large", opts(prefix_delegation=True)) == 110
    assert max_pods("m5.large", opts(prefix_delegation=True, show_max_allowed=True)) == 434


def test_m5_8xlarge_with_prefix_delegation_is_capped_at_250() -> None:
    assert max_pods("m5.8xlarge", opts(prefix_delegation=True)) == 250


# --- each rule on synthetic limits ---------------------------------------------------------

def test_secondary_ip_formula() -> None:
    assert max_pods_for(limits(enis=(4,), ips=15), opts()) == 4 * 14 + 2


def test_prefix_formula_multiplies_slots_by_16() -> None:
    assert max_pods_for(limits(enis=(2,), ips=4), opts(prefix_delegation=True)) == 2 * 3 * 16 + 2


def test_prefix_delegation_ignored_before_cni_1_9() -> None:
    lim = limits(enis=(2,), ips=4)
    assert max_pods_for(lim, opts(prefix_delegation=True, cni_version="1.8.9")) == 8
    assert max_pods_for(lim, opts(prefix_delegation=True, cni_version="1.9.0")) == 98
    assert max_pods_for(lim, opts(prefix_delegation=True, cni_version="2.0")) == 98


@pytest.mark.parametrize(("hypervisor", "metal"), [("xen", False), ("", True)])
def test_prefix_delegation_only_on_nitro(hypervisor: str, metal: bool) -> None:
    lim = limits(enis=(2,), ips=4, hypervisor=hypervisor, metal=metal)
    assert max_pods_for(lim, opts(prefix_delegation=True)) == 2 * 3 + 2


def test_custom_networking_drops_one_eni() -> None:
    assert max_pods_for(limits(enis=(3,), ips=10), opts(custom_networking=True)) == 2 * 9 + 2


def test_max_eni_caps_before_custom_networking() -> None:
    lim = limits(enis=(8,), ips=30)
    assert max_pods_for(lim, opts(max_enis=3, show_max_allowed=True)) == 3 * 29 + 2
    assert max_pods_for(lim, opts(max_enis=3, custom_networking=True)) == 2 * 29 + 2
    # a cap above the instance's ENIs changes nothing
    assert max_pods_for(lim, opts(max_enis=20, show_max_allowed=True)) == 8 * 29 + 2


def test_only_the_default_network_card_counts() -> None:
    assert max_pods_for(limits(enis=(2, 7), card=0, ips=5), opts()) == 2 * 4 + 2
    assert max_pods_for(limits(enis=(2, 7), card=1, ips=5), opts()) == 7 * 4 + 2


@pytest.mark.parametrize(("vcpus", "ceiling"), [(2, 110), (30, 110), (31, 250), (192, 250)])
def test_ceiling_by_vcpus(vcpus: int, ceiling: int) -> None:
    lim = limits(enis=(15,), ips=50, vcpus=vcpus)
    assert max_pods_for(lim, opts()) == ceiling
    assert max_pods_for(lim, opts(show_max_allowed=True)) == 15 * 49 + 2


def test_ceiling_does_not_raise_small_values() -> None:
    assert max_pods_for(limits(enis=(2,), ips=2, vcpus=64), opts()) == 4


def test_split_card_type_uses_default_card_only() -> None:
    """i7ie.48xlarge spreads its ENIs over two cards; pods only get card 0's."""
    lim = lookup("i7ie.48xlarge")
    assert len(lim.enis_per_card) == 2
    assert max_pods("i7ie.48xlarge", opts(show_max_allowed=True)) == (
        lim.default_card_enis * (lim.ipv4_per_eni - 1) + 2
    )
    assert lim.default_card_enis < sum(lim.enis_per_card)


# --- node groups ---------------------------------------------------------------------------

def test_nodegroup_gets_the_minimum_of_its_types() -> None:
    assert nodegroup_max_pods(["m5.xlarge", "t3.medium", "m5.large"], opts()) == 17


def test_nodegroup_needs_a_type() -> None:
    with pytest.raises(ValueError, match="at least one"):
        nodegroup_max_pods([], opts())


def test_fargate_is_one_pod_per_node() -> None:
    assert FARGATE_MAX_PODS == 1


@pytest.mark.parametrize(
    ("target", "maxp", "ds", "lo", "hi", "desired"),
    [
        (100, 29, 4, 1, 10, 4),     # ceil(100 / 25)
        (101, 29, 4, 1, 10, 5),
        (0, 29, 4, 2, 10, 2),       # never below min
        (250, 110, 10, 0, 5, 3),    # ceil(250 / 100)
    ],
)
def test_size_for_pods(target: int, maxp: int, ds: int, lo: int, hi: int, desired: int) -> None:
    size = size_for_pods(target, maxp, ds, lo, hi)
    assert (size.min_size, size.desired_size, size.max_size) == (lo, desired, hi)


def test_size_for_pods_rejects_daemonsets_filling_the_node() -> None:
    with pytest.raises(ValueError) as info:
        size_for_pods(10, 8, 8, 1, 3)
    assert str(info.value) == (
        "8 DaemonSet pods per node leave no room for workload pods on nodes of 8 max pods: "
        "lower daemonSetPodsPerNode below 8 or choose instance types with more max pods")


@pytest.mark.parametrize(("maxp", "ds", "usable"), [(29, 4, 25), (29, 28, 1), (110, 0, 110)])
def test_workload_pods_per_node(maxp: int, ds: int, usable: int) -> None:
    assert workload_pods_per_node(maxp, ds) == usable


@pytest.mark.parametrize(("maxp", "ds"), [(29, 29), (29, 40), (17, -1)])
def test_workload_pods_per_node_rejects_no_room(maxp: int, ds: int) -> None:
    with pytest.raises(ValueError, match="DaemonSet pods per node"):
        workload_pods_per_node(maxp, ds)


def test_target_beyond_max_size_says_how_many_nodes_it_needs() -> None:
    # 1000 pods at 25 workload pods a node (29 - 4) need ceil(1000 / 25) = 40 nodes.
    assert nodes_for_pods(1000, 29, 4) == 40
    with pytest.raises(ValueError) as info:
        size_for_pods(1000, 29, 4, 1, 10)
    assert str(info.value) == (
        "targetPods 1000 needs 40 nodes of 25 workload pods each (29 max pods - 4 DaemonSet "
        "pods), but maxSize is 10: raise maxSize to 40 or lower targetPods to 250")
    assert size_for_pods(250, 29, 4, 1, 10).desired_size == 10  # exactly full is fine


def test_size_for_pods_rejects_min_above_max() -> None:
    with pytest.raises(ValueError, match="min"):
        size_for_pods(10, 29, 2, 5, 3)


# --- lookup and options --------------------------------------------------------------------

def test_unknown_instance_type_names_close_matches() -> None:
    with pytest.raises(UnknownInstanceTypeError) as info:
        lookup("m5.largee")
    assert "m5.large" in info.value.suggestions
    assert "did you mean" in str(info.value)


@pytest.mark.parametrize(("text", "parsed"), [
    ("1.19.2", (1, 19, 2)), ("v1.20.1-eksbuild.3", (1, 20, 1)), ("1.9", (1, 9, 0)),
])
def test_parse_cni_version(text: str, parsed: tuple[int, int, int]) -> None:
    assert parse_cni_version(text) == parsed


@pytest.mark.parametrize("bad", ["", "latest", "1", "1.x.2"])
def test_bad_cni_version(bad: str) -> None:
    with pytest.raises(InvalidCniVersionError):
        MaxPodsOptions(cni_version=bad)


def test_max_enis_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        MaxPodsOptions(cni_version=CNI, max_enis=0)
