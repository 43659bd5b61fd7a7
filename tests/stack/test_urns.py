"""URNs as the engine makes them, and no shipped stack loses a resource to a rename.

`urns/<stack>.txt` lists every URN a running stack of that shipped file may hold (refresh:
`python scripts/generate_urns.py`). A URN dropped from the plan must still be answered by an
alias, or Pulumi deletes the resource and creates a new one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import stack_graph

URNS = Path(__file__).with_name("urns")
REFRESH = "python scripts/generate_urns.py"


def _listed(stack: str) -> list[str]:
    return (URNS / f"{stack}.txt").read_text(encoding="utf-8").split()


def test_every_listed_urn_is_still_answered(stack: str) -> None:
    graph = stack_graph(stack)
    answered = set(graph.by_urn) | {a for aliases in graph.alias_urns.values() for a in aliases}
    lost = [urn for urn in _listed(stack) if urn not in answered]
    assert lost == [], (f"renamed or re-parented without an alias (Pulumi would replace "
                        f"them): give opts.aliases the old name/parent; a deliberate removal: "
                        f"`{REFRESH} --prune`: {lost}")


def test_every_planned_urn_is_listed(stack: str) -> None:
    new = sorted(set(stack_graph(stack).by_urn) - set(_listed(stack)))
    assert new == [], f"URNs not yet in tests/stack/urns/{stack}.txt (review, then `{REFRESH}`)"


def test_urns_carry_the_whole_parent_chain() -> None:
    # The engine qualifies a type with every ancestor's type, the root stack left out.
    cluster = stack_graph("prod").one("aws:eks/cluster:Cluster")
    assert cluster.urn == ("urn:pulumi:prod::eks-platform::eks-platform:platform:EksPlatform$"
                           "eks-platform:cluster:EksCluster$aws:eks/cluster:Cluster::eks-eks")
    component = stack_graph("prod").by_urn[cluster.parent]
    platform = stack_graph("prod").by_urn[component.parent]
    assert platform.urn == "urn:pulumi:prod::eks-platform::eks-platform:platform:EksPlatform::eks"
    assert platform.parent.endswith("::pulumi:pulumi:Stack::eks-platform-prod")


def test_positional_names_of_earlier_versions_are_aliases() -> None:
    """Stacks deployed when admins, ranges and single-class pools were named by position keep
    their resources (upgrade the package first, edit the lists after)."""
    prod, staging, dev = stack_graph("prod"), stack_graph("staging"), stack_graph("dev")
    cluster_chain = "eks-platform:platform:EksPlatform$eks-platform:cluster:EksCluster"
    entry = prod.one("aws:eks/accessEntry:AccessEntry", "eks-admin-platform-admins-2daba91e")
    assert prod.alias_urns[entry.urn] == [
        f"urn:pulumi:prod::eks-platform::{cluster_chain}$aws:eks/accessEntry:AccessEntry"
        "::eks-admin-0"]
    rule = staging.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rule.name == "eks-api-10-100-0-0-24"
    assert [a.rsplit("::", 1)[-1] for a in staging.alias_urns[rule.urn]] == ["eks-api-0"]
    route = staging.one("aws:ec2/route:Route", "eks-net-private-2-deployer-10-100-0-0-24")
    assert [a.rsplit("::", 1)[-1] for a in staging.alias_urns[route.urn]] == [
        "eks-net-private-2-deployer-0"]
    pool = dev.one("kubernetes:karpenter.sh/v1:NodePool", "eks-karpenter-arm-110")
    assert [a.rsplit("::", 1)[-1] for a in dev.alias_urns[pool.urn]] == ["eks-karpenter-arm"]
