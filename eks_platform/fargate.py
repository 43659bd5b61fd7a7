"""`FargateProfiles`: the pod execution role and one `aws.eks.FargateProfile` per profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from . import iam
from .settings import FargateProfileSettings


@dataclass(frozen=True)
class FargateProfilesArgs:
    cluster_name: pulumi.Input[str]
    region: str
    subnet_ids: pulumi.Input[Sequence[str]]
    """Private subnets only: Fargate pods get no public IPs."""
    profiles: Sequence[FargateProfileSettings]
    tags: Mapping[str, str] = field(default_factory=dict)


class FargateProfiles(pulumi.ComponentResource):
    """Fargate profiles sharing one pod execution role. Fargate runs one pod per node."""

    profiles: dict[str, aws.eks.FargateProfile]

    def __init__(self, name: str, args: FargateProfilesArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:fargate:FargateProfiles", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(f"{name}-pods", assume_role_policy=iam.service_trust_policy(
            "eks-fargate-pods.amazonaws.com"), tags=dict(args.tags), opts=child)
        attachment = aws.iam.RolePolicyAttachment(
            f"{name}-pods", role=role.name,
            policy_arn=iam.policy_arn(iam.FARGATE_POLICY, args.region), opts=child)
        self.profiles = {}
        previous: list[pulumi.Resource] = [attachment]
        for profile in args.profiles:
            # EKS accepts one Fargate profile change at a time per cluster: chain them.
            created = aws.eks.FargateProfile(
                f"{name}-{profile.name}", cluster_name=args.cluster_name,
                fargate_profile_name=profile.name, pod_execution_role_arn=role.arn,
                subnet_ids=args.subnet_ids,
                selectors=[aws.eks.FargateProfileSelectorArgs(
                    namespace=s.namespace, labels=dict(s.labels) or None)
                    for s in profile.selectors],
                tags=dict(args.tags),
                opts=pulumi.ResourceOptions(parent=self, depends_on=previous))
            self.profiles[profile.name] = created
            previous = [created]
        self.register_outputs({})
