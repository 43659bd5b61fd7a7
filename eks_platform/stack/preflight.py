"""Checks that need the account, run at preview before anything is created.

The offline plan cannot know what EKS and EC2 offer today in this account and region:
whether the Kubernetes version is still offered, whether each pinned add-on version exists
for it, and whether each instance type is offered in each chosen zone. The pure core
(`problems`) takes the API answers as data; the shell (`gather`) asks EKS
DescribeClusterVersions and DescribeAddonVersions and EC2 DescribeInstanceTypeOfferings
(by zone ID) through clients it is given. `check` runs both with the program's credentials
and region, and does nothing under Pulumi mocks (tests, the offline plan).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eks_platform.stack import PlatformSettings

#: How many available versions a message lists (newest first).
SHOWN_VERSIONS = 5


@dataclass(frozen=True, slots=True)
class PreflightRequest:
    """What a stack will ask AWS for."""

    region: str
    kubernetes_version: str
    #: Managed add-on name -> pinned `vX.Y.Z-eksbuild.N` (unpinned add-ons are not listed).
    addon_versions: Mapping[str, str] = field(default_factory=dict)
    instance_types: Collection[str] = ()
    #: Zone IDs the node groups will use (zone IDs, not names: names differ per account).
    zone_ids: Sequence[str] = ()
    #: Existing subnets (`subnetIds`): their zone IDs are asked of EC2 when `zone_ids` is empty.
    subnet_ids: Sequence[str] = ()
    #: `kmsKeyAdmins`: KMS ignores key-management rights given to another account's principals.
    key_admins: Sequence[str] = ()
    #: A customer key for node volumes names AWSServiceRoleForAutoScaling in its policy, and
    #: KMS refuses a policy that names a role that does not exist yet.
    needs_autoscaling_role: bool = False
    #: Karpenter pools that may launch spot instances: CreateFleet needs the EC2 Spot
    #: service-linked role, which Karpenter's controller policy may not create.
    spot_pools: Sequence[str] = ()


def request_for(settings: PlatformSettings, zone_ids: Sequence[str] = ()) -> PreflightRequest:
    """What a stack asks of AWS: its region and Kubernetes version, every pinned managed
    add-on it installs (`default`/`latest` are resolved by EKS and need no check), every node
    group's instance types, and the zones of its VPC (or its existing subnets)."""
    addons = settings.addons
    installed = {
        "vpc-cni": addons.vpc_cni if settings.cni.mode == "managed" else None,
        "kube-proxy": addons.kube_proxy,
        "coredns": addons.coredns,
        "eks-pod-identity-agent": (addons.pod_identity_agent
                                   if settings.pod_identity_agent_enabled else None),
        "aws-ebs-csi-driver": addons.ebs_csi_driver if addons.ebs_csi_driver.enabled else None,
    }
    pinned = {name: spec.pinned_version for name, spec in installed.items()
              if spec is not None and spec.pinned_version is not None}
    types = sorted({t for group in settings.node_groups for t in group.instance_types})
    return PreflightRequest(
        region=settings.region, kubernetes_version=settings.kubernetes_version,
        addon_versions=pinned, instance_types=types, zone_ids=tuple(zone_ids),
        subnet_ids=tuple(settings.subnet_ids or ()), key_admins=tuple(settings.kms_key_admins),
        needs_autoscaling_role=(settings.node_volume_kms_key == "customer"
                                and bool(settings.node_groups or settings.karpenter.enabled)),
        spot_pools=tuple(pool.name for pool in settings.karpenter.node_pools
                         if settings.karpenter.enabled and "spot" in pool.capacity_types))


@dataclass(frozen=True, slots=True)
class AwsAnswers:
    """What AWS said, reduced to what the checks compare against."""

    #: Kubernetes versions EKS offers in the region (standard or extended support).
    cluster_versions: Collection[str]
    #: Add-on name -> versions compatible with the request's Kubernetes version (newest
    #: first, as EKS lists them); an add-on EKS does not know is absent.
    addon_versions: Mapping[str, Sequence[str]]
    #: Instance type -> zone IDs that offer it (among the requested zones).
    offerings: Mapping[str, Collection[str]]
    #: The zones checked: the request's, or those of its existing subnets.
    zone_ids: Sequence[str] = ()
    #: The account the credentials belong to ("" when not asked).
    account_id: str = ""
    #: Whether the account has EC2 Auto Scaling's service-linked role (None: not asked).
    autoscaling_role: bool | None = None
    #: Whether the account has EC2 Spot's service-linked role (None: not asked).
    spot_role: bool | None = None


@dataclass(frozen=True, slots=True)
class Clients:
    """boto3 clients (or stubbed ones): `eks` and `ec2` of the stack's region; `sts` and `iam`
    for the account-wide checks (None: not checked)."""

    eks: Any
    ec2: Any
    sts: Any = None
    iam: Any = None


class PreflightError(Exception):
    """The stack asks for something AWS does not offer; the message lists every problem."""


def problems(request: PreflightRequest, answers: AwsAnswers) -> list[str]:
    """Every way `request` asks for something `answers` says is not there."""
    found: list[str] = []
    region, kubernetes = request.region, request.kubernetes_version
    if kubernetes not in answers.cluster_versions:
        offered = ", ".join(sorted(answers.cluster_versions, key=_version_key)) or "none"
        found.append(f"Kubernetes {kubernetes} is not offered by EKS in {region} "
                     f"(offered: {offered})")
    for addon, version in sorted(request.addon_versions.items()):
        available = answers.addon_versions.get(addon)
        if not available:
            found.append(f"add-on {addon} has no version for Kubernetes {kubernetes} in "
                         f"{region}")
        elif version not in available:
            newest = ", ".join(available[:SHOWN_VERSIONS])
            found.append(f"add-on {addon} {version} is not available for Kubernetes "
                         f"{kubernetes} in {region} (newest: {newest})")
    for instance_type in sorted(request.instance_types):
        offered_in = answers.offerings.get(instance_type, ())
        missing = [z for z in (request.zone_ids or answers.zone_ids) if z not in offered_in]
        if missing:
            found.append(f"instance type {instance_type} is not offered in zone "
                         f"{', '.join(missing)} of {region}")
    if answers.account_id:
        foreign = [a for a in request.key_admins if a.split(":")[4] != answers.account_id]
        if foreign:
            found.append(f"kmsKeyAdmins {', '.join(foreign)} are not in account "
                         f"{answers.account_id}: KMS ignores key-management permissions given "
                         "to another account's principals; name a role of this account")
    if request.needs_autoscaling_role and answers.autoscaling_role is False:
        found.append("the node-volume key's policy names AWSServiceRoleForAutoScaling, which "
                     "this account does not have yet: run `aws iam create-service-linked-role "
                     "--aws-service-name autoscaling.amazonaws.com` once (or set "
                     "nodeVolumeKmsKey: awsManaged)")
    if request.spot_pools and answers.spot_role is False:
        found.append(f"Karpenter pool(s) {', '.join(request.spot_pools)} launch spot instances, "
                     f"which needs the service-linked role {SPOT_ROLE} that this account does "
                     "not have yet (CreateFleet fails with AuthFailure.ServiceLinkedRoleCreation"
                     "NotPermitted): run `aws iam create-service-linked-role "
                     "--aws-service-name spot.amazonaws.com` once")
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def gather(request: PreflightRequest, clients: Clients) -> AwsAnswers:
    """Ask EKS and EC2 only what the request needs (paginated)."""
    versions = [
        v["clusterVersion"]
        for page in clients.eks.get_paginator("describe_cluster_versions").paginate()
        for v in page.get("clusterVersions", [])
        if v.get("versionStatus", v.get("status", "")).upper() != "UNSUPPORTED"
    ]
    addons: dict[str, list[str]] = {}
    for addon in sorted(request.addon_versions):
        pages = clients.eks.get_paginator("describe_addon_versions").paginate(
            addonName=addon, kubernetesVersion=request.kubernetes_version)
        for page in pages:
            for info in page.get("addons", []):
                addons.setdefault(info["addonName"], []).extend(
                    v["addonVersion"] for v in info.get("addonVersions", []))
    zone_ids = list(request.zone_ids)
    if not zone_ids and request.subnet_ids and request.instance_types:
        subnets = clients.ec2.describe_subnets(SubnetIds=list(request.subnet_ids))["Subnets"]
        zone_ids = sorted({subnet["AvailabilityZoneId"] for subnet in subnets})
    offerings: dict[str, set[str]] = {}
    if request.instance_types and zone_ids:
        pages = clients.ec2.get_paginator("describe_instance_type_offerings").paginate(
            LocationType="availability-zone-id",
            Filters=[{"Name": "instance-type", "Values": sorted(request.instance_types)},
                     {"Name": "location", "Values": zone_ids}])
        for page in pages:
            for offer in page.get("InstanceTypeOfferings", []):
                offerings.setdefault(offer["InstanceType"], set()).add(offer["Location"])
    account = ""
    if clients.sts is not None and request.key_admins:
        account = clients.sts.get_caller_identity()["Account"]
    autoscaling_role = None
    if clients.iam is not None and request.needs_autoscaling_role:
        autoscaling_role = _role_exists(clients.iam, AUTOSCALING_ROLE)
    spot_role = None
    if clients.iam is not None and request.spot_pools:
        spot_role = _role_exists(clients.iam, SPOT_ROLE)
    return AwsAnswers(versions, addons, offerings, zone_ids, account, autoscaling_role,
                      spot_role)


AUTOSCALING_ROLE = "AWSServiceRoleForAutoScaling"
SPOT_ROLE = "AWSServiceRoleForEC2Spot"


def _role_exists(iam: Any, name: str) -> bool:
    try:
        iam.get_role(RoleName=name)
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def run_preflight(request: PreflightRequest, clients: Clients) -> list[str]:
    """The problems of `request` against what AWS answers; an unanswered call is a problem."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answers = gather(request, clients)
    except (BotoCoreError, ClientError) as error:
        return [f"preflight could not ask AWS in {request.region}: {error}"]
    return problems(request, answers)


def message(found: Sequence[str]) -> str:
    """One message for every problem, ready for `pulumi.RunError`."""
    lines = "\n".join(f"  - {p}" for p in found)
    count = f"{len(found)} problem{'' if len(found) == 1 else 's'}"
    return f"preflight: AWS would refuse this stack ({count}):\n{lines}"


def under_mocks() -> bool:
    """True when the program runs under `pulumi.runtime.set_mocks` (tests, offline plan)."""
    from pulumi.runtime import settings
    from pulumi.runtime.mocks import MockMonitor

    return isinstance(settings.get_monitor(), MockMonitor)


def default_clients(region: str, profile: str | None = None) -> Clients:
    """boto3 clients in the stack's region with the credentials the aws provider uses: the
    default chain, or the stack's `aws:profile` when it sets one."""
    import boto3

    session = boto3.Session(region_name=region, profile_name=profile)
    return Clients(eks=session.client("eks"), ec2=session.client("ec2"),
                   sts=session.client("sts"), iam=session.client("iam"))


def check(request: PreflightRequest, clients: Clients | None = None) -> None:
    """Raise `PreflightError` with every problem; skipped under mocks."""
    if clients is None:
        if under_mocks():
            return
        clients = default_clients(request.region)
    found = run_preflight(request, clients)
    if found:
        raise PreflightError(message(found))
