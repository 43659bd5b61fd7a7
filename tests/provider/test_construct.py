"""Components constructed through the provider, as the engine would for TypeScript or YAML:
camelCase inputs serialized and read back as the provider's server reads them, then
`Provider.construct`, under the package's recording mocks."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any, ClassVar, cast
from unittest import mock

import pulumi
import pytest
from pulumi.provider.server import ProviderServicer
from pulumi.runtime import rpc

from eks_platform.errors import SettingsError
from eks_platform.provider import references
from eks_platform.stack import parse, read_stack_file
from eks_platform.tools.synth import Graph, synthesize
from eks_platform.tools.synth import run as synth_run
from eks_platform.tools.synth.mocks import RecordingMonitor
from tests.conftest import ROOT, stack_graph
from tests.provider.test_schema import provider

WRAPPER = "eks-platform:index:EksPlatform"


def stack_inputs(stack: str) -> dict[str, Any]:
    """A stack file's settings as a consumer's inputs: `eks-platform:key` -> `key`."""
    config = read_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    return {("region" if key == "aws:region" else key.removeprefix("eks-platform:")): value
            for key, value in config.items()}


async def wired(inputs: dict[str, Any]) -> dict[str, Any]:
    """What the provider's server hands `construct` for these inputs (numbers as floats,
    secrets and dependent values as Outputs, component references as resources)."""
    struct = await rpc.serialize_properties(inputs, {})
    return await ProviderServicer._construct_inputs(struct, {})


def construct(component: str, name: str, inputs: Callable[[], dict[str, Any]],
              opts: pulumi.ResourceOptions | None = None
              ) -> Callable[[], Coroutine[Any, Any, None]]:
    async def program() -> None:
        result = provider().construct(name, f"eks-platform:index:{component}",
                                      await wired(inputs()), opts or pulumi.ResourceOptions())
        pulumi.export(name, result.state)  # what the consumer's SDK receives
    return program


def run(program: Callable[[], Coroutine[Any, Any, None]]) -> Graph:
    """`synthesize` runs an async program as the Pulumi runtime does (awaiting it)."""
    return synthesize(cast(Callable[[], None], program), {"aws:region": "us-west-2"})


class AliasRecordingMonitor(RecordingMonitor):
    """Also keeps the aliases each registration asks for (the graph does not hold them)."""

    aliases: ClassVar[dict[str, list[Any]]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        response = super().RegisterResource(request)
        if request.aliases:
            self.aliases[response.urn] = list(request.aliases)
        return response


@cache
def platform_graph() -> Graph:
    with mock.patch.object(synth_run, "RecordingMonitor", AliasRecordingMonitor):
        return run(construct("EksPlatform", "eks", lambda: stack_inputs("dev")))


def test_platform_through_the_provider_is_the_stack_program() -> None:
    ours, theirs = platform_graph(), stack_graph("dev")
    custom = {(r.type, r.name) for r in ours if r.custom}
    assert custom == {(r.type, r.name) for r in theirs if r.custom}
    assert len(custom) > 80
    # Engine URNs carry the whole parent chain: below the wrapper every URN differs, and each
    # of the stack program's is answered through the inner platform's alias, which the engine
    # passes on to its children.
    wrapper = [r for r in ours if r.type == WRAPPER]
    assert [r.urn for r in wrapper] == [
        "urn:pulumi:dev::eks-platform::eks-platform:index:EksPlatform::eks"]
    answered = set(ours.by_urn) | {a for aliases in ours.alias_urns.values() for a in aliases}
    assert {r.urn for r in theirs} <= answered
    same = {(r.type, r.name): r.inputs for r in theirs if r.custom}
    assert all(r.inputs == same[(r.type, r.name)] for r in ours if r.custom)


def test_outputs_are_the_stack_programs() -> None:
    """The component's outputs carry the values the stack program exports."""
    state, exported = platform_graph().outputs["eks"], stack_graph("dev").outputs
    pairs = {"clusterName": "clusterName", "endpoint": "clusterEndpoint",
             "certificateAuthorityData": "clusterCertificateAuthority",
             "kubernetesVersion": "kubernetesVersion", "oidcIssuerUrl": "oidcIssuerUrl",
             "clusterSecurityGroupId": "clusterSecurityGroupId", "kubeconfig": "kubeconfig",
             "vpcId": "vpcId", "privateSubnetIds": "privateSubnetIds"}
    assert {ours: state[ours] for ours in pairs} == {
        ours: exported[theirs] for ours, theirs in pairs.items()}
    assert state["clusterName"] == "eks-platform-dev"
    groups = exported["nodeGroups"]
    assert state["nodeRoleArns"] == {name: g["roleArn"] for name, g in groups.items()}
    assert state["maxPods"] == {name: g["maxPods"] for name, g in groups.items()}
    assert state["karpenterNodeRoleArn"].startswith("arn:aws:iam::")
    assert "eks" in platform_graph().secret_outputs  # the kubeconfig inside is a secret


def test_only_the_inner_platform_is_aliased_to_the_stack_root() -> None:
    """A Python program's stack moved to the package keeps its resources: the inner platform
    answers to its old URN (no parent), and the engine carries that to its children."""
    platform_graph()
    inner = "urn:pulumi:dev::eks-platform::eks-platform:index:EksPlatform$" \
            "eks-platform:platform:EksPlatform::eks"
    rooted = [urn for urn, aliases in AliasRecordingMonitor.aliases.items()
              if any(a.spec.noParent for a in aliases)]
    assert rooted == [inner]
    [alias] = AliasRecordingMonitor.aliases[inner]
    assert alias.spec.noParent is True and not alias.spec.name and not alias.spec.type


def test_the_stack_programs_urns_are_unchanged() -> None:
    """The Python API keeps its tokens: a stack deployed before the provider existed keeps
    every URN (these are the dev stack's, written out)."""
    urns = {r.urn for r in stack_graph("dev")}
    base = "urn:pulumi:dev::eks-platform::"
    assert {
        base + "eks-platform:platform:EksPlatform::eks",
        base + "eks-platform:platform:EksPlatform$eks-platform:cluster:EksCluster::eks",
        base + "eks-platform:platform:EksPlatform$eks-platform:cluster:EksCluster"
               "$aws:eks/cluster:Cluster::eks-eks",
        base + "eks-platform:platform:EksPlatform$eks-platform:nodegroup:ManagedNodeGroup"
               "::eks-general",
        base + "eks-platform:platform:EksPlatform$eks-platform:karpenter:Karpenter"
               "::eks-karpenter",
    } <= urns
    assert not [u for u in urns if ":index:" in u]


def failure(component: str, name: str, inputs: Callable[[], dict[str, Any]]) -> str:
    """The one message a bad input gets; nothing is registered before it."""
    messages: list[str] = []

    async def program() -> None:
        try:
            await construct(component, name, inputs)()
        except pulumi.RunError as error:
            messages.append(str(error))

    graph = run(program)
    assert graph.resources == []
    assert len(messages) == 1
    return messages[0]


def test_a_bad_input_gets_the_stack_files_message() -> None:
    def bad(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**groups[0], "minSize": 5}, *groups[1:]]

    message = failure("EksPlatform", "eks", lambda: {
        **stack_inputs("dev"), "nodeGroups": bad(stack_inputs("dev")["nodeGroups"])})
    assert message == ("invalid inputs to EksPlatform 'eks':\n"
                       "  nodeGroups[0].maxSize = 4: maxSize must be >= minSize (5)")
    config = read_stack_file(ROOT / "stacks" / "Pulumi.dev.yaml")
    config["eks-platform:nodeGroups"] = bad(config["eks-platform:nodeGroups"])
    with pytest.raises(SettingsError) as stack_file:
        parse(config, "stacks/Pulumi.dev.yaml")
    assert stack_file.value.problems == [f"eks-platform:{message.splitlines()[1].strip()}"]


def test_region_defaults_to_the_programs_and_must_agree_with_it() -> None:
    without = {k: v for k, v in stack_inputs("dev").items() if k != "region"}
    message = failure("EksPlatform", "eks", lambda: {**without, "ipFamily": "ipv5"})
    assert message.splitlines()[1:] == ["  ipFamily = \"ipv5\": Input should be 'ipv4' or 'ipv6'"]
    message = failure("EksPlatform", "eks", lambda: {**without, "region": "eu-west-1"})
    assert message.splitlines()[1] == (
        "  region = \"eu-west-1\": the program's aws:region is 'us-west-2', where its AWS "
        "provider creates the resources; leave region out or make them agree")


def test_a_secret_setting_is_refused_by_name() -> None:
    message = failure("EksPlatform", "eks", lambda: {
        **stack_inputs("dev"), "tags": pulumi.Output.secret({"team": "a"})})
    assert message.splitlines()[1].startswith("  tags: must be a plain value known before")


def test_a_component_given_a_cluster_reports_in_one_message() -> None:
    """The settings message names the node group's input; a rule the Python component
    enforces (no node group before a CNI) is one message too, not a traceback."""
    messages: list[str] = []

    async def program() -> None:
        await construct("EksCluster", "c", lambda: {
            "name": "demo", "subnetIds": ["subnet-0123456789abcdef0",
                                          "subnet-0123456789abcdef1"]})()
        cluster = references._BY_NAME[("eks-platform:index:EksCluster", "c")]
        for sizes in ({"minSize": 2, "maxSize": 1}, {}):
            try:
                await construct("ManagedNodeGroup", "g", lambda: {
                    "cluster": cluster, "name": "general", "instanceTypes": ["m5.large"],
                    **sizes})()  # noqa: B023 - called at once
            except pulumi.RunError as error:
                messages.append(str(error))

    run(program)
    assert messages[0] == ("invalid inputs to ManagedNodeGroup 'g':\n"
                           "  maxSize = 1: maxSize must be >= minSize (2)")
    assert messages[1].startswith("ManagedNodeGroup 'g': cluster demo has no CNI yet")
    assert "Traceback" not in messages[1]
