"""Rendered user data, decoded as nodeadm and Bottlerocket would read it.

Expected reservations come from the documented rules (memory `11 * pods + 255` MiB; cpu 6% of
the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest; `1Gi` storage), and
from the kubelet's documented drop-in merge (map keys overridden one by one).
"""

from __future__ import annotations

import email
import tomllib
from typing import Any

import pytest
import yaml

from eks_platform.nodes import kubereserved
from eks_platform.nodes.maxpods import lookup
from eks_platform.nodes.userdata import KubeletSettings, ami_family, render_user_data

AL2023 = ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NVIDIA",
          "AL2023_ARM_64_NVIDIA", "AL2023_x86_64_NEURON"]
BOTTLEROCKET = ["BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64_FIPS",
                "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_NVIDIA",
                "BOTTLEROCKET_ARM_64_NVIDIA"]

#: kube-reserved cpu by vCPUs, worked by hand from the rule above (EKS AMI values).
CPU_MILLICORES = {1: 60, 2: 70, 4: 80, 8: 90, 16: 110, 48: 190, 96: 310}


def node_config(user_data: str) -> dict[str, Any]:
    """The one `application/node.eks.aws` part of the MIME message, parsed."""
    message = email.message_from_string(user_data)
    assert message.is_multipart()
    parts = [p for p in message.walk() if p.get_content_type() == "application/node.eks.aws"]
    assert len(parts) == 1
    document: dict[str, Any] = yaml.safe_load(str(parts[0].get_payload()))
    assert (document["apiVersion"], document["kind"]) == ("node.eks.aws/v1alpha1", "NodeConfig")
    return document


def nodeadm_default(vcpus: int, eni_max_pods: int) -> dict[str, str]:
    """What nodeadm writes before the drop-in: reserved for the ENI default's max pods."""
    return {"cpu": f"{CPU_MILLICORES[vcpus]}m", "ephemeral-storage": "1Gi",
            "memory": f"{11 * eni_max_pods + 255}Mi"}


def effective(vcpus: int, eni_max_pods: int, config: dict[str, Any]) -> dict[str, str]:
    """The kubelet's view: the drop-in's map keys override nodeadm's one by one."""
    return {**nodeadm_default(vcpus, eni_max_pods), **config.get("kubeReserved", {})}


@pytest.mark.parametrize("vcpus", sorted(CPU_MILLICORES))
def test_cpu_rule_matches_the_worked_values(vcpus: int) -> None:
    assert kubereserved.cpu_millicores(vcpus) == CPU_MILLICORES[vcpus]


@pytest.mark.parametrize("ami_type", AL2023)
@pytest.mark.parametrize(("instance_type", "pods"), [("m5.large", 110), ("m6g.large", 29),
                                                     ("g5.xlarge", 58), ("inf2.xlarge", 4)])
def test_al2023_reserves_for_the_pods_the_kubelet_runs(
    ami_type: str, instance_type: str, pods: int
) -> None:
    limits = lookup(instance_type)
    eni_default = limits.default_card_enis * (limits.ipv4_per_eni - 1) + 2
    config = node_config(render_user_data(
        ami_type, KubeletSettings.for_group(pods, [limits.vcpus])))["spec"]["kubelet"]["config"]
    assert config["maxPods"] == pods
    assert effective(limits.vcpus, eni_default, config) == {
        "cpu": f"{CPU_MILLICORES[limits.vcpus]}m", "ephemeral-storage": "1Gi",
        "memory": f"{11 * pods + 255}Mi"}


def test_m5_large_at_110_pods_reserves_1465_mib_not_nodeadms_574() -> None:
    config = node_config(render_user_data(
        "AL2023_x86_64_STANDARD", KubeletSettings.for_group(110, [2])))["spec"]["kubelet"]
    assert nodeadm_default(2, 29)["memory"] == "574Mi"
    assert effective(2, 29, config["config"])["memory"] == "1465Mi"
    assert "maxPodsExpression" not in config


def test_mixed_vcpus_restate_memory_only_so_each_node_keeps_its_cpu() -> None:
    config = node_config(render_user_data(
        "AL2023_x86_64_STANDARD", KubeletSettings.for_group(58, [2, 4])))
    reserved = config["spec"]["kubelet"]["config"]["kubeReserved"]
    assert reserved == {"memory": f"{11 * 58 + 255}Mi"}
    for vcpus, eni_default in ((2, 29), (4, 58)):
        assert effective(vcpus, eni_default, config["spec"]["kubelet"]["config"]) == {
            "cpu": f"{CPU_MILLICORES[vcpus]}m", "ephemeral-storage": "1Gi", "memory": "893Mi"}


def bottlerocket_memory(settings: dict[str, Any]) -> str:
    """Bottlerocket's kubelet template: `kube-reserved.memory` if set, else 11 * max-pods + 255."""
    kubernetes = settings["settings"]["kubernetes"]
    explicit = kubernetes.get("kube-reserved", {}).get("memory")
    return str(explicit) if explicit else f"{11 * kubernetes['max-pods'] + 255}Mi"


@pytest.mark.parametrize("ami_type", BOTTLEROCKET)
@pytest.mark.parametrize("pods", [4, 29, 110, 250])
def test_bottlerocket_max_pods_drive_its_reservation(ami_type: str, pods: int) -> None:
    settings = tomllib.loads(render_user_data(ami_type, KubeletSettings.for_group(pods, [2])))
    assert settings["settings"]["kubernetes"]["max-pods"] == pods
    assert bottlerocket_memory(settings) == f"{11 * pods + 255}Mi"


def test_every_shipped_ami_type_has_a_renderer() -> None:
    assert {ami_family(a) for a in AL2023} == {"al2023"}
    assert {ami_family(a) for a in BOTTLEROCKET} == {"bottlerocket"}
    with pytest.raises(ValueError, match="AL2_x86_64"):
        ami_family("AL2_x86_64")


@pytest.mark.parametrize(("pods", "vcpus"), [(0, [2]), (10, [0])])
def test_bad_kubelet_settings_are_rejected(pods: int, vcpus: list[int]) -> None:
    with pytest.raises(ValueError):
        KubeletSettings.for_group(pods, vcpus)
