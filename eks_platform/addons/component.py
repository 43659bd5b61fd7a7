"""EKS managed add-ons: version, conflict handling, configuration, IAM and place in the order.

The pure helpers decide what to ask for (which version, which `configurationValues`); the
component turns those answers into an `aws.eks.Addon` of its cluster.

Versions: `default` is what EKS itself installs on a new cluster of the Kubernetes version,
`latest` the newest compatible build, anything else a pinned `vX.Y.Z-eksbuild.N`.

Order: the DaemonSets that nodes need to become Ready (vpc-cni, kube-proxy, the pod identity
agent) are created before node groups and become ACTIVE without nodes; every other add-on
runs pods on nodes and waits for the cluster's node groups and Fargate profiles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws
from pydantic import Field, model_validator

from eks_platform.addons.cni import addon_configuration, to_json
from eks_platform.addons.features import POD_IDENTITY, feature_problems
from eks_platform.addons.namespaces import addon_namespace_error
from eks_platform.cluster.component import EksCluster
from eks_platform.cluster.service_account_role import ServiceAccountRole, vpc_cni_role
from eks_platform.component import ComponentArgs, EksComponent
from eks_platform.errors import FieldError
from eks_platform.stack import AddonSettings, CorednsSettings, KubeProxySettings

#: Add-ons whose DaemonSets nodes need before they become Ready.
POD_IDENTITY_AGENT = "eks-pod-identity-agent"
NODE_PREREQUISITES = frozenset({"vpc-cni", "kube-proxy", POD_IDENTITY_AGENT})


# --- pure: what to ask EKS for -----------------------------------------------------------------

def resolve_version_request(settings: AddonSettings) -> tuple[str | None, bool]:
    """`(pinned version, most_recent)`: a pinned version wins; otherwise ask EKS for its
    default (`most_recent=False`) or its newest compatible build (`most_recent=True`)."""
    pinned = settings.pinned_version
    if pinned is not None:
        return pinned, False
    return None, settings.version == "latest"


def coredns_configuration(settings: CorednsSettings, fargate_only: bool) -> dict[str, Any]:
    """coredns `configurationValues`. On a cluster with only Fargate, `computeType: Fargate`
    drops the `eks.amazonaws.com/compute-type: ec2` annotation that would keep the pods
    Pending forever (there is no EC2 node to run them)."""
    configuration: dict[str, Any] = {"replicaCount": settings.replica_count}
    if fargate_only:
        configuration["computeType"] = "Fargate"
    return configuration


def kube_proxy_configuration(settings: KubeProxySettings) -> dict[str, Any]:
    """kube-proxy `configurationValues`: the mode only when the stack chooses one, so EKS's
    default (iptables) is not frozen into the configuration."""
    return {"mode": settings.mode} if settings.mode is not None else {}


def configuration_values(configuration: Mapping[str, Any] | None) -> str | None:
    """Sorted JSON (stable previews), or None when there is nothing to configure so the input
    stays unset and EKS's own defaults apply."""
    return to_json(dict(configuration)) if configuration else None


# --- version lookup ----------------------------------------------------------------------------

def addon_version(
    addon_name: str,
    kubernetes_version: str,
    settings: AddonSettings,
    *,
    parent: pulumi.Resource | None = None,
) -> pulumi.Input[str]:
    """The add-on version to install.

    `default` is the version EKS itself installs for a new cluster of that Kubernetes version
    (the one AWS tested with it); `latest` is the newest compatible build. `default` is our
    default because it is what AWS validated and it changes only when the cluster version
    changes, so previews stay quiet. A pinned version is used as is, without a lookup.
    """
    pinned, most_recent = resolve_version_request(settings)
    if pinned is not None:
        return pinned
    lookup = aws.eks.get_addon_version_output(
        addon_name=addon_name,
        kubernetes_version=kubernetes_version,
        most_recent=most_recent,
        opts=pulumi.InvokeOutputOptions(parent=parent) if parent is not None else None,
    )
    return lookup.version


# --- one managed add-on ------------------------------------------------------------------------

#: The component type that holds aws-node's IAM role in each CNI mode.
CNI_COMPONENTS = {"managed": "eks-platform:addons:EksAddon",
                  "helm": "eks-platform:vpc_cni_helm:SelfManagedVpcCni"}


def sibling_urn(component: pulumi.Resource, other_type: str) -> pulumi.Output[str]:
    """The URN a component of `other_type` with the same name and parent has."""
    def swap(urn: str) -> str:
        head, qualified, name = urn.rsplit("::", 2)
        chain = qualified.rsplit("$", 1)
        return "::".join([head, "$".join([*chain[:-1], other_type]), name])

    return component.urn.apply(swap)


class EksAddonArgs(AddonSettings, ComponentArgs):
    """One managed add-on of `cluster`: the stack file's add-on settings (same rules, same
    messages), its name, configuration and IAM role."""

    cluster: EksCluster
    """Gives the cluster name, Kubernetes version, CNI declaration and the deploy order."""
    addon_name: str = Field(pattern=r"^[a-z0-9][a-z0-9-_]{0,99}$")
    """The EKS add-on name, as DescribeAddonVersions spells it (`vpc-cni`, `coredns`,
    `kube-proxy`, `eks-pod-identity-agent`, `aws-ebs-csi-driver`, ...)."""
    configuration: dict[str, Any] | None = None
    """`configurationValues`; None for vpc-cni: the cluster's CNI declaration."""
    role: ServiceAccountRole | None = None
    """The add-on's IAM role (IRSA or Pod Identity); None for vpc-cni: one as `cni.iam` says."""

    @model_validator(mode="after")
    def _namespace_allowed(self) -> EksAddonArgs:
        error = (addon_namespace_error(self.addon_name, self.namespace)
                 if self.namespace is not None else None)
        if error is not None:
            raise FieldError("namespace", self.namespace, error)
        return self

    @model_validator(mode="after")
    def _does_what_is_asked(self) -> EksAddonArgs:
        """A pinned version older than a feature asked of it (the cluster's CNI declaration,
        a Pod Identity role) is refused, as in a stack file."""
        version = self.pinned_version
        if version is None:
            return self
        features = list(self.cluster.args.cni_features) if self.addon_name == "vpc-cni" else []
        if self.role is not None and self.role.mode == "podIdentity":
            features.append(POD_IDENTITY)
        problems = feature_problems(self.addon_name, version, dict.fromkeys(features))
        if problems:
            raise FieldError("version", version, "; ".join(problems))
        return self


class EksAddon(EksComponent):
    """One EKS managed add-on at a resolved version, with its configuration and IAM."""

    addon: aws.eks.Addon
    """The `aws.eks.Addon`."""
    role: ServiceAccountRole | None
    """The add-on's IAM role, if it has one."""
    version: pulumi.Output[str]
    """The installed add-on version (pinned, or what EKS answered for default/latest)."""

    def __init__(
        self, name: str, args: EksAddonArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("eks-platform:addons:EksAddon", name, opts)
        cluster = args.cluster
        is_cni = args.addon_name == "vpc-cni"
        configuration = args.configuration
        self.role = args.role
        if is_cni:
            if configuration is None:
                configuration = addon_configuration(cluster.cni)
            if self.role is None:
                # aws-node's role moves to the Helm CNI and back with `cni.mode`: the alias
                # keeps it (and its attachments, which inherit it) instead of a new role.
                self.role = vpc_cni_role(name, cluster, opts=self.child_opts(aliases=[
                    pulumi.Alias(parent=sibling_urn(self, CNI_COMPONENTS["helm"]))]))
        role = self.role
        waits = self._waits_for(args, role, opts)
        pod_identity = None
        if role is not None and role.mode == "podIdentity":
            pod_identity = [aws.eks.AddonPodIdentityAssociationArgs(
                role_arn=role.arn, service_account=role.service_account)]
        self.addon = aws.eks.Addon(
            name,
            cluster_name=cluster.cluster_name,
            addon_name=args.addon_name,
            addon_version=addon_version(
                args.addon_name, cluster.kubernetes_version, args, parent=self),
            configuration_values=configuration_values(configuration),
            resolve_conflicts_on_create=args.resolve_conflicts_on_create,
            resolve_conflicts_on_update=args.resolve_conflicts_on_update,
            preserve=is_cni if args.preserve is None else args.preserve,
            service_account_role_arn=role.irsa_role_arn if role is not None else None,
            pod_identity_associations=pod_identity,
            namespace_config=(aws.eks.AddonNamespaceConfigArgs(namespace=args.namespace)
                              if args.namespace is not None else None),
            tags=dict(cluster.args.tags) or None,
            # EKS cannot move an add-on (UpdateAddon has no namespaceConfig): a new namespace
            # is a new add-on, and the preview says replace.
            opts=self.child_opts(depends_on=waits, replace_on_changes=["namespaceConfig"]),
        )
        self.version = self.addon.addon_version
        if is_cni:
            cluster.add_cni(self, args.pinned_version)
        elif args.addon_name == POD_IDENTITY_AGENT:
            cluster.add_pod_identity_agent(self)
        elif args.addon_name in NODE_PREREQUISITES:
            cluster.add_node_prerequisite(self)
        self.register_outputs({"version": self.version})

    @staticmethod
    def _waits_for(args: EksAddonArgs, role: ServiceAccountRole | None,
                   opts: pulumi.ResourceOptions | None) -> list[pulumi.Resource]:
        """vpc-cni waits for the pod identity agent (created before it) when it has a Pod
        Identity role, and for nothing else; add-ons that are not node prerequisites wait for
        the cluster's compute."""
        cluster = args.cluster
        agent = ([cluster.pod_identity_agent(f"add-on {args.addon_name}")]
                 if role is not None and role.mode == "podIdentity" else [])
        if args.addon_name == "vpc-cni":
            return agent
        if args.addon_name in NODE_PREREQUISITES:
            return []
        if not cluster.compute and (opts is None or opts.depends_on is None):
            raise ValueError(
                f"add-on {args.addon_name} runs pods on nodes: create it after the node groups "
                f"or Fargate profiles of cluster {cluster.args.name} (or give opts.depends_on)")
        return cluster.compute


def settings_fields(spec: AddonSettings) -> Mapping[str, Any]:
    """The fields every add-on shares (version, conflicts, preserve), for `EksAddonArgs`."""
    return spec.model_dump(include=set(AddonSettings.model_fields))
