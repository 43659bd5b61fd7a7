"""The node groups of every shipped stack's recorded graph: calculator max pods in the user
data, launch template security, inputs, sizing and the node role's policies."""

from __future__ import annotations

import json

import pytest

from eks_platform.cluster import iam
from tests.conftest import (
    CALCULATOR_MAX_PODS,
    SECONDARY_IP_MAX_PODS,
    stack_graph,
    stack_settings,
)
from tests.stack.test_platform import (
    ADDON,
    ATTACHMENT,
    LAUNCH_TEMPLATE,
    NODEGROUP,
    RELEASE,
    addon,
    launch_template_of,
    max_pods_in_user_data,
)


@pytest.mark.parametrize("stack", sorted(CALCULATOR_MAX_PODS))
def test_user_data_carries_the_calculators_max_pods(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    groups = graph.of_type(NODEGROUP)
    assert sorted(s.name for s in settings.node_groups) == sorted(CALCULATOR_MAX_PODS[stack])
    for spec in settings.node_groups:
        group = next(g for g in groups if g.inputs["nodeGroupNamePrefix"] == f"{spec.name}-")
        template = launch_template_of(graph, group)
        expected = CALCULATOR_MAX_PODS[stack][spec.name]
        assert spec.ami_type is not None  # derived from the table's types
        assert max_pods_in_user_data(spec.ami_type, template.inputs["userData"]) == expected
        assert graph.outputs["nodeGroups"][spec.name]["maxPods"] == expected


@pytest.mark.parametrize("stack", sorted(SECONDARY_IP_MAX_PODS))
def test_cni_declaration_and_node_max_pods_agree(stack: str) -> None:
    """Prefix delegation on in the CNI config <=> the max pods assume prefixes."""
    graph, settings = stack_graph(stack), stack_settings(stack)
    if settings.all_auto_mode:  # no CNI of the stack's: Auto Mode runs its own networking
        assert not settings.node_groups and not graph.of_type(ADDON)
        return
    if settings.cni.mode == "managed":
        env = json.loads(addon(graph, "vpc-cni").inputs["configurationValues"])["env"]
    else:
        env = graph.one(RELEASE).inputs["values"]["env"]
    prefix = env["ENABLE_PREFIX_DELEGATION"] == "true"
    assert prefix is settings.max_pods_options().prefix_delegation
    for spec in settings.node_groups:
        secondary = SECONDARY_IP_MAX_PODS[stack][spec.name]
        got = graph.outputs["nodeGroups"][spec.name]["maxPods"]
        assert (got > secondary) is (prefix and secondary < 110)



def test_launch_template_security(stack: str) -> None:
    graph = stack_graph(stack)
    for template in graph.of_type(LAUNCH_TEMPLATE):
        metadata = template.inputs["metadataOptions"]
        assert metadata["httpTokens"] == "required"
        assert metadata["httpPutResponseHopLimit"] == 1
        for volume in template.inputs["blockDeviceMappings"]:
            assert volume["ebs"]["encrypted"] == "true"
            assert volume["ebs"]["volumeType"] == "gp3"
        kinds = {spec["resourceType"] for spec in template.inputs["tagSpecifications"]}
        assert {"instance", "volume"} <= kinds



def test_node_group_inputs(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    for spec in settings.node_groups:
        group = next(g for g in graph.of_type(NODEGROUP)
                     if g.inputs["nodeGroupNamePrefix"] == f"{spec.name}-")
        inputs = group.inputs
        # SPOT: a set (sorted for a new group); ON_DEMAND: the priority order as given.
        assert inputs["instanceTypes"] == (sorted(spec.instance_types)
                                           if spec.capacity_type == "SPOT"
                                           else spec.instance_types)
        assert inputs["amiType"] == spec.ami_type
        assert inputs["capacityType"] == spec.capacity_type
        scaling = inputs["scalingConfig"]
        assert scaling["minSize"] <= scaling["desiredSize"] <= scaling["maxSize"]
        assert "diskSize" not in inputs  # the launch template owns the volume
        assert group.ignore_changes == []  # the stack owns the size (scaledBy: stack)
        assert inputs["launchTemplate"]["version"] == "1"



def test_target_pods_sizing_in_prod() -> None:
    graph, settings = stack_graph("prod"), stack_settings("prod")
    workers = next(s for s in settings.node_groups if s.name == "workers")
    assert workers.target_pods == 600
    # m6i/m5/m6a.2xlarge with prefix delegation: 110 max pods each (8 vCPUs);
    # DaemonSets: aws-node, kube-proxy, pod identity agent, EBS CSI node = 4 per node.
    # ceil(600 / (110 - 4)) = 6 nodes.
    assert graph.outputs["nodeGroups"]["workers"]["desiredSize"] == 6



def test_node_role_policies_follow_the_cni_iam_mode(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    for group in graph.of_type("eks-platform:nodegroup:ManagedNodeGroup"):
        arns = {r.inputs["policyArn"].rsplit("/", 1)[1] for r in graph.children(group)
                if r.type == ATTACHMENT}
        spec = next(s for s in settings.node_groups if group.name == f"eks-{s.name}")
        expected = set(iam.NODE_POLICIES) | ({iam.SSM_POLICY} if spec.ssm else set())
        if settings.cni.iam == "nodeRole":
            expected.add(iam.CNI_POLICY)
        assert arns == expected

