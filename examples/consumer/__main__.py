"""Consume an eks-platform stack's outputs: a team namespace with a quota, deployed through the
platform's exported kubeconfig (a secret, so it stays encrypted in this stack's state too)."""

import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
team = config.require("team")
platform = pulumi.StackReference(config.require("platformStack"))

provider = k8s.Provider("platform", kubeconfig=platform.require_output("kubeconfig"))
options = pulumi.ResourceOptions(provider=provider)

namespace = k8s.core.v1.Namespace(team, metadata=k8s.meta.v1.ObjectMetaArgs(
    name=team, labels={"team": team, "pod-security.kubernetes.io/enforce": "restricted"}),
    opts=options)
k8s.core.v1.ResourceQuota(f"{team}-quota", metadata=k8s.meta.v1.ObjectMetaArgs(
    name="default", namespace=namespace.metadata.name),
    spec=k8s.core.v1.ResourceQuotaSpecArgs(hard={"pods": "200", "requests.cpu": "40"}),
    opts=options)

pulumi.export("namespace", namespace.metadata.name)
pulumi.export("cluster", platform.require_output("clusterName"))
