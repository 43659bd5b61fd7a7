"""Turning EKS Auto Mode on or off on a running cluster: what EKS would refuse, found at
preview through the aws provider's data sources, before anything is registered.

* On: the add-ons the cluster runs must be at least the versions the guide lists for enabling
  Auto Mode on an existing cluster (automode/auto-enable-existing.adoc, "Required Add-on
  Versions"; `auto_mode_rules.auto_mode_addon_problems`).
* While on: `computeConfig.nodeRoleArn` cannot change (botocore ComputeConfigRequest
  .nodeRoleArn: "cannot be changed after the compute capability ... is enabled"); the provider
  would replace the whole cluster instead (terraform-provider-aws
  validateAutoModeComputeConfigCustomizeDiff, `facts/replacements.json`).
* Off: `cluster_inputs` sends the three switches false with no node pools
  (automode/auto-disable.adoc); nothing to check here.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from eks_platform.cluster.auto_mode import node_role_name
from eks_platform.cluster.auto_mode_rules import AUTO_MODE_ADDON_MINIMUMS, auto_mode_addon_problems
from eks_platform.cluster.settings import ClusterSettings


class AutoModeChangeRefusedError(pulumi.RunError):
    """A change of Auto Mode EKS would refuse; shown without a traceback."""


def auto_mode_change_problems(
    *, live_enabled: bool, live_node_role_arn: str | None, enabled: bool,
    node_role: str | None, kubernetes_version: str, installed: Mapping[str, str],
) -> list[str]:
    """What EKS refuses in this change of a running cluster's Auto Mode (pure)."""
    if not enabled:
        return []
    if not live_enabled:
        return auto_mode_addon_problems(kubernetes_version, installed)
    live_role = (live_node_role_arn or "").rsplit("/", 1)[-1] or None
    if live_role is not None and live_role != node_role:
        return [f"computeConfig.nodeRoleArn cannot change while Auto Mode is on (the cluster "
                f"has role {live_role}, the stack asks for {node_role or 'none'}); turn Auto "
                "Mode off first, or keep builtInNodePools as they are"]
    return []


def _installed(cluster_name: str, opts: pulumi.InvokeOptions | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for addon in [*AUTO_MODE_ADDON_MINIMUMS, "kube-proxy"]:
        try:  # not installed: DescribeAddon answers an error
            version = aws.eks.get_addon(addon_name=addon, cluster_name=cluster_name,
                                        opts=opts).addon_version
        except Exception:
            continue
        if version:
            found[addon] = version
    return found


def auto_mode_guard(settings: ClusterSettings, name: str,
                    opts: pulumi.InvokeOptions | None = None) -> None:
    """Refuse, before anything is registered, an Auto Mode change EKS would refuse for the
    running cluster `name` (none runs: nothing to check)."""
    auto = settings.auto_mode
    if auto is None or not auto.enabled:
        return
    if name not in (aws.eks.get_clusters(opts=opts).names or []):
        return
    live = aws.eks.get_cluster(name=name, opts=opts)
    compute = (getattr(live, "compute_configs", None) or [None])[0]
    live_enabled = bool(compute is not None and compute.enabled)
    problems = auto_mode_change_problems(
        live_enabled=live_enabled,
        live_node_role_arn=compute.node_role_arn if compute is not None else None,
        enabled=True,
        node_role=node_role_name(name) if auto.built_in_node_pools else None,
        kubernetes_version=settings.kubernetes_version,
        installed={} if live_enabled else _installed(name, opts))
    if problems:
        raise AutoModeChangeRefusedError(
            f"EKS Auto Mode on running cluster {name}: " + "; ".join(problems))
