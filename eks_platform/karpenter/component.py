"""`Karpenter`: the controller on the system node group, its IAM, the interruption queue, the
discovery tags, and EC2NodeClasses/NodePools whose kubelet max pods come from the cluster's
CNI declaration.

    CNI, kube-proxy, pod identity agent ─> karpenter-crd release ─┐
    system node group, coredns ───────────────────────────────────┤
    controller role + Pod Identity association, queue ────────────┴─> Helm release ─> EC2NodeClass
    node role + EC2_LINUX access entry, discovery tags ──────────────────────────────┴─> NodePool

NodePools wait for the release (its CRDs and the controller), so on destroy they go first,
while the controller still runs to drain and terminate the instances it launched.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from pydantic import field_validator

from eks_platform.cluster import iam as platform_iam
from eks_platform.cluster.auto_mode_stack import KARPENTER_BESIDE_AUTO_MODE, karpenter_refused
from eks_platform.cluster.component import EksCluster
from eks_platform.component import ComponentArgs, EksComponent
from eks_platform.karpenter import iam, interruption
from eks_platform.karpenter.nodepools import (
    DISCOVERY_TAG,
    NODECLASS_API,
    NODEPOOL_API,
    PlannedPool,
    ec2nodeclass_manifest,
    nodepool_manifest,
    plan_pools,
)
from eks_platform.karpenter.settings import (
    CHART,
    CRD_CHART,
    DEFAULT_NAMESPACE,
    KarpenterSpec,
    system_group_problem,
)
from eks_platform.karpenter.values import SERVICE_ACCOUNT, helm_values
from eks_platform.nodes.nodegroup import ManagedNodeGroup

RELEASE_NAME = "karpenter"
CRD_RELEASE_NAME = "karpenter-crd"


class KarpenterArgs(KarpenterSpec, ComponentArgs):
    """Karpenter for `cluster`: the stack file's `karpenter` block (same rules, same messages)
    plus the managed node group its controller runs on. The controller's credentials come
    through EKS Pod Identity, so the cluster needs the `eks-pod-identity-agent` add-on."""

    cluster: EksCluster
    """Gives the name, region, CNI declaration (max pods), provider and what nodes wait for."""
    system_node_group: ManagedNodeGroup
    """The managed group the controller runs on: selected by its labels, its taints
    tolerated; the controller waits for it."""
    discovery_subnet_ids: list[str] | None = None
    """Existing node subnets to tag `karpenter.sh/discovery` (one `aws.ec2.Tag` each). None:
    the cluster's subnets when they are plain IDs; the subnets of a `Vpc` carry the tag when
    it is created with `karpenter_discovery=True`."""

    cluster_dns: pulumi.Resource | None = None
    """The coredns add-on (or whatever serves cluster DNS): the controller's release waits for
    it, since the controller resolves AWS and Kubernetes endpoints through it."""

    @field_validator("cluster")
    @classmethod
    def _not_beside_auto_mode(cls, cluster: EksCluster) -> EksCluster:
        if karpenter_refused(cluster.args.auto_mode):
            raise ValueError(KARPENTER_BESIDE_AUTO_MODE)
        return cluster

    @field_validator("system_node_group")
    @classmethod
    def _can_host_the_controller(cls, group: ManagedNodeGroup) -> ManagedNodeGroup:
        problem = system_group_problem(group.args)
        if problem is not None:
            raise ValueError(problem)
        return group


def _pick(key: str) -> Callable[[dict[str, str]], str]:
    return lambda documents: documents[key]


class Karpenter(EksComponent):
    """Karpenter v1 with interruption handling and NodePools sized by the CNI declaration."""

    crd_release: k8s.helm.v3.Release
    """The `karpenter-crd` chart's release: the CRDs, upgraded with the chart version."""
    release: k8s.helm.v3.Release
    """The controller's Helm release (its chart's own copy of the CRDs skipped)."""
    controller_role: aws.iam.Role
    """The controller's IAM role, assumed through EKS Pod Identity."""
    pod_identity_association: aws.eks.PodIdentityAssociation
    """Binds the controller role to the `karpenter` service account."""
    node_role: aws.iam.Role
    """The role of the nodes Karpenter launches (it makes their instance profiles)."""
    access_entry: aws.eks.AccessEntry
    """EC2_LINUX access entry that lets the node role's nodes join the cluster."""
    queue: aws.sqs.Queue
    """The interruption queue that the EventBridge rules feed."""
    rules: dict[str, aws.cloudwatch.EventRule]
    """EventBridge rules by name suffix (`interruption.EVENT_PATTERNS`)."""
    planned: list[PlannedPool]
    """The NodePool/EC2NodeClass pairs, after splitting by max-pods class."""
    node_pools: dict[str, k8s.apiextensions.CustomResource]
    """NodePools by Kubernetes name."""
    node_classes: dict[str, k8s.apiextensions.CustomResource]
    """EC2NodeClasses by Kubernetes name (each NodePool has its own)."""

    def __init__(self, name: str, args: KarpenterArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("eks-platform:karpenter:Karpenter", name, opts)
        cluster = args.cluster
        cluster_name = cluster.args.name
        tags = dict(cluster.args.tags)
        child = self.child_opts()
        # Checked first: Karpenter's nodes need the CNI like any other node, and its
        # controller's credentials come through the pod identity agent.
        prerequisites = cluster.node_prerequisites
        cluster.pod_identity_agent("the Karpenter controller")

        self.node_role = aws.iam.Role(
            f"{name}-node", assume_role_policy=platform_iam.service_trust_policy(
                platform_iam.ec2_service(cluster.region)), tags=tags, opts=child)
        node_attachments = [
            aws.iam.RolePolicyAttachment(
                f"{name}-node-{platform_iam.policy_label(policy)}", role=self.node_role.name,
                policy_arn=platform_iam.policy_arn(policy, cluster.region), opts=child)
            for policy in iam.node_role_policies(cluster.cni.iam == "nodeRole", ssm=args.ssm)
        ]
        self.access_entry = aws.eks.AccessEntry(
            f"{name}-node", cluster_name=cluster.cluster_name,
            principal_arn=self.node_role.arn, type="EC2_LINUX", tags=tags, opts=child)

        self._interruption_queue(name, cluster_name, tags)
        controller_attachments = self._controller_role(name, args, tags)
        discovery = self._discovery_tags(name, args)

        system = args.system_node_group
        values = self.queue.name.apply(lambda queue: helm_values(
            cluster_name=cluster_name, interruption_queue=queue,
            system_labels=system.args.labels, system_taints=system.args.taints,
            custom_networking=cluster.cni.custom_networking))
        # The CRDs as their own release (Karpenter's upgrade guide): a chart's crds/ folder is
        # installed once and never upgraded, so a new chart version would keep old CRDs.
        create_namespace = args.namespace != DEFAULT_NAMESPACE
        self.crd_release = k8s.helm.v3.Release(
            f"{name}-crd",
            k8s.helm.v3.ReleaseArgs(
                name=CRD_RELEASE_NAME, chart=CRD_CHART, version=args.chart_version,
                namespace=args.namespace, create_namespace=create_namespace),
            opts=self.child_opts(provider=cluster.provider, depends_on=prerequisites))
        # The controller needs cluster DNS: it crash-loops until coredns runs.
        self.release = k8s.helm.v3.Release(
            name,
            k8s.helm.v3.ReleaseArgs(
                name=RELEASE_NAME, chart=CHART, version=args.chart_version,
                namespace=args.namespace, values=values, skip_crds=True),
            opts=self.child_opts(provider=cluster.provider, depends_on=[
                *prerequisites, system, self.pod_identity_association,
                *controller_attachments, self.crd_release,
                *([args.cluster_dns] if args.cluster_dns is not None else [])]),
        )

        self.planned = [planned for pool in args.node_pools
                        for planned in plan_pools(pool, cluster.max_pods_options())]
        self.node_classes, self.node_pools = {}, {}
        for planned in self.planned:
            self._node_pool(name, planned, cluster, tags,
                            [self.release, self.access_entry, *node_attachments, *discovery])
        self.register_outputs({"nodeRoleName": self.node_role.name,
                               "queueName": self.queue.name})

    def _interruption_queue(self, name: str, cluster_name: str, tags: dict[str, str]) -> None:
        child = self.child_opts()
        self.queue = aws.sqs.Queue(
            f"{name}-interruption", name=interruption.queue_name(cluster_name),
            message_retention_seconds=interruption.MESSAGE_RETENTION_SECONDS,
            sqs_managed_sse_enabled=interruption.SQS_MANAGED_SSE, tags=tags, opts=child)
        self.rules = {}
        for rule in interruption.EVENT_PATTERNS:
            created = aws.cloudwatch.EventRule(
                f"{name}-{rule}", name=interruption.rule_name(cluster_name, rule),
                event_pattern=interruption.event_pattern(rule), tags=tags, opts=child)
            aws.cloudwatch.EventTarget(f"{name}-{rule}", rule=created.name,
                                       arn=self.queue.arn, opts=child)
            self.rules[rule] = created
        arns = pulumi.Output.all(self.queue.arn, *(r.arn for r in self.rules.values()))
        aws.sqs.QueuePolicy(f"{name}-interruption", queue_url=self.queue.url,
                            policy=arns.apply(lambda a: interruption.queue_policy(a[0], a[1:])),
                            opts=child)

    def _controller_role(self, name: str, args: KarpenterArgs,
                         tags: dict[str, str]) -> list[pulumi.Resource]:
        """The Pod Identity role, trusted only by this cluster's `karpenter` service account,
        with Karpenter's six policy documents; returns what the controller waits for."""
        cluster = args.cluster
        child = self.child_opts()
        cluster_arn = cluster.cluster.arn
        self.controller_role = aws.iam.Role(
            f"{name}-controller",
            assume_role_policy=cluster_arn.apply(lambda arn: platform_iam.pod_identity_trust_policy(
                account_id=platform_iam.account_of(arn), cluster_arn=arn,
                namespace=args.namespace, service_account=SERVICE_ACCOUNT)),
            description=f"{args.namespace}/{SERVICE_ACCOUNT} (podIdentity)", tags=tags,
            opts=child)
        def policies(arns: list[str]) -> dict[str, str]:
            cluster_arn, node_role_arn, queue_arn = arns
            return iam.controller_policies(
                cluster_name=cluster.args.name, region=cluster.region,
                account_id=platform_iam.account_of(cluster_arn), node_role_arn=node_role_arn,
                queue_arn=queue_arn)

        documents = pulumi.Output.all(cluster_arn, self.node_role.arn, self.queue.arn).apply(
            policies)
        waits: list[pulumi.Resource] = []
        for suffix in iam.CONTROLLER_POLICY_NAMES:
            policy = aws.iam.Policy(
                f"{name}-{suffix}", description=f"Karpenter controller: {suffix}",
                policy=documents.apply(_pick(suffix)), tags=tags, opts=child)
            waits.append(aws.iam.RolePolicyAttachment(
                f"{name}-{suffix}", role=self.controller_role.name, policy_arn=policy.arn,
                opts=child))
        key_arn = cluster.node_volume_key_arn()
        if key_arn is not None:
            # Karpenter launches instances itself, not through EC2 Auto Scaling.
            key_policy = aws.iam.Policy(
                f"{name}-node-volume-key", description="Karpenter controller: node volume key",
                policy=pulumi.Output.all(key_arn, cluster_arn).apply(
                    lambda a: iam.node_volume_key_policy(
                        a[0], cluster.region, platform_iam.account_of(a[1]))),
                tags=tags, opts=child)
            waits.append(aws.iam.RolePolicyAttachment(
                f"{name}-node-volume-key", role=self.controller_role.name,
                policy_arn=key_policy.arn, opts=child))
        # EKS injects the role's credentials when a pod is admitted: the association must
        # exist before the controller's pods start.
        self.pod_identity_association = aws.eks.PodIdentityAssociation(
            f"{name}-controller", cluster_name=cluster.cluster_name, namespace=args.namespace,
            service_account=SERVICE_ACCOUNT, role_arn=self.controller_role.arn, tags=tags,
            opts=child)
        return waits

    def _discovery_tags(self, name: str, args: KarpenterArgs) -> list[pulumi.Resource]:
        """`karpenter.sh/discovery` on the node security group (the EKS-created cluster
        security group, the one managed nodes use) and on existing node subnets."""
        cluster = args.cluster
        child = self.child_opts()
        subnets = args.discovery_subnet_ids
        if subnets is None:
            ids = cluster.subnet_ids
            plain = isinstance(ids, list | tuple) and all(isinstance(i, str) for i in ids)
            subnets = list(ids) if plain else []  # type: ignore[arg-type]
        tagged: list[pulumi.Resource] = [aws.ec2.Tag(
            f"{name}-discovery-sg", resource_id=cluster.cluster_security_group_id,
            key=DISCOVERY_TAG, value=cluster.args.name, opts=child)]
        tagged += [aws.ec2.Tag(f"{name}-discovery-{subnet}", resource_id=subnet,
                               key=DISCOVERY_TAG, value=cluster.args.name, opts=child)
                   for subnet in subnets]
        return tagged

    def _node_pool(self, name: str, planned: PlannedPool, cluster: EksCluster,
                   tags: dict[str, str], waits: list[pulumi.Resource]) -> None:
        spec = pulumi.Output.all(self.node_role.name, cluster.node_volume_key_arn()).apply(
            lambda a: ec2nodeclass_manifest(planned, cluster.args.name, a[0], tags, a[1])["spec"])
        # A single-class pool was once named after the pool alone: the alias keeps the
        # Pulumi resource (the Kubernetes object is renamed once, see docs/day-2.md).
        single = planned.source.name != planned.name
        node_class = k8s.apiextensions.CustomResource(
            f"{name}-{planned.name}-class", api_version=NODECLASS_API, kind="EC2NodeClass",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=planned.name), spec=spec,
            opts=self.child_opts(provider=cluster.provider, depends_on=waits, aliases=[
                pulumi.Alias(name=f"{name}-{planned.source.name}-class")] if single else None))
        self.node_classes[planned.name] = node_class
        self.node_pools[planned.name] = k8s.apiextensions.CustomResource(
            f"{name}-{planned.name}", api_version=NODEPOOL_API, kind="NodePool",
            metadata=k8s.meta.v1.ObjectMetaArgs(name=planned.name),
            spec=nodepool_manifest(planned)["spec"],
            opts=self.child_opts(provider=cluster.provider,
                                 depends_on=[self.release, node_class], aliases=[
                                     pulumi.Alias(name=f"{name}-{planned.source.name}")]
                                 if single else None))
