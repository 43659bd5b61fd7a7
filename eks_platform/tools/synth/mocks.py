"""Recording mocks: plausible computed outputs for resources, fixed answers for data sources."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.proto import resource_pb2

from eks_platform.facts.zones import STANDARD_ZONE_TYPE, Zone, region_zones
from eks_platform.nodes.maxpods import table
from eks_platform.nodes.maxpods.live import get_instance_type_answer
from eks_platform.tools.synth.graph import RecordedResource

ACCOUNT = "123456789012"
#: The identity the plan runs as: an assumed-role session, as under SSO or a CI role.
DEPLOYER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/plan-deployer"
DEPLOYER_SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/plan-deployer/plan"
RESOLVED_AT_DEPLOY = "resolved at deploy"


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
    elif type_ == "aws:cloudwatch/logGroup:LogGroup":
        group = inputs.get("name", name)
        state["arn"] = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group}"
    elif type_ == "aws:ec2/launchTemplate:LaunchTemplate":
        state["latestVersion"] = 1
    elif type_ == "aws:eks/nodeGroup:NodeGroup":
        state["nodeGroupName"] = f"{inputs.get('nodeGroupNamePrefix', name)}20261124"
    elif type_.startswith("aws:") and "arn" not in state:
        state["arn"] = _fake_arn(type_.split(":")[1].split("/")[0], region, "resource", name)
    return state


def _session_context(arn: str) -> dict[str, Any]:
    """What IAM's session context says: an assumed-role session's role, else the ARN itself."""
    head, _, resource = arn.partition(":assumed-role/")
    if not resource:
        return {"arn": arn, "issuerArn": arn, "id": arn}
    role, _, session = resource.partition("/")
    partition, account = head.split(":")[1], head.rsplit(":", 1)[1]
    return {"arn": arn, "issuerArn": f"arn:{partition}:iam::{account}:role/{role}",
            "issuerName": role, "sessionName": session, "id": arn}


@dataclass(frozen=True)
class LiveGroupState:
    """A running managed node group as DescribeNodegroup answers it."""

    instance_types: tuple[str, ...]
    desired_size: int
    min_size: int
    max_size: int


@dataclass(frozen=True)
class LiveState:
    """What already runs besides the clusters' versions: node groups by cluster and EKS node
    group name, and the clusters created with `bootstrapClusterCreatorAdminPermissions`."""

    node_groups: Mapping[str, Mapping[str, LiveGroupState]] = field(default_factory=dict)
    creator_admin_clusters: frozenset[str] = frozenset()


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers resources with plausible computed outputs and data sources with fixed data.

    `stack_outputs` answers `pulumi.StackReference`s: reference name -> (outputs, secret
    output names). `live_clusters` are the EKS clusters that already run in the region, name ->
    Kubernetes version (default none: every cluster is new)."""

    def __init__(
        self, region: str, stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]] = {},
        live_clusters: Mapping[str, str] = {},
        extra_zones: Sequence[Zone] = (),
        live: LiveState | None = None,
    ) -> None:
        self.region = region
        self.stack_outputs = dict(stack_outputs)
        self.live_clusters = dict(live_clusters)
        #: What else the running clusters hold (node groups, the creator's bootstrap entry).
        self.live = live or LiveState()
        #: Zones the account has opted into beyond the table's (Local, Wavelength Zones).
        self.extra_zones = tuple(extra_zones)
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
        if args.resource_id and args.typ == "aws:eks/cluster:Cluster":  # Cluster.get: running
            name = str(args.resource_id)
            read = {"name": name, "version": self.live_clusters.get(name),
                    "vpcConfig": {"subnetIds": [f"subnet-0{name}a", f"subnet-0{name}b"]}}
            return name, fake_state(args.typ, name, read, self.region)
        if args.resource_id:
            return str(args.resource_id), fake_state(args.typ, args.name, {}, self.region)
        return f"{args.name}-id", fake_state(args.typ, args.name, args.inputs, self.region)

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        self.invokes.append((args.token, dict(args.args)))
        return self._answer(args.token, args.args), []

    def known_at_deploy_only(self, token: str, inputs: Mapping[str, Any]) -> bool:
        """Invokes whose answer only AWS has: an instance type the table lacks (a
        `liveInstanceTypeLookup` group), a subnet's zone. They stay unknown, as in a preview
        of a stack not yet deployed, so the plan shows what depends on them as resolved at
        deploy."""
        if token == "aws:ec2/getInstanceType:getInstanceType":
            return not table.is_known(str(inputs.get("instanceType")))
        return token == "aws:ec2/getSubnet:getSubnet"

    def _answer(self, token: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            return self._zones(inputs)
        if token == "aws:eks/getAddonVersion:getAddonVersion":
            which = "latest" if inputs.get("mostRecent") else "default"
            return {**inputs, "version": f"{RESOLVED_AT_DEPLOY} ({which})", "id": "addon"}
        if token == "aws:ec2/getInstanceType:getInstanceType":
            # EC2's figures for the types the generated table holds (taken from EC2).
            return get_instance_type_answer(table.lookup(inputs["instanceType"]))
        if token == "aws:eks/getClusters:getClusters":
            return {"names": sorted(self.live_clusters), "id": self.region}
        if token == "aws:eks/getCluster:getCluster":
            name = inputs["name"]
            if name not in self.live_clusters:  # as DescribeCluster answers
                raise LookupError(f"ResourceNotFoundException: No cluster found for name: {name}.")
            creator = name in self.live.creator_admin_clusters
            return {"name": name, "id": name, "version": self.live_clusters[name],
                    "status": "ACTIVE", "arn": _fake_arn("eks", self.region, "cluster", name),
                    "accessConfigs": [{"authenticationMode": "API",
                                       "bootstrapClusterCreatorAdminPermissions": creator}]}
        if token == "aws:eks/getNodeGroups:getNodeGroups":
            groups = self.live.node_groups.get(str(inputs["clusterName"]), {})
            return {"clusterName": inputs["clusterName"], "names": sorted(groups),
                    "id": inputs["clusterName"]}
        if token == "aws:eks/getNodeGroup:getNodeGroup":
            group = self.live.node_groups[str(inputs["clusterName"])][str(inputs["nodeGroupName"])]
            return {"clusterName": inputs["clusterName"], "nodeGroupName": inputs["nodeGroupName"],
                    "id": inputs["nodeGroupName"], "instanceTypes": list(group.instance_types),
                    "scalingConfigs": [{"desiredSize": group.desired_size,
                                        "minSize": group.min_size, "maxSize": group.max_size}]}
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": DEPLOYER_SESSION, "userId": "AROAPLAN:plan",
                    "id": ACCOUNT}
        if token == "aws:iam/getSessionContext:getSessionContext":
            return _session_context(str(inputs["arn"]))
        return {}


    def _zones(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """`aws.get_availability_zones` as EC2 answers it: the region's zones from the
        generated table (by name, as DescribeAvailabilityZones lists them) plus opted-in
        extra zones, narrowed by the `zone-type`, `zone-name` and `zone-id` filters."""
        zones = [*(region_zones(self.region) or ()), *self.extra_zones]
        fields = {"zone-type": "zone_type", "zone-name": "name", "zone-id": "zone_id"}
        for selector in inputs.get("filters") or []:
            field = fields.get(selector.get("name", ""))
            if field is not None:
                zones = [z for z in zones if getattr(z, field) in selector.get("values", [])]
        excluded = set(inputs.get("excludeNames") or ()) | set(inputs.get("excludeZoneIds") or ())
        zones = sorted((z for z in zones if not {z.name, z.zone_id} & excluded),
                       key=lambda z: z.name)
        return {"names": [z.name for z in zones], "zoneIds": [z.zone_id for z in zones],
                "groupNames": [self.region if z.zone_type == STANDARD_ZONE_TYPE else z.name[:-1]
                               for z in zones], "id": self.region,
                "region": self.region, "state": inputs.get("state")}


ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def engine_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """`urn:pulumi:STACK::PROJECT::Parent$...$Type::name`, as the engine computes it: a
    resource's type is prefixed by its parent's qualified type unless the parent is the root
    stack (pulumi/pulumi, resource.NewURN and the step generator's parent type)."""
    qualified = type_
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != ROOT_STACK_TYPE:
            qualified = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, plus a record of what each registration asked for."""

    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.recording_mocks = mocks
        self.recorded: list[RecordedResource] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN as the engine makes it: the type qualified by the whole chain of the
        parents' types (the root stack left out), not only the immediate parent's."""
        return engine_urn(pulumi.get_stack(), pulumi.get_project(), parent, type_, name)

    def Invoke(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        args = pulumi.runtime.rpc.deserialize_properties(request.args)
        if self.recording_mocks.known_at_deploy_only(request.tok, args):
            self.recording_mocks.invokes.append((request.tok, dict(args)))
            return resource_pb2.ResourceInvokeResponse(unknown=True)
        return super().Invoke(request)  # type: ignore[no-untyped-call]

    def _alias_urn(self, alias: Any, request: Any) -> str:
        """An alias as the URN the engine would look for in the state."""
        if alias.urn:
            return str(alias.urn)
        spec = alias.spec
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        return engine_urn(spec.stack or pulumi.get_stack(), spec.project or pulumi.get_project(),
                          parent, spec.type or request.type, spec.name or request.name)

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
                aliases=[self._alias_urn(alias, request) for alias in request.aliases],
                retain_on_delete=bool(request.retainOnDelete),
                replace_on_changes=list(request.replaceOnChanges),
            ))
        return response
