"""Values of the karpenter chart: keys of its values.yaml, controller on the system group."""

from __future__ import annotations

from typing import Any

import pytest

from eks_platform.karpenter.values import helm_values
from eks_platform.stack import TaintSettings

#: Keys of aws/karpenter-provider-aws charts/karpenter/values.yaml (chart 1.14.1) that this
#: package sets, with the type the chart's default has.
CHART_KEYS: dict[str, type] = {
    "replicas": int, "serviceAccount": dict, "serviceAccount.create": bool,
    "serviceAccount.name": str, "settings": dict, "settings.clusterName": str,
    "settings.interruptionQueue": str, "settings.reservedENIs": str, "affinity": dict,
    "tolerations": list,
}


def values(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"cluster_name": "dev", "interruption_queue": "dev",
                                 "system_labels": {"role": "system"}}
    return helm_values(**{**arguments, **overrides})


def test_only_chart_keys_with_the_charts_types() -> None:
    chart_values = values()
    seen = {}
    for key, value in chart_values.items():
        seen[key] = value
        if key in ("serviceAccount", "settings"):
            seen.update({f"{key}.{sub}": item for sub, item in value.items()})
    assert set(seen) == set(CHART_KEYS)
    for key, value in seen.items():
        assert isinstance(value, CHART_KEYS[key]), key


def test_two_replicas_with_the_cluster_and_queue() -> None:
    chart_values = values()
    assert chart_values["replicas"] == 2
    assert chart_values["settings"]["clusterName"] == "dev"
    assert chart_values["settings"]["interruptionQueue"] == "dev"
    assert chart_values["serviceAccount"] == {"create": True, "name": "karpenter"}


def test_controller_runs_on_the_system_group_only() -> None:
    affinity = values(system_labels={"role": "system", "tier": "core"})["affinity"]
    [term] = affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"]
    assert term["matchExpressions"] == [
        {"key": "karpenter.sh/nodepool", "operator": "DoesNotExist"},
        {"key": "role", "operator": "In", "values": ["system"]},
        {"key": "tier", "operator": "In", "values": ["core"]},
    ]
    assert affinity["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == [
        {"topologyKey": "kubernetes.io/hostname"}]


def test_tolerates_the_system_groups_taints() -> None:
    taints = [TaintSettings(key="CriticalAddonsOnly", value="true", effect="NO_SCHEDULE"),
              TaintSettings(key="dedicated", effect="NO_EXECUTE")]
    assert values(system_taints=taints)["tolerations"] == [
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"key": "CriticalAddonsOnly", "operator": "Equal", "value": "true",
         "effect": "NoSchedule"},
        {"key": "dedicated", "operator": "Exists", "effect": "NoExecute"},
    ]


def test_custom_networking_reserves_the_primary_eni() -> None:
    assert values()["settings"]["reservedENIs"] == "0"
    assert values(custom_networking=True)["settings"]["reservedENIs"] == "1"


def test_the_system_group_must_be_selectable() -> None:
    with pytest.raises(ValueError, match="needs the system node group's labels"):
        values(system_labels={})
