"""Auto Mode and hybrid nodes against the rest of a stack file: what Auto Mode makes
redundant is refused with the reason, Karpenter beside it needs a declared migration, and
remote networks must not overlap the VPC the stack creates.

Sources: EKS user guide workloads/eks-add-ons.adoc ("Considerations for Amazon EKS Auto
Mode": vpc-cni, kube-proxy, CoreDNS, EBS CSI and the pod identity agent are redundant on Auto
Mode compute, needed again beside managed node groups or Fargate), automode/auto-networking.adoc
("Configuration options for the previous AWS VPC CNI will not apply to EKS Auto Mode"),
automode/auto-migrate-karpenter.adoc (both run while workloads move).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eks_platform.cluster.auto_mode import (
    AutoModeSettings,
    default_service_cidr,
    hybrid_overlap_problem,
)
from eks_platform.cluster.auto_mode_rules import auto_mode_addon_problems
from eks_platform.errors import FieldError

if TYPE_CHECKING:
    from eks_platform.stack.settings import PlatformSettings

_ALL_AUTO = ("on a cluster whose compute is all Auto Mode (no nodeGroups), which runs "
             "{what} itself (EKS user guide, eks-add-ons: Considerations for Amazon EKS Auto "
             "Mode); remove the key, or add a managed node group that needs it")


KARPENTER_BESIDE_AUTO_MODE = (
    "self-managed Karpenter beside EKS Auto Mode (which runs Karpenter itself) is refused "
    "unless autoMode.migratingFromKarpenter: true declares a migration (EKS user guide, "
    "auto-migrate-karpenter)")


def karpenter_refused(auto: AutoModeSettings | None) -> bool:
    """Whether Karpenter beside this Auto Mode setting needs a declared migration first."""
    return auto is not None and auto.enabled and not auto.migrating_from_karpenter


def all_auto_mode(settings: PlatformSettings) -> bool:
    """Auto Mode on and no managed node group (Fargate aside)."""
    return settings.auto_mode_on and not settings.node_groups


#: What Auto Mode runs itself on its nodes (G_ADDONS, "Considerations for Amazon EKS Auto Mode").
AUTO_MODE_RUNS = frozenset({"vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent",
                            "aws-ebs-csi-driver"})


def left_out_addons(settings: PlatformSettings) -> frozenset[str]:
    """The node add-ons this stack leaves to Auto Mode: all of AUTO_MODE_RUNS when its compute
    is all Auto Mode, but CoreDNS for Fargate, and for hybrid nodes kube-proxy (and CoreDNS
    when `addons.coredns` asks for it), which run there (hybrid-nodes-add-ons.adoc)."""
    if not all_auto_mode(settings):
        return frozenset()
    kept = set()
    if settings.fargate_profiles:
        kept.add("coredns")
    if settings.hybrid_nodes is not None:
        kept.add("kube-proxy")
        if "coredns" in settings.addons.model_fields_set:
            kept.add("coredns")
    return AUTO_MODE_RUNS - kept


def check_auto_mode_stack(settings: PlatformSettings) -> None:
    """Raise a FieldError naming the first key Auto Mode refuses in this stack."""
    if settings.hybrid_nodes is not None and settings.subnet_ids is None and settings.vpc:
        cidrs = [str(settings.vpc.cidr)]
        if settings.vpc.pod_cidr is not None:
            cidrs.append(str(settings.vpc.pod_cidr))
        problem = hybrid_overlap_problem(settings.hybrid_nodes, cidrs,
                                         default_service_cidr(cidrs[0]))
        if problem is not None:
            raise FieldError("hybridNodes", settings.hybrid_nodes.model_dump(by_alias=True),
                             problem)
    auto = settings.auto_mode
    if auto is None or not auto.enabled:
        return
    if settings.karpenter.enabled and karpenter_refused(auto):
        raise FieldError(("karpenter", "enabled"), True, KARPENTER_BESIDE_AUTO_MODE)
    _pinned_addons_meet_minimums(settings)
    if not all_auto_mode(settings):
        return
    cni, addons = settings.cni, settings.addons
    if cni.mode == "helm":
        raise FieldError(("cni", "mode"), "helm", "the Helm VPC CNI is refused " +
                         _ALL_AUTO.format(what="pod networking"))
    if addons.vpc_cni is not None:
        raise FieldError(("addons", "vpcCni"), addons.vpc_cni.model_dump(by_alias=True),
                         "the vpc-cni add-on is refused " + _ALL_AUTO.format(
                             what="pod networking"))
    for field in sorted(cni.model_fields_set):
        key = "".join(w.capitalize() if i else w for i, w in enumerate(field.split("_")))
        raise FieldError(("cni", key), getattr(cni, field),
                         "VPC CNI settings do not apply to EKS Auto Mode's own networking (EKS "
                         "user guide, auto-networking), and this cluster's compute is all Auto "
                         "Mode (no nodeGroups): remove the key, or add a managed node group "
                         "that needs it")
    left_out = left_out_addons(settings)
    redundant = {"kubeProxy": ("kube_proxy", "kube-proxy", None),
                 "podIdentityAgent": ("pod_identity_agent", "the pod identity agent", True),
                 "ebsCsiDriver": ("ebs_csi_driver", "block storage", True)}
    for key, (field, what, enabled) in redundant.items():
        spec = getattr(addons, field)
        if key == "kubeProxy" and "kube-proxy" not in left_out:
            continue
        asked = (field in addons.model_fields_set if enabled is None
                 else getattr(spec, "enabled", False) is True)
        if asked:
            raise FieldError(("addons", key), spec.model_dump(by_alias=True),
                             f"addons.{key} is refused " + _ALL_AUTO.format(what=what))
    if "coredns" in addons.model_fields_set and "coredns" in left_out:
        raise FieldError(("addons", "coredns"), addons.coredns.model_dump(by_alias=True),
                         "addons.coredns is refused " + _ALL_AUTO.format(what="cluster DNS"))


def _pinned_addons_meet_minimums(settings: PlatformSettings) -> None:
    """Pinned add-on versions at least those the guide requires beside Auto Mode
    (auto-enable-existing.adoc); the preview checks the running cluster's (auto_mode_guard)."""
    addons = settings.addons
    pinned = {("vpcCni", "vpc-cni"): addons.vpc_cni,
              ("kubeProxy", "kube-proxy"): addons.kube_proxy,
              ("podIdentityAgent", "eks-pod-identity-agent"): addons.pod_identity_agent,
              ("ebsCsiDriver", "aws-ebs-csi-driver"): addons.ebs_csi_driver}
    for (key, name), spec in pinned.items():
        version = spec.pinned_version if spec is not None else None
        if version is None:
            continue
        problems = auto_mode_addon_problems(settings.kubernetes_version, {name: version})
        if problems:
            raise FieldError(("addons", key, "version"), version, problems[0])
