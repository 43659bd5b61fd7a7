"""Run a Pulumi program under recording mocks: no cloud, no CLI, no network.

`synthesize()` records every registration (type, name, parent, inputs, dependencies, options)
and the stack's exports. The tests and `python -m eks_platform plan` share this one harness.
Each run happens in a fresh `contextvars.Context`, so runs in one process never see each other.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func

from . import maxpods

ACCOUNT = "123456789012"
RESOLVED_AT_DEPLOY = "resolved at deploy"


@dataclass
class RecordedResource:
    """One registration, as the engine would have received it."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]
    protect: bool
    ignore_changes: list[str]
    provider: str

    @property
    def short_type(self) -> str:
        return self.type.rsplit(":", 1)[-1]

    @property
    def provider_urn(self) -> str | None:
        """The URN of the explicit provider (a reference is `urn::id`), if any."""
        return self.provider.rsplit("::", 1)[0] if self.provider else None

    @property
    def waits_for(self) -> list[str]:
        """What the engine makes this resource wait for: its own recorded dependencies and its
        explicit provider. Not its parent's dependencies: the SDK registers a resource with
        only its own `depends_on` (components expanded to their children) and input edges."""
        provider = self.provider_urn
        return [*self.dependencies, *([provider] if provider else [])]


@dataclass
class Graph:
    """The recorded resource graph of one program run (read-only once recorded)."""

    resources: list[RecordedResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: set[str] = field(default_factory=set)
    invokes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Data-source calls (token, arguments), in the order the program made them."""

    def __iter__(self) -> Iterator[RecordedResource]:
        return iter(self.resources)

    @cached_property
    def by_urn(self) -> dict[str, RecordedResource]:
        return {r.urn: r for r in self.resources}

    @cached_property
    def descendant_urns(self) -> dict[str, list[str]]:
        """URN -> the URNs below it (depth first, registration order), for every resource."""
        children: dict[str, list[str]] = {}
        for resource in self.resources:
            children.setdefault(resource.parent, []).append(resource.urn)
        out: dict[str, list[str]] = {}

        def walk(urn: str) -> list[str]:
            if urn not in out:
                out[urn] = [d for child in children.get(urn, []) for d in (child, *walk(child))]
            return out[urn]

        for resource in self.resources:
            walk(resource.urn)
        return out

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(f"{len(found)} {type_} named {name!r}; have {names}")
        return found[0]

    def children(self, parent: RecordedResource) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def descendants(self, parent: RecordedResource) -> list[RecordedResource]:
        return [self.by_urn[urn] for urn in self.descendant_urns[parent.urn]]

    def ancestors(self, resource: RecordedResource) -> list[RecordedResource]:
        chain: list[RecordedResource] = []
        index = self.by_urn
        while resource.parent in index:
            resource = index[resource.parent]
            chain.append(resource)
        return chain

    def depends_on(self, resource: RecordedResource, target: RecordedResource) -> bool:
        """Whether the engine makes `resource` wait, directly or transitively, for `target` or
        one of its descendants (see `RecordedResource.waits_for`)."""
        goal = {target.urn, *self.descendant_urns[target.urn]}
        index, seen = self.by_urn, set()
        pending = [resource]
        while pending:
            current = pending.pop()
            for dep in current.waits_for:
                if dep in goal:
                    return True
                if dep not in seen and dep in index:
                    seen.add(dep)
                    pending.append(index[dep])
                    pending.extend(self.descendants(index[dep]))
        return False


def _fake_arn(service: str, region: str, kind: str, name: str) -> str:
    scope = "" if service == "iam" else region
    return f"arn:aws:{service}:{scope}:{ACCOUNT}:{kind}/{name}"


def fake_state(type_: str, name: str, inputs: dict[str, Any], region: str) -> dict[str, Any]:
    """Inputs plus the computed outputs a component reads from each resource type."""
    state = dict(inputs)
    if type_ == "aws:eks/cluster:Cluster":
        cluster = inputs.get("name", name)
        issuer = f"https://oidc.eks.{region}.amazonaws.com/id/{cluster.upper()}0000"
        state.update(
            arn=_fake_arn("eks", region, "cluster", cluster),
            endpoint=f"https://{cluster}.gr7.{region}.eks.amazonaws.com",
            certificateAuthority={"data": base64.b64encode(b"fake-ca").decode()},
            identities=[{"oidcs": [{"issuer": issuer}]}],
            vpcConfig={**inputs.get("vpcConfig", {}), "clusterSecurityGroupId": "sg-0cluster"},
        )
    elif type_ == "aws:iam/role:Role":
        state.update(arn=_fake_arn("iam", region, "role", name), name=name)
    elif type_ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
        url = str(inputs.get("url", "")).removeprefix("https://")
        state["arn"] = _fake_arn("iam", region, "oidc-provider", url)
    elif type_ == "aws:kms/key:Key":
        state.update(arn=_fake_arn("kms", region, "key", name), keyId=f"{name}-key-id")
    elif type_ == "aws:ec2/launchTemplate:LaunchTemplate":
        state["latestVersion"] = 1
    elif type_ == "aws:eks/nodeGroup:NodeGroup":
        state["nodeGroupName"] = f"{inputs.get('nodeGroupNamePrefix', name)}20261124"
    elif type_.startswith("aws:") and "arn" not in state:
        state["arn"] = _fake_arn(type_.split(":")[1].split("/")[0], region, "resource", name)
    return state


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers resources with plausible computed outputs and data sources with fixed data.

    `stack_outputs` answers `pulumi.StackReference`s: reference name -> (outputs, secret
    output names)."""

    def __init__(
        self, region: str, stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]] = {},
    ) -> None:
        self.region = region
        self.stack_outputs = dict(stack_outputs)
        self.invokes: list[tuple[str, dict[str, Any]]] = []

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        if args.typ == "pulumi:pulumi:StackReference":
            reference = str(args.inputs.get("name", args.name))
            if reference not in self.stack_outputs:
                raise LookupError(f"stack reference {reference!r} is not known offline")
            outputs, secrets = self.stack_outputs[reference]
            return reference, {"name": reference, "outputs": outputs,
                               "secretOutputNames": sorted(secrets)}
        return f"{args.name}-id", fake_state(args.typ, args.name, args.inputs, self.region)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.invokes.append((args.token, dict(args.args)))
        return self._answer(args.token, args.args), []

    def _answer(self, token: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {"names": [f"{self.region}{z}" for z in "abcdef"], "id": self.region}
        if token == "aws:eks/getAddonVersion:getAddonVersion":
            which = "latest" if inputs.get("mostRecent") else "default"
            return {**inputs, "version": f"{RESOLVED_AT_DEPLOY} ({which})", "id": "addon"}
        if token == "aws:ec2/getInstanceType:getInstanceType":
            limits = maxpods.lookup(inputs["instanceType"])
            return {
                "instanceType": limits.instance_type,
                "defaultNetworkCardIndex": limits.default_network_card_index,
                "networkCards": [{"index": i, "maximumInterfaces": n}
                                 for i, n in enumerate(limits.enis_per_card)],
                "maximumNetworkInterfaces": sum(limits.enis_per_card),
                "maximumIpv4AddressesPerInterface": limits.ipv4_per_eni,
                "hypervisor": limits.hypervisor, "bareMetal": limits.bare_metal,
                "defaultVcpus": limits.vcpus,
            }
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/plan",
                    "userId": "plan"}
        return {}


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, plus a record of what each registration asked for."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.recorded: list[RecordedResource] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            inputs = pulumi.runtime.rpc.deserialize_properties(request.object,
                                                               keep_unknowns=True)
            self.recorded.append(RecordedResource(
                urn=response.urn, type=request.type, name=request.name,
                parent=request.parent, custom=bool(request.custom), inputs=dict(inputs),
                dependencies=list(request.dependencies), protect=bool(request.protect),
                ignore_changes=list(request.ignoreChanges), provider=request.provider,
            ))
        return response


def synthesize(
    program: Callable[[], None],
    config: Mapping[str, str],
    *,
    project: str = "eks-platform",
    stack: str = "dev",
    stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]] = {},
) -> Graph:
    """Run `program` with `config` (Pulumi's `ns:key` -> string form) under recording mocks."""
    return contextvars.Context().run(_synthesize, program, dict(config), project, stack,
                                     stack_outputs)


def _synthesize(
    program: Callable[[], None], config: dict[str, str], project: str, stack: str,
    stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]],
) -> Graph:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        region = config.get("aws:region", "us-east-1")
        mocks = RecordingMocks(region, stack_outputs)
        monitor = RecordingMonitor(mocks)
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False,
                                 monitor=monitor)
        set_all_config(config)
        loop.run_until_complete(run_pulumi_func(program))
        root = pulumi.runtime.get_root_resource()
        outputs, secrets = _resolve_outputs(loop, getattr(root, "outputs", {}))
        return Graph(monitor.recorded, outputs, secrets, mocks.invokes)
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def _resolve_outputs(
    loop: asyncio.AbstractEventLoop, exports: Mapping[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, value in exports.items():
        output = pulumi.Output.from_input(value)
        values[key] = loop.run_until_complete(output.future())
        if loop.run_until_complete(output.is_secret()):
            secrets.add(key)
    return values, secrets


def stack_name(stack_file: Path) -> str:
    """`stacks/Pulumi.dev.yaml` -> `dev`."""
    name = stack_file.name
    if not (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))):
        raise ValueError(f"{stack_file}: a stack file is named Pulumi.<stack>.yaml")
    return name.removeprefix("Pulumi.").rsplit(".", 1)[0]


def synthesize_program(program_file: Path, stack_file: Path, stack: str | None = None) -> Graph:
    """Run a Pulumi program file (e.g. `__main__.py`) with a stack file's config, as
    `pulumi up` would, but under recording mocks."""
    from .settings import pulumi_config_values, read_stack_file

    config = pulumi_config_values(read_stack_file(stack_file))
    project_file = program_file.resolve().parent / "Pulumi.yaml"
    project = _project_name(project_file) if project_file.exists() else "eks-platform"
    references = _platform_references(config, find_project_root(program_file.resolve().parent))
    return synthesize(lambda: _run_file(program_file), config, project=project,
                      stack=stack or stack_name(stack_file), stack_outputs=references)


_REFERENCE = re.compile(r"^[\w.-]+/eks-platform/([\w.-]+)$")


def _platform_references(
    config: Mapping[str, str], root: Path | None
) -> dict[str, tuple[dict[str, Any], set[str]]]:
    """Config values naming `<org>/eks-platform/<stack>` are stack references to this project:
    answer them with the outputs of its own `stacks/Pulumi.<stack>.yaml`, synthesized first."""
    answers: dict[str, tuple[dict[str, Any], set[str]]] = {}
    for value in config.values():
        match = _REFERENCE.match(value)
        if match and root is not None:
            stack_file = root / "stacks" / f"Pulumi.{match.group(1)}.yaml"
            if stack_file.exists():
                graph = synthesize_program(root / "__main__.py", stack_file)
                answers[value] = (graph.outputs, graph.secret_outputs)
    return answers


def _project_name(project_file: Path) -> str:
    import yaml

    document = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    return str(document.get("name", "eks-platform"))


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding this project's Pulumi.yaml and stacks/."""
    for folder in (start, *start.parents):
        if (folder / "stacks").is_dir() and (folder / "Pulumi.yaml").exists():
            return folder
    return None


def _run_file(program_file: Path) -> None:
    import runpy
    import sys

    folder = str(program_file.resolve().parent)
    sys.path.insert(0, folder)
    try:
        runpy.run_path(str(program_file), run_name="__main__")
    finally:
        sys.path.remove(folder)
