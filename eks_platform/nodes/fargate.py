"""`FargateProfiles`: the pod execution role and one `aws.eks.FargateProfile` per profile."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
from pydantic import Field

from eks_platform.cluster import iam
from eks_platform.cluster.component import EksCluster
from eks_platform.component import ComponentArgs, EksComponent, StringList
from eks_platform.stack import FargateProfileSettings


class FargateProfilesArgs(ComponentArgs):
    """Fargate profiles of `cluster`, in its subnets unless told otherwise."""

    cluster: EksCluster
    """The cluster the profiles belong to; its subnets are the default, and coredns waits for
    the profiles."""
    profiles: list[FargateProfileSettings] = Field(min_length=1)
    """The profiles, at least one; created one after another, since EKS accepts one Fargate
    profile change at a time per cluster."""
    subnet_ids: StringList | None = None
    """Private subnets only (Fargate pods get no public IPs); None: the cluster's."""


class FargateProfiles(EksComponent):
    """Fargate profiles sharing one pod execution role. Fargate runs one pod per node."""

    profiles: dict[str, aws.eks.FargateProfile]

    def __init__(self, name: str, args: FargateProfilesArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:fargate:FargateProfiles", name, opts)
        cluster = args.cluster
        tags = dict(cluster.args.tags)
        subnet_ids = cluster.subnet_ids if args.subnet_ids is None else args.subnet_ids
        child = self.child_opts()
        role = aws.iam.Role(f"{name}-pods", assume_role_policy=cluster.cluster.arn.apply(
            iam.fargate_pod_trust_policy), tags=tags, opts=child)
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-pods", role=role.name,
            policy_arn=iam.policy_arn(iam.FARGATE_POLICY, cluster.region), opts=child)
        self.profiles = {}
        previous: list[pulumi.Resource] = [attachment]
        for profile in args.profiles:
            # EKS accepts one Fargate profile change at a time per cluster: chain them.
            created = aws.eks.FargateProfile(
                f"{name}-{profile.name}", cluster_name=cluster.cluster_name,
                fargate_profile_name=profile.name, pod_execution_role_arn=role.arn,
                subnet_ids=subnet_ids,
                selectors=[aws.eks.FargateProfileSelectorArgs(
                    namespace=s.namespace, labels=dict(s.labels) or None)
                    for s in profile.selectors],
                tags=tags,
                opts=self.child_opts(depends_on=previous))
            self.profiles[profile.name] = created
            previous = [created]
        cluster.add_compute(self)
        self.register_outputs({})
