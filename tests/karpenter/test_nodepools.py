"""NodePools and EC2NodeClasses: max pods from the calculator, split per max-pods class, and
manifests that use only the field names of Karpenter's v1 CRDs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from eks_platform.karpenter.nodepools import (
    ec2nodeclass_manifest,
    max_pods_classes,
    nodepool_manifest,
    plan_pools,
)
from eks_platform.karpenter.settings import NodePoolSettings
from eks_platform.nodes import maxpods

CNI = "1.19.2"
OPTIONS = {
    "prefix-delegation-off": maxpods.MaxPodsOptions(CNI),
    "prefix-delegation-on": maxpods.MaxPodsOptions(CNI, prefix_delegation=True),
    "custom-networking-on": maxpods.MaxPodsOptions(CNI, custom_networking=True),
}

# Field paths of the v1 CRDs in aws/karpenter-provider-aws v1.14.1,
# pkg/apis/crds/karpenter.sh_nodepools.yaml and karpenter.k8s.aws_ec2nodeclasses.yaml
# (`[]` marks list items; maps whose keys are free, like labels and tags, end the path).
NODEPOOL_FIELDS = {
    "spec.template", "spec.template.metadata", "spec.template.metadata.labels",
    "spec.template.metadata.annotations", "spec.template.spec",
    "spec.template.spec.nodeClassRef", "spec.template.spec.nodeClassRef.group",
    "spec.template.spec.nodeClassRef.kind", "spec.template.spec.nodeClassRef.name",
    "spec.template.spec.requirements", "spec.template.spec.requirements[].key",
    "spec.template.spec.requirements[].operator", "spec.template.spec.requirements[].values",
    "spec.template.spec.requirements[].minValues", "spec.template.spec.expireAfter",
    "spec.template.spec.terminationGracePeriod", "spec.template.spec.taints",
    "spec.template.spec.taints[].key", "spec.template.spec.taints[].value",
    "spec.template.spec.taints[].effect", "spec.template.spec.startupTaints",
    "spec.disruption", "spec.disruption.consolidationPolicy", "spec.disruption.consolidateAfter",
    "spec.disruption.budgets", "spec.disruption.budgets[].nodes",
    "spec.disruption.budgets[].schedule", "spec.disruption.budgets[].duration",
    "spec.disruption.budgets[].reasons", "spec.limits", "spec.weight", "spec.replicas",
}
NODEPOOL_FREE_MAPS = {"spec.template.metadata.labels", "spec.limits"}
EC2NODECLASS_FIELDS = {
    "spec.role", "spec.instanceProfile", "spec.amiFamily", "spec.amiSelectorTerms",
    "spec.amiSelectorTerms[].alias", "spec.amiSelectorTerms[].id", "spec.amiSelectorTerms[].tags",
    "spec.subnetSelectorTerms", "spec.subnetSelectorTerms[].id", "spec.subnetSelectorTerms[].tags",
    "spec.securityGroupSelectorTerms", "spec.securityGroupSelectorTerms[].id",
    "spec.securityGroupSelectorTerms[].name", "spec.securityGroupSelectorTerms[].tags",
    "spec.metadataOptions", "spec.metadataOptions.httpEndpoint",
    "spec.metadataOptions.httpProtocolIPv6", "spec.metadataOptions.httpPutResponseHopLimit",
    "spec.metadataOptions.httpTokens", "spec.blockDeviceMappings",
    "spec.blockDeviceMappings[].deviceName", "spec.blockDeviceMappings[].rootVolume",
    "spec.blockDeviceMappings[].ebs", "spec.blockDeviceMappings[].ebs.deleteOnTermination",
    "spec.blockDeviceMappings[].ebs.encrypted", "spec.blockDeviceMappings[].ebs.iops",
    "spec.blockDeviceMappings[].ebs.kmsKeyID", "spec.blockDeviceMappings[].ebs.throughput",
    "spec.blockDeviceMappings[].ebs.volumeSize", "spec.blockDeviceMappings[].ebs.volumeType",
    # kubelet: Karpenter's typed KubeletConfiguration fields (v1.0 to v1.14).
    "spec.kubelet", "spec.kubelet.maxPods", "spec.kubelet.podsPerCore",
    "spec.kubelet.kubeReserved", "spec.kubelet.systemReserved", "spec.kubelet.evictionHard",
    "spec.tags", "spec.userData", "spec.detailedMonitoring", "spec.associatePublicIPAddress",
}
EC2NODECLASS_FREE_MAPS = {"spec.amiSelectorTerms[].tags", "spec.subnetSelectorTerms[].tags",
                          "spec.securityGroupSelectorTerms[].tags", "spec.tags",
                          "spec.kubelet.kubeReserved"}
#: The keys the v1 CRD's CEL rule allows in kubelet.kubeReserved.
KUBE_RESERVED_KEYS = {"cpu", "memory", "ephemeral-storage", "pid"}
#: Enums of the same CRDs.
REQUIREMENT_OPERATORS = {"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"}
CONSOLIDATION_POLICIES = {"WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"}
VOLUME_TYPES = {"standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"}
#: Well-known labels (Kubernetes, and karpenter.sh/capacity-type of Karpenter's v1 docs).
WELL_KNOWN = {"node.kubernetes.io/instance-type", "kubernetes.io/arch",
              "karpenter.sh/capacity-type"}


def field_paths(value: Any, path: str, free: set[str]) -> Iterator[str]:
    if isinstance(value, dict) and path not in free:
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            yield child
            yield from field_paths(item, child, free)
    elif isinstance(value, list):
        for item in value:
            yield from field_paths(item, f"{path}[]", free)


def pool(**fields: Any) -> NodePoolSettings:
    return NodePoolSettings(name="general", **fields)


@pytest.mark.parametrize("mode", sorted(OPTIONS))
@pytest.mark.parametrize("fields", [
    {"instance_families": ["m5", "c6g"], "architectures": ["amd64", "arm64"]},
    {"instance_families": ["t3", "m6i"], "instance_sizes": ["large", "xlarge", "12xlarge"]},
    {"instance_types": ["t3.medium", "m5.large", "m5.24xlarge", "c5.9xlarge"]},
], ids=["families", "families-sizes", "types"])
def test_max_pods_is_the_calculator_minimum_over_each_pools_types(
    mode: str, fields: dict[str, Any]
) -> None:
    options = OPTIONS[mode]
    spec = pool(**fields)
    planned = plan_pools(spec, options)
    # Together the planned pools allow exactly the pool's types, each once.
    types = [t for p in planned for t in p.instance_types]
    assert sorted(types) == spec.allowed_types
    for p in planned:
        answers = {maxpods.max_pods(t, options) for t in p.instance_types}
        assert p.max_pods == min(answers)
        assert answers == {p.max_pods}  # split: no type is capped below what it holds
        nodeclass = ec2nodeclass_manifest(p, "dev", "node-role", {})
        assert nodeclass["spec"]["kubelet"]["maxPods"] == min(answers)
    assert len({p.max_pods for p in planned}) == len(planned)


@pytest.mark.parametrize("mode", sorted(OPTIONS))
def test_an_unsplit_pool_gets_the_node_group_minimum(mode: str) -> None:
    options = OPTIONS[mode]
    spec = pool(instance_families=["m5"], split_by_max_pods=False)
    [planned] = plan_pools(spec, options)
    assert planned.name == "general"
    assert planned.max_pods == maxpods.nodegroup_max_pods(spec.allowed_types, options)
    assert list(planned.instance_types) == spec.allowed_types


def test_a_pool_across_30_vcpus_splits_in_two_with_prefix_delegation() -> None:
    options = OPTIONS["prefix-delegation-on"]
    spec = pool(instance_types=["m5.large", "m5.xlarge", "m5.8xlarge", "m5.12xlarge"])
    small = [t for t in spec.instance_types if maxpods.lookup(t).vcpus <= 30]
    large = [t for t in spec.instance_types if maxpods.lookup(t).vcpus > 30]
    assert small and large
    planned = plan_pools(spec, options)
    assert [sorted(p.instance_types) for p in planned] == [sorted(small), sorted(large)]
    expected = [maxpods.nodegroup_max_pods(small, options),
                maxpods.nodegroup_max_pods(large, options)]
    assert [p.max_pods for p in planned] == expected
    assert [p.name for p in planned] == [f"general-{n}" for n in expected]
    for p in planned:
        [requirement] = [r for r in nodepool_manifest(p)["spec"]["template"]["spec"]
                         ["requirements"] if r["key"] == "node.kubernetes.io/instance-type"]
        assert requirement == {"key": "node.kubernetes.io/instance-type", "operator": "In",
                               "values": sorted(p.instance_types)}
        assert nodepool_manifest(p)["spec"]["template"]["spec"]["nodeClassRef"]["name"] == \
            ec2nodeclass_manifest(p, "dev", "role", {})["metadata"]["name"] == p.name


def test_classes_are_ordered_by_max_pods() -> None:
    classes = max_pods_classes(pool(instance_families=["m5"]), OPTIONS["prefix-delegation-off"])
    assert [c.max_pods for c in classes] == sorted({c.max_pods for c in classes})
    assert len(classes) > 2


def test_split_pools_share_the_limits_without_exceeding_them() -> None:
    spec = pool(instance_families=["m5"], limits={"cpu": 101, "memory": "1000Gi"})
    planned = plan_pools(spec, OPTIONS["prefix-delegation-off"])
    assert len(planned) > 2
    assert sum(int(p.limits["cpu"]) for p in planned) == 101
    assert sum(int(p.limits["memory"].removesuffix("Mi")) for p in planned) == 1000 * 1024
    cpus = [int(p.limits["cpu"]) for p in planned]
    assert max(cpus) - min(cpus) <= 1
    [whole] = plan_pools(spec.model_copy(update={"split_by_max_pods": False}),
                         OPTIONS["prefix-delegation-off"])
    assert nodepool_manifest(whole)["spec"]["limits"] == {"cpu": "101", "memory": "1000Gi"}


def test_limits_too_small_to_share_are_refused() -> None:
    spec = pool(instance_families=["m5"], limits={"cpu": 2})
    with pytest.raises(ValueError, match=r"NodePool 'general': limits.cpu 2 cannot be shared "
                                         r"by its \d+ max-pods classes"):
        plan_pools(spec, OPTIONS["prefix-delegation-off"])


@pytest.mark.parametrize("ami_family", ["al2023", "bottlerocket"])
def test_manifests_use_only_v1_crd_fields(ami_family: str) -> None:
    spec = pool(instance_families=["m6i"], ami_family=ami_family, capacity_types=["spot"],
                limits={"cpu": 64}, labels={"team": "web"}, weight=10,
                taints=[{"key": "dedicated", "value": "web", "effect": "NoSchedule"}],
                disruption={"budgets": [{"nodes": "0", "schedule": "0 9 * * 1-5",
                                         "duration": "8h", "reasons": ["Underutilized"]}]})
    for planned in plan_pools(spec, OPTIONS["prefix-delegation-on"]):
        nodepool = nodepool_manifest(planned)
        nodeclass = ec2nodeclass_manifest(planned, "dev", "dev-karpenter-node",
                                          {"environment": "dev"})
        assert (nodepool["apiVersion"], nodepool["kind"]) == ("karpenter.sh/v1", "NodePool")
        assert (nodeclass["apiVersion"], nodeclass["kind"]) == \
            ("karpenter.k8s.aws/v1", "EC2NodeClass")
        unknown = set(field_paths(nodepool["spec"], "spec", NODEPOOL_FREE_MAPS)) - NODEPOOL_FIELDS
        assert not unknown
        unknown = set(field_paths(nodeclass["spec"], "spec", EC2NODECLASS_FREE_MAPS)) \
            - EC2NODECLASS_FIELDS
        assert not unknown
        template = nodepool["spec"]["template"]["spec"]
        assert template["nodeClassRef"] == {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass",
                                            "name": nodeclass["metadata"]["name"]}
        for requirement in template["requirements"]:
            assert requirement["operator"] in REQUIREMENT_OPERATORS
            assert requirement["key"] in WELL_KNOWN
            assert requirement["values"]  # 'In' needs values (CRD rule)
        assert nodepool["spec"]["disruption"]["consolidationPolicy"] in CONSOLIDATION_POLICIES
        assert template["taints"] == [{"key": "dedicated", "value": "web", "effect": "NoSchedule"}]
        # required: amiSelectorTerms, subnet and security group terms; exactly one of role and
        # instanceProfile.
        class_spec = nodeclass["spec"]
        assert class_spec["amiSelectorTerms"] == [{"alias": f"{ami_family}@latest"}]
        assert class_spec["subnetSelectorTerms"] == [{"tags": {"karpenter.sh/discovery": "dev"}}]
        assert class_spec["securityGroupSelectorTerms"] == class_spec["subnetSelectorTerms"]
        assert class_spec["role"] == "dev-karpenter-node" and "instanceProfile" not in class_spec
        assert class_spec["metadataOptions"]["httpTokens"] == "required"
        assert class_spec["metadataOptions"]["httpPutResponseHopLimit"] == 1
        for device in class_spec["blockDeviceMappings"]:
            assert device["ebs"]["volumeType"] in VOLUME_TYPES
            assert (device["ebs"]["volumeType"], device["ebs"]["encrypted"]) == ("gp3", True)


@pytest.mark.parametrize("mode", sorted(OPTIONS))
def test_al2023_classes_reserve_memory_for_the_pods_their_kubelet_runs(mode: str) -> None:
    """Karpenter passes spec.kubelet to nodeadm as the NodeConfig drop-in and reserves nothing
    itself, and nodeadm sizes kube-reserved memory from the ENI-default max pods: the class
    must restate it as 11 * maxPods + 255 MiB (EKS AMI rule). Bottlerocket derives it from
    max-pods, so its classes carry none."""
    for family in ("al2023", "bottlerocket"):
        for planned in plan_pools(pool(instance_families=["m5"], ami_family=family),
                                  OPTIONS[mode]):
            kubelet = ec2nodeclass_manifest(planned, "dev", "node", {})["spec"]["kubelet"]
            if family == "bottlerocket":
                assert "kubeReserved" not in kubelet
                continue
            assert set(kubelet["kubeReserved"]) <= KUBE_RESERVED_KEYS
            assert kubelet["kubeReserved"] == {"memory": f"{11 * kubelet['maxPods'] + 255}Mi"}


def test_block_devices_follow_the_ami_family() -> None:
    def devices(ami_family: str) -> list[tuple[str, str]]:
        [planned, *_] = plan_pools(pool(instance_types=["m5.large"], ami_family=ami_family,
                                        disk_size_gib=80), OPTIONS["prefix-delegation-on"])
        mappings = ec2nodeclass_manifest(planned, "dev", "r", {})["spec"]["blockDeviceMappings"]
        return [(m["deviceName"], m["ebs"]["volumeSize"]) for m in mappings]

    assert devices("al2023") == [("/dev/xvda", "80Gi")]
    # Bottlerocket: OS volume on xvda (Karpenter's documented 4Gi), data on xvdb.
    assert devices("bottlerocket") == [("/dev/xvda", "4Gi"), ("/dev/xvdb", "80Gi")]


def test_tags_that_karpenter_owns_are_left_out_of_the_node_class() -> None:
    [planned] = plan_pools(pool(instance_types=["m5.large"]), OPTIONS["prefix-delegation-on"])
    tags = {"environment": "dev", "kubernetes.io/cluster/dev": "owned",
            "karpenter.sh/nodepool": "x", "eks:eks-cluster-name": "dev"}
    assert ec2nodeclass_manifest(planned, "dev", "r", tags)["spec"]["tags"] == {
        "environment": "dev", "eks-platform/node-pool": "general"}
