"""Karpenter as deployed: the dev stack under mocks, and the component through the library."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from eks_platform import (
    CniSettings,
    EksAddon,
    EksAddonArgs,
    Karpenter,
    KarpenterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    NodePoolSettings,
    SettingsError,
)
from eks_platform.karpenter.settings import CHART, DEFAULT_CHART_VERSION, OPEN_ENDED
from eks_platform.nodes import maxpods
from eks_platform.tools.plan import render_text
from eks_platform.tools.synth import Graph, RecordedResource, synthesize
from tests.aws_models import service_model
from tests.clusters import SUBNETS, demo_cluster
from tests.conftest import stack_graph, stack_settings
from tests.stack.test_settings import error_for, with_

RELEASE = "kubernetes:helm.sh/v3:Release"
NODEPOOL = "kubernetes:karpenter.sh/v1:NodePool"
NODECLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ADDON = "aws:eks/addon:Addon"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
TAG = "aws:ec2/tag:Tag"
DISCOVERY = "karpenter.sh/discovery"
INSTANCE_TYPE = "node.kubernetes.io/instance-type"
#: The interruption event kinds of Karpenter's docs (EventBridge detail types): the four of
#: the issue and, since Karpenter v1.14's CloudFormation, capacity reservation interruptions.
DETAIL_TYPES = {"EC2 Spot Instance Interruption Warning", "EC2 Instance Rebalance Recommendation",
                "EC2 Instance State-change Notification", "AWS Health Event",
                "EC2 Capacity Reservation Instance Interruption Warning"}
#: The worker-node policies the EKS user guide lists for a node IAM role.
WORKER_POLICIES = {"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"}


def dev() -> Graph:
    return stack_graph("dev")


def karpenter_release(graph: Graph) -> RecordedResource:
    [release] = [r for r in graph.of_type(RELEASE) if r.inputs["chart"] == CHART]
    return release


def by_name(graph: Graph, type_: str) -> dict[str, RecordedResource]:
    return {r.name: r for r in graph.of_type(type_)}


def requirement(pool: RecordedResource, key: str) -> list[str]:
    found = [r["values"] for r in pool.inputs["spec"]["template"]["spec"]["requirements"]
             if r["key"] == key]
    assert len(found) == 1
    values: list[str] = found[0]
    return values


def node_class_of(graph: Graph, pool: RecordedResource) -> RecordedResource:
    name = pool.inputs["spec"]["template"]["spec"]["nodeClassRef"]["name"]
    [found] = [c for c in graph.of_type(NODECLASS) if c.inputs["metadata"]["name"] == name]
    return found


def role_arn(name: str) -> str:
    """The ARN the recording mocks give the role named `name`."""
    return f"arn:aws:iam::123456789012:role/{name}"


# --- the dev stack ---------------------------------------------------------------------------

def test_the_pinned_chart_runs_on_the_system_group() -> None:
    graph, settings = dev(), stack_settings("dev")
    release = karpenter_release(graph)
    assert release.inputs["version"] == DEFAULT_CHART_VERSION
    assert release.inputs["namespace"] == "kube-system"
    values = release.inputs["values"]
    assert values["replicas"] == 2
    assert values["settings"]["clusterName"] == settings.name_for("dev")
    [queue] = graph.of_type("aws:sqs/queue:Queue")
    assert values["settings"]["interruptionQueue"] == queue.inputs["name"]
    system = next(g for g in settings.node_groups if g.name == settings.karpenter.system_node_group)
    terms = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"][0]["matchExpressions"]
    for key, value in system.labels.items():
        assert {"key": key, "operator": "In", "values": [value]} in terms
    for taint in system.taints:
        assert {"key": taint.key, "operator": "Equal", "value": taint.value,
                "effect": "NoSchedule"} in values["tolerations"]


def test_the_controller_role_comes_through_pod_identity() -> None:
    graph = dev()
    [association] = graph.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == (
        "kube-system", "karpenter")
    controller = by_name(graph, ROLE)["eks-karpenter-controller"]
    assert association.inputs["roleArn"] == role_arn(controller.name)
    trust = json.loads(controller.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert sorted(trust["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"]["StringEquals"][
        "aws:RequestTag/kubernetes-service-account"] == "karpenter"
    # The agent that hands out the credentials is installed.
    assert "eks-pod-identity-agent" in {a.inputs["addonName"] for a in graph.of_type(ADDON)}
    # Six policies on the controller role: PassRole only for the node role, the queue's ARN.
    attached = [a for a in graph.of_type(ATTACHMENT) if a.inputs["role"] == controller.name]
    assert len(attached) == len(graph.of_type("aws:iam/policy:Policy")) == 6
    statements = [s for p in graph.of_type("aws:iam/policy:Policy")
                  for s in json.loads(p.inputs["policy"])["Statement"]]
    [pass_role] = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert pass_role["Resource"] == role_arn("eks-karpenter-node")
    [queue_reads] = [s for s in statements if s["Sid"] == "AllowInterruptionQueueActions"]
    assert queue_reads["Resource"] == "arn:aws:sqs:us-west-2:123456789012:resource/" \
                                      "eks-karpenter-interruption"


def test_the_interruption_queue_is_fed_by_its_rules() -> None:
    graph = dev()
    [queue] = graph.of_type("aws:sqs/queue:Queue")
    assert queue.inputs["sqsManagedSseEnabled"] is True
    queue_arn = "arn:aws:sqs:us-west-2:123456789012:resource/eks-karpenter-interruption"
    [policy] = graph.of_type("aws:sqs/queuePolicy:QueuePolicy")
    assert {s["Resource"] for s in json.loads(policy.inputs["policy"])["Statement"]} == {
        queue_arn}
    rules = graph.of_type("aws:cloudwatch/eventRule:EventRule")
    [allow] = [s for s in json.loads(policy.inputs["policy"])["Statement"]
               if s["Effect"] == "Allow"]
    # The mocks' ARN of each of the five rules: only they may deliver.
    assert allow["Condition"]["ArnEquals"]["aws:SourceArn"] == sorted(
        f"arn:aws:cloudwatch:us-west-2:123456789012:resource/{r.name}" for r in rules)
    assert len(rules) == 5
    assert {t for r in rules for t in json.loads(r.inputs["eventPattern"])["detail-type"]} == \
        DETAIL_TYPES
    assert len(rules) == len(DETAIL_TYPES)
    rule_name = service_model("events").shape_for(
        "RuleName").metadata
    targets = {t.inputs["rule"]: t for t in graph.of_type("aws:cloudwatch/eventTarget:EventTarget")}
    for rule in rules:
        assert len(rule.inputs["name"]) <= rule_name["max"]
        assert targets[rule.inputs["name"]].inputs["arn"] == queue_arn


def test_the_node_role_joins_through_an_ec2_linux_access_entry() -> None:
    graph = dev()
    [entry] = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
               if e.inputs["type"] == "EC2_LINUX"]
    assert entry.inputs["principalArn"] == role_arn("eks-karpenter-node")
    node = by_name(graph, ROLE)["eks-karpenter-node"]
    assert json.loads(node.inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"}

    def policies(role: str) -> set[str]:
        return {a.inputs["policyArn"].rsplit("/", 1)[1] for a in graph.of_type(ATTACHMENT)
                if a.inputs["role"] == role}

    # The same policies as the managed groups' node roles, which include the worker policies.
    assert policies(node.name) == policies("eks-general-node") >= WORKER_POLICIES
    for node_class in graph.of_type(NODECLASS):
        assert node_class.inputs["spec"]["role"] == node.name


def test_discovery_tags_on_node_subnets_and_the_node_security_group() -> None:
    graph = dev()
    cluster_name = stack_settings("dev").name_for("dev")
    subnets = graph.of_type("aws:ec2/subnet:Subnet")
    private = [s for s in subnets if "kubernetes.io/role/internal-elb" in s.inputs["tags"]]
    assert private and all(s.inputs["tags"][DISCOVERY] == cluster_name for s in private)
    assert not [s for s in subnets if s not in private and DISCOVERY in s.inputs["tags"]]
    [group_tag] = graph.of_type(TAG)
    assert group_tag.inputs == {"resourceId": graph.outputs["clusterSecurityGroupId"],
                                "key": DISCOVERY, "value": cluster_name}
    for node_class in graph.of_type(NODECLASS):
        spec = node_class.inputs["spec"]
        for terms in (spec["subnetSelectorTerms"], spec["securityGroupSelectorTerms"]):
            assert terms == [{"tags": {DISCOVERY: cluster_name}}]


def test_dev_node_pools_get_the_calculators_minimum_and_split() -> None:
    graph, settings = dev(), stack_settings("dev")
    options = settings.max_pods_options()
    assert options.prefix_delegation
    pools = graph.of_type(NODEPOOL)
    for pool in pools:
        types = requirement(pool, INSTANCE_TYPE)
        answers = {maxpods.max_pods(t, options) for t in types}
        max_pods = node_class_of(graph, pool).inputs["spec"]["kubelet"]["maxPods"]
        assert max_pods == min(answers)
        assert answers == {max_pods}  # no type is capped below what it holds
    # `general` spans both sides of 30 vCPUs: one NodePool per max-pods class, together
    # exactly the pool's types.
    general = next(p for p in settings.karpenter.node_pools if p.name == "general")
    split = [p for p in pools if p.inputs["metadata"]["name"].startswith("general-")]
    classes = {maxpods.max_pods(t, options) for t in general.allowed_types}
    assert len(classes) == 2
    assert sorted(p.inputs["metadata"]["name"] for p in split) == sorted(
        f"general-{c}" for c in classes)
    assert sorted(t for p in split for t in requirement(p, INSTANCE_TYPE)) == \
        general.allowed_types
    assert general.limits is not None
    assert sum(int(p.inputs["spec"]["limits"]["cpu"]) for p in split) == general.limits.cpu


def test_order_controller_after_nodes_prerequisites_and_crs_after_the_controller() -> None:
    graph = dev()
    release = karpenter_release(graph)
    addons = {a.inputs["addonName"]: a for a in graph.of_type(ADDON)}
    system = next(g for g in graph.of_type(NODE_GROUP) if g.name == "eks-system-ng")
    [association] = graph.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    # coredns too: the controller needs cluster DNS and crash-loops until it runs.
    for before in (addons["vpc-cni"], addons["kube-proxy"], addons["eks-pod-identity-agent"],
                   system, association, addons["coredns"]):
        assert before.urn in release.waits_for, before.name
    [entry] = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
               if e.inputs["type"] == "EC2_LINUX"]
    for node_class in graph.of_type(NODECLASS):
        assert {release.urn, entry.urn} <= set(node_class.waits_for)
    for pool in graph.of_type(NODEPOOL):
        # A direct dependency: on destroy Pulumi deletes the NodePool (Karpenter drains and
        # terminates its nodes) before the controller, and its EC2NodeClass after it.
        assert {release.urn, node_class_of(graph, pool).urn} <= set(pool.waits_for)
        assert not graph.depends_on(release, pool)


def test_plan_shows_each_node_pool_with_types_max_pods_and_limits() -> None:
    graph, options = dev(), stack_settings("dev").max_pods_options()
    text = render_text(graph, "dev")
    section = text.split("Karpenter NodePools")[1].split("\n\n")[0].splitlines()[1:]
    pools = graph.of_type(NODEPOOL)
    assert len(section) == len(pools)
    for pool in pools:
        types = requirement(pool, INSTANCE_TYPE)
        limits = pool.inputs["spec"]["limits"]
        line = next(s for s in section if s.startswith(f"  {pool.inputs['metadata']['name']}:"))
        assert f"instance types {', '.join(types)};" in line
        assert f"max pods {min(maxpods.max_pods(t, options) for t in types)};" in line
        assert "limits " + ", ".join(f"{k} {v}" for k, v in sorted(limits.items())) in line


def test_off_by_default() -> None:
    for stack in ("staging", "prod"):
        if stack_settings(stack).karpenter.enabled:
            continue
        graph = stack_graph(stack)
        assert not [r for r in graph.of_type(RELEASE) if r.inputs["chart"] == CHART]
        assert not graph.of_type(NODEPOOL) and not graph.of_type(TAG)
        assert not [s for s in graph.of_type("aws:ec2/subnet:Subnet")
                    if DISCOVERY in s.inputs["tags"]]


# --- stack settings ---------------------------------------------------------------------------

KARPENTER = {"enabled": True, "nodePools": [{"name": "web", "instanceFamilies": ["m5"]}]}
SYSTEM = {"name": "general", "instanceTypes": ["m5.large"], "minSize": 2, "maxSize": 3,
          "labels": {"node-role": "system"}}


def test_an_open_ended_pool_is_a_settings_error_naming_its_key() -> None:
    config = with_("eks-platform:karpenter", {"enabled": True, "nodePools": [{"name": "any"}]})
    config["eks-platform:nodeGroups"] = [SYSTEM]
    assert error_for(config).splitlines()[1] == (
        f"  eks-platform:karpenter.nodePools[0].instanceFamilies = []: {OPEN_ENDED}")


@pytest.mark.parametrize("groups, karpenter, expected", [
    ([{**SYSTEM, "labels": {}}], KARPENTER,
     'eks-platform:karpenter.systemNodeGroup = "general": node group general needs labels'),
    ([{**SYSTEM, "minSize": 1}], KARPENTER,
     'eks-platform:karpenter.systemNodeGroup = "general": node group general has minSize 1'),
    ([SYSTEM, {**SYSTEM, "name": "apps"}], KARPENTER,
     "eks-platform:karpenter.systemNodeGroup = null: name the node group the controller runs "
     "on, one of: general, apps"),
    ([SYSTEM], {**KARPENTER, "systemNodeGroup": "sys"},
     'eks-platform:karpenter.systemNodeGroup = "sys": no node group of that name; have: general'),
])
def test_the_system_group_must_exist_and_be_selectable(
    groups: list[dict[str, Any]], karpenter: dict[str, Any], expected: str
) -> None:
    config = with_("eks-platform:karpenter", karpenter)
    config["eks-platform:nodeGroups"] = groups
    assert error_for(config).splitlines()[1].strip().startswith(expected)


def test_karpenter_needs_the_pod_identity_agent() -> None:
    config = with_("eks-platform:karpenter", KARPENTER)
    config["eks-platform:nodeGroups"] = [SYSTEM]
    config["eks-platform:addons"] = {"podIdentityAgent": {"enabled": False}}
    assert error_for(config).splitlines()[1].startswith(
        "  eks-platform:addons.podIdentityAgent.enabled = false: karpenter.enabled needs")


# --- the library ------------------------------------------------------------------------------

def _program(cni: CniSettings, pools: list[NodePoolSettings],
             labels: dict[str, str] | None = None) -> None:
    cluster = demo_cluster(cni=cni)
    EksAddon("agent", EksAddonArgs(cluster=cluster, addon_name="eks-pod-identity-agent"))
    EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni",
                                     version="v1.19.2-eksbuild.1"))
    EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))
    system = ManagedNodeGroup("system", ManagedNodeGroupArgs(
        cluster=cluster, name="system", instance_types=["m5.large"], min_size=2, max_size=2,
        labels={"node-role": "system"} if labels is None else labels))
    Karpenter("karpenter", KarpenterArgs(cluster=cluster, system_node_group=system,
                                         node_pools=pools))


POOL = NodePoolSettings(name="mixed", instance_families=["m5", "c5"],
                        instance_sizes=["large", "2xlarge", "9xlarge", "12xlarge"])
CNI_MODES = {"prefix-delegation-off": CniSettings(),
             "prefix-delegation-on": CniSettings(prefix_delegation=True),
             "custom-networking-on": CniSettings(custom_networking=True)}


@cache
def library_graph(mode: str) -> Graph:
    """`demo` with the system group, Karpenter and POOL, for one CNI declaration."""
    return synthesize(lambda: _program(CNI_MODES[mode], [POOL]), {"aws:region": "us-east-1"})


@pytest.mark.parametrize("mode", sorted(CNI_MODES))
def test_library_node_pools_follow_the_clusters_cni_declaration(mode: str) -> None:
    graph, cni = library_graph(mode), CNI_MODES[mode]
    options = maxpods.MaxPodsOptions("1.19.2", prefix_delegation=cni.prefix_delegation,
                                     custom_networking=cni.custom_networking)
    pools = graph.of_type(NODEPOOL)
    expected = {maxpods.max_pods(t, options) for t in POOL.allowed_types}
    assert len(pools) == len(expected) >= 2  # every mode splits this pool
    for pool in pools:
        types = requirement(pool, INSTANCE_TYPE)
        answers = {maxpods.max_pods(t, options) for t in types}
        assert node_class_of(graph, pool).inputs["spec"]["kubelet"]["maxPods"] == min(answers)
        assert len(answers) == 1
    release = karpenter_release(graph)
    assert release.inputs["values"]["settings"]["reservedENIs"] == (
        "1" if cni.custom_networking else "0")


def test_library_tags_existing_subnets_and_the_cluster_security_group() -> None:
    graph = library_graph("prefix-delegation-off")
    tags = graph.of_type(TAG)
    assert all(t.inputs["key"] == DISCOVERY and t.inputs["value"] == "demo" for t in tags)
    assert sorted(t.inputs["resourceId"] for t in tags) == sorted([*SUBNETS, "sg-0cluster"])


def test_library_refuses_a_system_group_it_cannot_select() -> None:
    def program() -> None:
        with pytest.raises(SettingsError) as info:
            _program(CniSettings(), [POOL], labels={})
        [line] = str(info.value).splitlines()[1:]
        assert line.startswith("  KarpenterArgs.system_node_group = ")
        assert line.endswith("node group system needs labels: the controller's node affinity "
                             "selects the group's nodes by them")

    synthesize(program, {"aws:region": "us-east-1"})



def test_library_node_volumes_use_the_same_key_as_the_managed_groups() -> None:
    graph = library_graph("prefix-delegation-off")
    [template] = graph.of_type("aws:ec2/launchTemplate:LaunchTemplate")
    [group_volume] = template.inputs["blockDeviceMappings"]
    key_arn = group_volume["ebs"]["kmsKeyId"]
    assert key_arn.startswith("arn:aws:kms:us-east-1:")
    for node_class in graph.of_type(NODECLASS):
        for mapping in node_class.inputs["spec"]["blockDeviceMappings"]:
            assert mapping["ebs"]["kmsKeyID"] == key_arn and mapping["ebs"]["encrypted"]
    # Karpenter calls RunInstances/CreateFleet itself: its role may use the key through EC2.
    statements = [s for p in graph.of_type("aws:iam/policy:Policy")
                  for s in json.loads(p.inputs["policy"])["Statement"]
                  if s["Resource"] == key_arn]
    assert {a for s in statements for a in s["Action"]} >= {"kms:CreateGrant",
                                                           "kms:GenerateDataKey*"}
    for statement in statements:
        assert statement["Condition"]["StringEquals"]["kms:ViaService"] == \
            "ec2.us-east-1.amazonaws.com"
