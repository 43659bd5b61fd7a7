"""Each ordinary edit of a shipped stack does only what was meant: planned before and after,
compared by URN, with what forces a replacement taken from terraform-provider-aws's ForceNew
rules (`facts/replacements.json`). Expected sets are written out by hand from the edit."""

from __future__ import annotations

import pytest

from tests.conftest import stack_graph
from tests.stack.edits import changes, edited

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"


def _ops(stack: str, edit: str) -> dict[str, set[tuple[str, str]]]:
    result = changes(stack_graph(stack), edited(stack, edit), stack)
    out: dict[str, set[tuple[str, str]]] = {"create": set(), "update": set(), "replace": set(),
                                            "delete": set()}
    for change in result.changes:
        out[change.op].add((change.type.rsplit(":", 1)[-1], change.name))
    return out


def _change(stack: str, edit: str, name: str, type_: str) -> tuple[str, tuple[str, ...], bool]:
    result = changes(stack_graph(stack), edited(stack, edit), stack)
    found = next(c for c in result.changes if c.name == name and c.type == type_)
    return found.op, found.fields, found.rolls_nodes


def test_reordering_spot_instance_types_changes_nothing() -> None:
    # dev's general group (SPOT) lists t3.large, t3a.large, m5.large; the edit puts m5 first.
    touched = {name for ops in _ops("dev", "reorder-spot+narrow-pool").values()
               for _, name in ops}
    assert not {n for n in touched if n.startswith("eks-general")}
    group = edited("dev", "reorder-spot+narrow-pool").one(NODE_GROUP, "eks-general-ng")
    assert group.inputs["instanceTypes"] == ["m5.large", "t3.large", "t3a.large"]


def test_narrowing_a_karpenter_pool_keeps_the_remaining_class() -> None:
    # general drops 8xlarge (32 vCPUs, the 250-pod class): general-110 stays and gets the
    # whole pool's limits; general-250 and its node class go. No rename, no replacement.
    ops = _ops("dev", "reorder-spot+narrow-pool")
    assert ops == {
        "create": set(), "replace": set(),
        "update": {("NodePool", "eks-karpenter-general-110")},
        "delete": {("NodePool", "eks-karpenter-general-250"),
                   ("EC2NodeClass", "eks-karpenter-general-250-class")}}
    assert _change("dev", "reorder-spot+narrow-pool", "eks-karpenter-general-110",
                   "kubernetes:karpenter.sh/v1:NodePool")[1] == ("spec.limits.cpu",
                                                                 "spec.limits.memory")


def test_adding_a_tag_updates_in_place_and_rolls_node_groups() -> None:
    ops = _ops("dev", "tag")
    assert ops["create"] == ops["replace"] == ops["delete"] == set()
    # Every node group rolls: its launch template's tag specifications make a new version.
    for group in ("eks-general-ng", "eks-system-ng"):
        op, fields, rolls = _change("dev", "tag", group, NODE_GROUP)
        assert (op, rolls) == ("update", True)
        assert fields == ("launchTemplate.version", "tags.owner")
    assert ("Cluster", "eks-eks") in ops["update"]


def test_switching_managed_to_helm_keeps_the_cluster_and_aws_node() -> None:
    ops = _ops("dev", "managed-to-helm")
    assert ops == {
        "create": {("Release", "eks-vpc-cni"),
                   ("DaemonSetPatch", "eks-vpc-cni-adopt-daemonset-aws-node"),
                   ("ConfigMapPatch", "eks-vpc-cni-adopt-configmap-amazon-vpc-cni"),
                   ("ServiceAccountPatch", "eks-vpc-cni-adopt-serviceaccount-aws-node"),
                   ("ClusterRolePatch", "eks-vpc-cni-adopt-clusterrole-aws-node"),
                   ("ClusterRoleBindingPatch", "eks-vpc-cni-adopt-clusterrolebinding-aws-node")},
        "update": set(), "replace": set(),
        "delete": {("Addon", "eks-vpc-cni")}}
    # Pulumi deletes with the add-on's last inputs: they already say preserve.
    assert stack_graph("dev").one(ADDON, "eks-vpc-cni").inputs["preserve"] is True
    after = edited("dev", "managed-to-helm")
    cluster = after.one("aws:eks/cluster:Cluster")
    assert "bootstrapSelfManagedAddons" in cluster.ignore_changes
    assert after.one("kubernetes:helm.sh/v3:Release", "eks-vpc-cni").retain_on_delete is True


def test_switching_helm_to_managed_takes_aws_node_back_without_uninstalling() -> None:
    ops = _ops("staging", "helm-to-managed")
    # Nothing goes through the Kubernetes API any more: its provider goes, and with it the
    # deployer's cluster-admin entry, which exists only for what the stack sends there.
    assert ops == {"create": {("Addon", "eks-vpc-cni")}, "update": set(), "replace": set(),
                   "delete": {("Release", "eks-vpc-cni"), ("kubernetes", "eks-k8s"),
                              ("AccessEntry", "eks-deployer"),
                              ("AccessPolicyAssociation", "eks-deployer")}}
    result = changes(stack_graph("staging"), edited("staging", "helm-to-managed"), "staging")
    [gone] = [c for c in result.changes if c.op == "delete" and c.type.endswith(":Release")]
    assert gone.retained  # Pulumi forgets the release: no `helm uninstall` of aws-node
    addon = edited("staging", "helm-to-managed").one(ADDON, "eks-vpc-cni")
    assert addon.inputs["resolveConflictsOnCreate"] == "OVERWRITE"


def test_inserting_an_admin_first_creates_only_its_entry() -> None:
    ops = _ops("prod", "admin-first+reorder-groups+min-size")
    assert {n for t, n in ops["create"]} == {"eks-admin-auditors-9146a15d"}
    assert {t for t, n in ops["create"]} == {"AccessEntry", "AccessPolicyAssociation"}
    assert ops["replace"] == ops["delete"] == set()


def test_reordering_node_groups_changes_nothing() -> None:
    ops = _ops("prod", "admin-first+reorder-groups+min-size")
    # The only node group change is the workers' minSize edit made in the same synthesis.
    assert {n for ops_ in ops.values() for _, n in ops_ if n.startswith("eks-system")} == set()
    assert ops["update"] == {("NodeGroup", "eks-workers-ng")}


def test_raising_min_size_in_prod_applies_desired_too() -> None:
    # workers: targetPods 600 at 110 pods per node less 4 DaemonSet pods is 6 nodes; a
    # minSize of 8 lifts the desired size with it, applied (the stack owns the size).
    op, fields, rolls = _change("prod", "admin-first+reorder-groups+min-size",
                                "eks-workers-ng", NODE_GROUP)
    assert (op, fields, rolls) == (
        "update", ("scalingConfig.desiredSize", "scalingConfig.minSize"), False)
    group = edited("prod", "admin-first+reorder-groups+min-size").one(NODE_GROUP,
                                                                      "eks-workers-ng")
    assert group.inputs["scalingConfig"] == {"minSize": 8, "desiredSize": 8, "maxSize": 30}
    assert group.ignore_changes == []


def test_removing_the_first_admin_deletes_only_its_entry() -> None:
    ops = _ops("prod", "drop-first-admin+version")
    assert ops["delete"] == {("AccessEntry", "eks-admin-platform-admins-2daba91e"),
                             ("AccessPolicyAssociation", "eks-admin-platform-admins-2daba91e")}
    assert ops["create"] == ops["replace"] == set()


def test_bumping_the_version_one_minor_is_in_place_and_rolls_nodes() -> None:
    ops = _ops("prod", "drop-first-admin+version")
    assert ops["update"] == {("Cluster", "eks-eks"), ("NodeGroup", "eks-system-ng"),
                             ("NodeGroup", "eks-workers-ng")}
    assert _change("prod", "drop-first-admin+version", "eks-eks",
                   "aws:eks/cluster:Cluster") == ("update", ("version",), False)
    for group in ("eks-system-ng", "eks-workers-ng"):
        assert _change("prod", "drop-first-admin+version", group, NODE_GROUP) == (
            "update", ("version",), True)


def test_inserting_a_private_range_first_creates_only_its_rule_and_routes() -> None:
    ops = _ops("staging", "range-first")
    assert ops == {
        "create": {("SecurityGroupIngressRule", "eks-api-10-100-8-0-24"),
                   *{("Route", f"eks-net-private-{i}-deployer-10-100-8-0-24")
                     for i in range(3)}},
        "update": set(), "replace": set(), "delete": set()}


@pytest.mark.parametrize("stack", ["dev", "prod", "staging"])
def test_an_unchanged_stack_plans_no_change(stack: str) -> None:
    assert changes(stack_graph(stack), stack_graph(stack), stack).changes == ()
