"""Pool labels, taints, budgets and names: refused by the NodePool CRD's own rules, before
anything is created. The rules in `karpenter/crd_rules.py` are held against the vendored CRD
(`conformance/crds/karpenter.sh_nodepools.yaml`) and their Python reading against a CEL engine."""

from __future__ import annotations

from typing import Any

import pytest

from eks_platform.errors import SettingsError
from eks_platform.karpenter import crd_rules
from eks_platform.karpenter.settings import KarpenterSettings, NodePoolSettings
from tests.conformance.crd_cel import evaluate
from tests.conformance.crds import vendored_crd


def schema_node(path: str) -> dict[str, Any]:
    node: Any = vendored_crd("nodepools.karpenter.sh").schemas["v1"]
    for part in path.strip(".").split("."):
        name, star = part.removesuffix("[*]"), part.endswith("[*]")
        node = node["properties"][name]
        if star:
            node = node["items"] if "items" in node else node["additionalProperties"]
    return dict(node)


def test_label_rules_are_the_crds_rules_verbatim_and_all_of_them() -> None:
    rules = schema_node(crd_rules.LABELS_PATH)["x-kubernetes-validations"]
    assert [(r["rule"], r["message"]) for r in rules] == [
        (r.rule, r.message) for r in crd_rules.LABEL_KEY_RULES]


@pytest.mark.parametrize("rule", [crd_rules.LABEL_VALUE, crd_rules.TAINT_KEY,
                                  crd_rules.TAINT_VALUE, crd_rules.BUDGET_SCHEDULE])
def test_patterns_are_the_crds(rule: crd_rules.PatternRule) -> None:
    node = schema_node(rule.path)
    assert rule.pattern == node["pattern"]
    assert rule.max_length == node.get("maxLength")


KEYS = ["team", "karpenter.sh/team", "karpenter.sh/capacity-type", "karpenter.sh/nodepool",
        "kubernetes.io/hostname", "karpenter.k8s.aws/foo", "karpenter.k8s.aws/instance-family",
        "foo.karpenter.sh/x", "node.kubernetes.io/instance-type", "example.com/karpenter.sh",
        "karpenter.sh", "x.karpenter.k8s.aws/y"]


@pytest.mark.parametrize("key", KEYS)
def test_python_reading_agrees_with_cel(key: str) -> None:
    for rule in crd_rules.LABEL_KEY_RULES:
        value, error = evaluate(rule.rule, {"self": {key: "v"}})
        assert error is None
        assert rule.allows(key) is value, (rule.message, key)


def pool_problems(**fields: Any) -> list[str]:
    with pytest.raises(SettingsError) as info:
        NodePoolSettings(name="web", instance_families=["m5"], **fields)
    return info.value.problems


@pytest.mark.parametrize("key, message", [
    ("karpenter.sh/team", 'label domain "karpenter.sh" is restricted'),
    ("kubernetes.io/hostname", 'label "kubernetes.io/hostname" is restricted'),
    ("karpenter.k8s.aws/foo", 'label domain "karpenter.k8s.aws" is restricted'),
])
def test_restricted_label_keys_are_refused_with_the_rule(key: str, message: str) -> None:
    [problem] = pool_problems(labels={key: "a"})
    assert problem.startswith('NodePoolSettings.labels.')
    assert f'"{key}": {message}: the NodePool CRD\'s .spec.template.metadata.labels rule `' \
        in problem
    assert "self.all(x, x" in problem


@pytest.mark.parametrize("value", ["team a", "a" * 64, "-a"])
def test_bad_label_values_are_refused(value: str) -> None:
    [problem] = pool_problems(labels={"team": value})
    assert f'labels.team = "{value}": label value ' in problem
    assert ".spec.template.metadata.labels[*]" in problem


def test_taint_value_with_a_space_and_bogus_schedule_are_refused() -> None:
    [problem] = pool_problems(taints=[{"key": "team", "value": "team a", "effect": "NoSchedule"}])
    assert problem.startswith('NodePoolSettings.taints[0].value = "team a": does not match')
    [problem] = pool_problems(disruption={"budgets": [
        {"nodes": "0", "schedule": "bogus", "duration": "1h"}]})
    assert problem.startswith(
        'NodePoolSettings.disruption.budgets[0].schedule = "bogus": does not match the '
        "NodePool CRD's .spec.disruption.budgets[*].schedule pattern")


def test_allowed_labels_taints_and_schedules_pass() -> None:
    pool = NodePoolSettings(
        name="web", instance_families=["m5"],
        labels={"team": "payments", "karpenter.k8s.aws/instance-family": "m5", "empty": ""},
        taints=[{"key": "example.com/dedicated", "value": "payments", "effect": "NoSchedule"}],
        disruption={"budgets": [{"nodes": "0", "schedule": "@daily", "duration": "1h"},
                                {"nodes": "1", "schedule": "0 9 * * mon-fri", "duration": "8h"}]})
    assert pool.labels["team"] == "payments"


@pytest.mark.parametrize("name", ["general-", "a--", "-a", "General", "a_b"])
def test_pool_names_are_object_names(name: str) -> None:
    with pytest.raises(SettingsError) as info:
        NodePoolSettings(name=name, instance_families=["m5"])
    assert info.value.problems[0].startswith(f'NodePoolSettings.name = "{name}"')


def test_a_named_pool_cannot_collide_with_a_split_pools_names() -> None:
    pools: list[dict[str, Any]] = [{"name": "general", "instanceFamilies": ["m5"]},
             {"name": "general-110", "instanceFamilies": ["m6i"]}]
    with pytest.raises(SettingsError) as info:
        KarpenterSettings(node_pools=pools)
    assert info.value.problems == [
        'KarpenterSettings.node_pools[1].name = "general-110": pool \'general\' is split by '
        "max pods into NodePools named general-<max pods>, which can collide with this name: "
        "rename it, or set splitByMaxPods: false on pool 'general'"]
    pools[0]["splitByMaxPods"] = False
    assert len(KarpenterSettings(node_pools=pools).node_pools) == 2


def test_alias_rules_are_the_ec2nodeclass_crds() -> None:
    node: Any = vendored_crd("ec2nodeclasses.karpenter.k8s.aws").schemas["v1"]
    alias = node["properties"]["spec"]["properties"]["amiSelectorTerms"]["items"][
        "properties"]["alias"]
    assert [(r["rule"], r["message"]) for r in alias["x-kubernetes-validations"]] == list(
        crd_rules.ALIAS_RULES)
    assert alias["maxLength"] == crd_rules.ALIAS_MAX_LENGTH


@pytest.mark.parametrize("alias", ["al2023@v20251120", "al2023@latest", "bottlerocket@v1.50.0",
                                   "al2023", "al2023@", "centos@latest", "windows2022@v1",
                                   "al2023@v2025112000000000000000"])
def test_alias_python_reading_agrees_with_cel(alias: str) -> None:
    cel_ok = all(evaluate(rule, {"self": alias}) == (True, None)
                 for rule, _ in crd_rules.ALIAS_RULES) and len(alias) <= 30
    assert (crd_rules.alias_problem(alias) is None) is cel_ok


def test_a_pool_pins_its_ami_alias_of_its_own_family() -> None:
    from eks_platform.karpenter.nodepools import PlannedPool, ec2nodeclass_manifest

    pool = NodePoolSettings(name="web", instance_families=["m5"], ami_alias="al2023@v20251120")
    planned = PlannedPool("web", pool, 110, ("m5.large",), {})
    spec = ec2nodeclass_manifest(planned, "c", "role", {})["spec"]
    assert spec["amiSelectorTerms"] == [{"alias": "al2023@v20251120"}]
    [problem] = pool_problems(ami_alias="bottlerocket@v1.50.0")
    assert problem == ('NodePoolSettings.ami_alias = "bottlerocket@v1.50.0": the alias\'s '
                       "family 'bottlerocket' is not the pool's amiFamily 'al2023'")
    [problem] = pool_problems(ami_alias="al2023")
    assert problem.startswith('NodePoolSettings.ami_alias = "al2023": \'alias\' is improperly '
                              "formatted, must match the format 'family@version': the "
                              "EC2NodeClass CRD's .spec.amiSelectorTerms[*].alias rule")
