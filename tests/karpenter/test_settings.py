"""The `karpenter` block: enumerable pools, clear refusals, defaults."""

from __future__ import annotations

import gzip
import json
from functools import cache
from typing import Any

import pytest

from eks_platform.errors import SettingsError
from eks_platform.karpenter.settings import (
    OPEN_ENDED,
    BudgetSettings,
    KarpenterSettings,
    NodePoolSettings,
)
from eks_platform.tools import instance_sources as sources


def problems(model: type[Any], **fields: Any) -> list[str]:
    with pytest.raises(SettingsError) as info:
        model(**fields)
    return info.value.problems


@cache
def moto_rows() -> dict[str, dict[str, Any]]:
    """Moto's bundled DescribeInstanceTypes snapshot, by instance type."""
    with gzip.open(sources.moto_dump_path(), "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    rows = data if isinstance(data, list) else data.get("InstanceTypes", data)
    return rows if isinstance(rows, dict) else {r["InstanceType"]: r for r in rows}


def moto_instance_types() -> set[str]:
    """Instance type names of moto's bundled DescribeInstanceTypes snapshot."""
    return set(moto_rows())


def moto_architectures(instance_type: str) -> set[str]:
    return set(moto_rows()[instance_type]["ProcessorInfo"]["SupportedArchitectures"])


@pytest.mark.parametrize("architectures, families", [
    (["amd64"], ["m5", "m7i", "t2", "t3"]),
    (["arm64"], ["m6g", "m7g", "t4g"]),
    (["amd64", "arm64"], ["c7g", "c7i", "t2"]),
])
def test_architectures_narrow_the_enumeration_as_ec2_reports_them(
    architectures: list[str], families: list[str]
) -> None:
    ec2 = {"amd64": "x86_64", "arm64": "arm64"}  # Kubernetes GOARCH -> EC2's spelling
    wanted = {ec2[a] for a in architectures}
    pool = NodePoolSettings(name="web", instance_families=families,
                            architectures=architectures)
    expected = sorted(t for t in moto_instance_types()
                      if t.split(".")[0] in families and wanted & moto_architectures(t))
    assert pool.allowed_types == expected


def test_types_and_families_of_another_architecture_are_refused() -> None:
    assert problems(NodePoolSettings, name="a", instance_types=["m5.large", "m6g.large"]) == [
        "NodePoolSettings.instance_types = \"m6g.large\": m6g.large runs none of the pool's "
        "architectures (amd64); add its architecture to architectures"]
    assert problems(NodePoolSettings, name="a", instance_families=["m5", "m7g"]) == [
        "NodePoolSettings.instance_families = \"m7g\": family m7g has no type of the pool's "
        "architectures (amd64); add its architecture to architectures"]
    # Mac types, which Karpenter cannot launch as nodes, never match either architecture.
    assert problems(NodePoolSettings, name="a", instance_families=["mac2"],
                    architectures=["amd64", "arm64"])[0].startswith(
        "NodePoolSettings.instance_families = \"mac2\": family mac2 has no type")


def test_off_by_default_with_a_pinned_v1_chart() -> None:
    settings = KarpenterSettings()
    assert not settings.enabled
    assert settings.chart_version.startswith("1.")
    assert settings.namespace == "kube-system"
    assert settings.node_pools == []


def test_families_and_sizes_enumerate_the_ec2_types_of_that_name() -> None:
    known = moto_instance_types()
    pool = NodePoolSettings(name="web", instance_families=["m5", "c6g"],
                            instance_sizes=["large", "2xlarge"],
                            architectures=["amd64", "arm64"])
    expected = sorted(t for t in known
                      if t.split(".")[0] in {"m5", "c6g"} and t.split(".")[1] in
                      {"large", "2xlarge"})
    assert pool.allowed_types == expected
    assert pool.families == ["c6g", "m5"]
    every_m5 = NodePoolSettings(name="web", instance_families=["m5"]).allowed_types
    assert every_m5 == sorted(t for t in known if t.startswith("m5."))


def test_explicit_types_are_allowed_as_given() -> None:
    pool = NodePoolSettings(name="web", instance_types=["m5.large", "c5.xlarge"])
    assert pool.allowed_types == ["c5.xlarge", "m5.large"]


@pytest.mark.parametrize("fields, key", [
    ({}, "instance_families"),
    ({"instance_sizes": ["large"]}, "instance_sizes"),
    ({"architectures": ["arm64"], "capacity_types": ["spot"]}, "instance_families"),
])
def test_an_open_ended_pool_is_refused_with_the_reason(fields: dict[str, Any], key: str) -> None:
    [problem] = problems(NodePoolSettings, name="any", **fields)
    assert problem.startswith(f"NodePoolSettings.{key} = ")
    assert problem.endswith(OPEN_ENDED)
    assert "maxPods" in OPEN_ENDED and "instanceFamilies" in OPEN_ENDED


def test_an_open_ended_pool_in_a_stack_block_names_its_key() -> None:
    [problem] = problems(KarpenterSettings, enabled=True, node_pools=[{"name": "any"}])
    assert problem.startswith("KarpenterSettings.node_pools[0].instance_families = []: "
                              "the pool is open-ended")


def test_unknown_names_get_close_matches() -> None:
    assert problems(NodePoolSettings, name="a", instance_families=["m5x"]) == [
        "NodePoolSettings.instance_families = [\"m5x\"]: unknown instance family 'm5x'; "
        "did you mean m5, m5n, m5d?"]
    [problem] = problems(NodePoolSettings, name="a", instance_types=["m5.larg"])
    assert "unknown instance type 'm5.larg'; did you mean m5.large" in problem


def test_sizes_that_no_family_offers_are_refused() -> None:
    assert problems(NodePoolSettings, name="a", instance_families=["t3"],
                    instance_sizes=["large", "metal"]) == [
        "NodePoolSettings.instance_sizes = \"metal\": no amd64 instance type of t3 has size "
        "'metal'"]


def test_types_and_families_together_are_refused() -> None:
    [problem] = problems(NodePoolSettings, name="a", instance_types=["m5.large"],
                         instance_families=["m5"])
    assert problem.endswith("give instanceTypes or instanceFamilies/instanceSizes, not both")


def test_repeats_and_unknown_enums_are_refused() -> None:
    [repeat] = problems(NodePoolSettings, name="a", instance_types=["m5.large", "m5.large"])
    assert repeat.endswith("values must not repeat")
    [arch] = problems(NodePoolSettings, name="a", instance_types=["m5.large"],
                      architectures=["x86_64"])
    assert arch.startswith("NodePoolSettings.architectures[0] = \"x86_64\": ")
    assert "'amd64' or 'arm64'" in arch


def test_a_pre_v1_chart_is_refused() -> None:
    assert problems(KarpenterSettings, chart_version="0.37.0") == [
        "KarpenterSettings.chart_version = \"0.37.0\": expected a 1.x.y chart version: this "
        "package writes Karpenter's v1 APIs (karpenter.sh/v1, karpenter.k8s.aws/v1)"]


def test_pool_names_are_unique_and_leave_room_for_a_class_suffix() -> None:
    pool = {"name": "web", "instance_types": ["m5.large"]}
    [problem] = problems(KarpenterSettings, node_pools=[pool, pool])
    assert problem.endswith("NodePool names must be unique")
    assert problems(NodePoolSettings, name="x" * 51, instance_types=["m5.large"])


def test_budget_schedule_needs_a_duration_and_the_reverse() -> None:
    assert problems(BudgetSettings, nodes="0", schedule="@daily") == [
        "BudgetSettings.duration = null: schedule '@daily' needs a duration "
        "(how long the budget applies after each start)"]
    [problem] = problems(BudgetSettings, duration="8h")
    assert problem.startswith("BudgetSettings.schedule = null: duration '8h' needs a schedule")
    [nodes] = problems(BudgetSettings, nodes="110%")
    assert nodes.startswith("BudgetSettings.nodes = \"110%\"")


def test_stack_keys_are_camel_case() -> None:
    settings = KarpenterSettings.model_validate({
        "enabled": True, "chartVersion": "1.8.1", "namespace": "karpenter",
        "nodePools": [{"name": "web", "instanceFamilies": ["m6i"], "instanceSizes": ["large"],
                       "capacityTypes": ["spot", "on-demand"], "amiFamily": "bottlerocket",
                       "limits": {"cpu": 100, "memory": "400Gi"}, "splitByMaxPods": False,
                       "disruption": {"consolidateAfter": "5m",
                                      "budgets": [{"nodes": "20%"}]}}]})
    [pool] = settings.node_pools
    assert pool.allowed_types == ["m6i.large"]
    assert pool.limits is not None and pool.limits.memory == "400Gi"
    assert pool.disruption.budgets[0].nodes == "20%"
