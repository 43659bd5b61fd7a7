"""Which settings model each provider component's args come from.

A component of the package is the Python component of the same name, built from inputs that
validate through that component's own Args model (the stack file's rules and messages).
Fields holding Python objects are left out or given as Pulumi inputs: a reference to another
component of this package (`cluster`), or subnet IDs another resource computes.
"""

from __future__ import annotations

from eks_platform.addons.component import EksAddonArgs
from eks_platform.addons.vpc_cni_helm import SelfManagedVpcCniArgs
from eks_platform.cluster.component import EksClusterArgs
from eks_platform.karpenter.component import KarpenterArgs
from eks_platform.nodes.fargate import FargateProfilesArgs
from eks_platform.nodes.nodegroup import ManagedNodeGroupArgs
from eks_platform.provider.generate import ArgsSpec
from eks_platform.stack import PlatformSettings

#: Annotation of a reference to another component of this package. The analyzer cannot name
#: a resource of the package it is analysing, so the schema property is rewritten to a
#: `#/resources/eks-platform:index:<Component>` reference (`host.REFERENCES`).
REFERENCE = "pulumi.Input[str]"
SUBNETS = "pulumi.Input[list[str]]"

CLUSTER = "The `EksCluster` of this package the component belongs to (a resource reference)."

#: Defaulted by the component from the program's config (`validate.with_region`).
REGION = frozenset({"region"})

SPECS = [
    ArgsSpec("EksPlatformInputs", PlatformSettings, optional=REGION),
    ArgsSpec("EksClusterInputs", EksClusterArgs, exclude=frozenset({"api_path"}),
             optional=REGION, annotations={"subnet_ids": SUBNETS}),
    ArgsSpec("ManagedNodeGroupInputs", ManagedNodeGroupArgs,
             annotations={"cluster": REFERENCE, "subnet_ids": SUBNETS},
             descriptions={"cluster": CLUSTER}),
    ArgsSpec("EksAddonInputs", EksAddonArgs, exclude=frozenset({"role"}),
             annotations={"cluster": REFERENCE}, descriptions={
                 "cluster": CLUSTER,
                 "addon_name": "The EKS add-on's name (e.g. `kube-proxy`)."}),
    ArgsSpec("SelfManagedVpcCniInputs", SelfManagedVpcCniArgs, exclude=frozenset({"role"}),
             annotations={"cluster": REFERENCE}, descriptions={
                 "cluster": "The `EksCluster` (with `cni.mode: helm`) the chart is installed "
                 "on (a resource reference)."}),
    ArgsSpec("FargateProfilesInputs", FargateProfilesArgs,
             annotations={"cluster": REFERENCE, "subnet_ids": SUBNETS},
             descriptions={"cluster": CLUSTER, "profiles": "The Fargate profiles (at least "
                           "one), sharing one pod execution role."}),
    ArgsSpec("KarpenterInputs", KarpenterArgs,
             annotations={"cluster": REFERENCE, "system_node_group": REFERENCE},
             descriptions={"cluster": CLUSTER, "system_node_group": (
                 "The `ManagedNodeGroup` of this package the controller runs on (a resource "
                 "reference): selected by its labels, its taints tolerated.")}),
]
