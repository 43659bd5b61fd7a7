"""The upgrade guard: before anything is registered, refuse a version step EKS would refuse for
the running cluster (more than one minor up, or down), read through the aws provider's data
sources at preview; warn when the version leaves standard support soon."""

from __future__ import annotations

from contextvars import ContextVar

import pulumi
import pulumi_aws as aws

from eks_platform.cluster.judgment_day import judgment_day
from eks_platform.cluster.settings import ClusterSettings
from eks_platform.cluster.upgrade import guard_message
from eks_platform.facts.versions import judge


class UpgradeRefusedError(pulumi.RunError):
    """The stack asks for a version EKS cannot move the running cluster to. A `RunError`, so
    the Pulumi CLI shows the message alone, without a traceback."""


#: The running clusters this program run has described (name -> answer, None: not running).
_LIVE: ContextVar[dict[str, aws.eks.GetClusterResult | None] | None] = ContextVar(
    "eks_platform_live_clusters", default=None)


def live_cluster(cluster_name: str,
                 opts: pulumi.InvokeOptions | None = None) -> aws.eks.GetClusterResult | None:
    """The running cluster of that name as DescribeCluster answers it, None if there is none;
    asked once per run (the upgrade guard, access entries and node groups share it).

    ListClusters first (`get_clusters`): DescribeCluster of a missing name is an error, not
    an empty answer."""
    known = _LIVE.get()
    if known is None:
        known = {}
        _LIVE.set(known)
    if cluster_name not in known:
        running = cluster_name in (aws.eks.get_clusters(opts=opts).names or [])
        known[cluster_name] = (aws.eks.get_cluster(name=cluster_name, opts=opts) if running
                               else None)
    return known[cluster_name]


def live_version(cluster_name: str, opts: pulumi.InvokeOptions | None = None) -> str | None:
    """The Kubernetes version of the running cluster of that name, None if there is none."""
    found = live_cluster(cluster_name, opts)
    return None if found is None else found.version


def live_creator_entry(cluster_name: str,
                       opts: pulumi.InvokeOptions | None = None) -> bool | None:
    """Whether EKS made the running cluster's creator an access entry at creation
    (`bootstrapClusterCreatorAdminPermissions`, read-only afterwards); None: no such cluster."""
    found = live_cluster(cluster_name, opts)
    if found is None:
        return None
    configs = found.access_configs or []
    return bool(configs and configs[0].bootstrap_cluster_creator_admin_permissions)


#: Clusters whose version this program run has already checked (each run is its own context).
_GUARDED: ContextVar[frozenset[str]] = ContextVar("eks_platform_guarded", default=frozenset())


def upgrade_guard(settings: ClusterSettings, name: str,
                  opts: pulumi.InvokeOptions | None = None) -> None:
    """Refuse, before anything is registered, a version step EKS would refuse for the running
    cluster `name`; warn when the version leaves standard support soon. Once per cluster and
    run: `EksPlatform` calls it before its VPC, `EksCluster` before its own resources."""
    if name in _GUARDED.get():
        return
    day = judgment_day()
    refusal = guard_message(live_version(name, opts), settings.kubernetes_version, day,
                            settings.support_type)
    if refusal is not None:
        raise UpgradeRefusedError(f"upgrade guard of cluster {name}: {refusal}")
    for warning in judge(settings.kubernetes_version, day, settings.support_type).warnings:
        pulumi.log.warn(f"cluster {name}: {warning}")
    _GUARDED.set(_GUARDED.get() | {name})
