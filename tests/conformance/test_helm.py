"""The Helm harness renders and lints the vendored charts with Helm's own code, and reports
values keys the chart ignores, Helm's value warnings and render errors."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conformance.crds import Counter, validate
from tests.conformance.helm import render_release, vendored_chart

ROLE = "arn:aws:iam::123456789012:role/dev-vpc-cni"


def cni_values() -> dict[str, Any]:
    """Values of the shape the package gives the aws-vpc-cni chart (Helm CNI mode)."""
    image = {
        "region": "eu-west-1",
        "account": "602401143452",
        "domain": "amazonaws.com",
        "endpoint": "ecr",
    }
    return {
        "image": dict(image),
        "init": {"image": dict(image)},
        "nodeAgent": {"image": dict(image)},
        "env": {
            "ENABLE_PREFIX_DELEGATION": "true",
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true",
            "ENI_CONFIG_LABEL_DEF": "topology.kubernetes.io/zone",
            "WARM_PREFIX_TARGET": "1",
        },
        "enableNetworkPolicy": "false",
        "originalMatchLabels": True,
        "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": ROLE}},
    }


def render_cni(values: dict[str, Any], kube_version: str = "v1.35.0") -> Any:
    return render_release(
        "aws-vpc-cni",
        values,
        name="aws-vpc-cni",
        namespace="kube-system",
        kube_version=kube_version,
    )


def test_aws_vpc_cni_renders_known_good_values_without_problems() -> None:
    release = render_cni(cni_values())
    assert release.problems() == []
    assert (release.chart, release.chart_version) == ("aws-vpc-cni", "1.22.4")
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in release.objects)
    assert kinds == [
        ("ClusterRole", "aws-node"),
        ("ClusterRoleBinding", "aws-node"),
        ("ConfigMap", "amazon-vpc-cni"),
        ("DaemonSet", "aws-node"),
        ("ServiceAccount", "aws-node"),
    ]
    daemonset = release.get("DaemonSet", "aws-node")
    aws_node = daemonset["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in aws_node["env"]}
    assert env["ENABLE_PREFIX_DELEGATION"] == "true"
    assert aws_node["image"].startswith("602401143452.dkr.ecr.eu-west-1.amazonaws.com/")
    annotations = release.get("ServiceAccount", "aws-node")["metadata"]["annotations"]
    assert annotations == {"eks.amazonaws.com/role-arn": ROLE}
    assert [c["metadata"]["name"] for c in release.crds] == ["eniconfigs.crd.k8s.amazonaws.com"]


def test_an_unknown_values_key_is_flagged_and_a_free_form_one_is_not() -> None:
    values = cni_values()
    values["enableNetworkPolicyy"] = "true"  # misspelt: the chart never reads it
    values["image"]["tagg"] = "v1.22.4"
    values["env"]["SOME_NEW_SETTING"] = "1"  # not in values.yaml, but `env` is rendered whole
    values["nodeSelector"] = {"team": "platform"}
    release = render_cni(values)
    assert release.unknown_keys == ("enableNetworkPolicyy", "image.tagg")
    assert len(release.problems()) == 2
    assert "values key 'image.tagg' is not in the chart's values.yaml" in release.problems()[1]


def test_helm_value_warnings_and_render_errors_are_problems() -> None:
    karpenter = vendored_chart("karpenter", "1.14.1")
    settings = {"settings": {"clusterName": "dev", "interruptionQueue": "dev-karpenter"}}
    release = render_release(
        karpenter,
        {**settings, "controller": {"resources": "2 cpus"}},
        name="karpenter",
        namespace="kube-system",
    )
    assert release.warnings == (
        "warning: cannot overwrite table with non table for karpenter.controller.resources (map[])",
    )
    failed = render_release("karpenter", {}, name="karpenter", namespace="kube-system")
    assert failed.objects == ()
    assert failed.render_error is not None
    assert "Chart cannot be installed without a valid settings.clusterName" in failed.render_error


def test_the_kube_version_reaches_the_templates() -> None:
    settings = {"settings": {"clusterName": "dev"}}
    old = render_release(
        "karpenter", settings, name="karpenter", namespace="kube-system", kube_version="v1.20.0"
    )
    new = render_release("karpenter", settings, name="karpenter", namespace="kube-system")
    assert old.get("PodDisruptionBudget", "karpenter")["apiVersion"] == "policy/v1beta1"
    assert new.get("PodDisruptionBudget", "karpenter")["apiVersion"] == "policy/v1"


def test_karpenter_renders_and_its_crds_validate_their_own_examples(crd_counter: Counter) -> None:
    values = {
        "settings": {"clusterName": "dev", "interruptionQueue": "dev-karpenter"},
        "serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": ROLE}},
        "controller": {"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}},
    }
    release = render_release("karpenter", values, name="karpenter", namespace="kube-system")
    assert release.problems() == []
    deployment = release.get("Deployment", "karpenter")
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image.startswith("public.ecr.aws/karpenter/controller:1.14.1@sha256:")
    crd_names = sorted(c["metadata"]["name"] for c in release.crds)
    assert "nodepools.karpenter.sh" in crd_names
    for obj in release.objects:
        assert validate(obj, counter=crd_counter) == [
            f"{obj['apiVersion']}/{obj['kind']}: no vendored CRD for this kind"
        ]


def test_releases_are_rendered_once_per_session() -> None:
    first = render_cni(cni_values())
    start = time.perf_counter()
    again = render_cni(cni_values())
    assert again is first
    assert time.perf_counter() - start < 0.01
    print(f"aws-vpc-cni render {first.render_seconds * 1000:.1f} ms")


def test_charts_are_found_by_the_reference_a_release_uses() -> None:
    karpenter = vendored_chart("oci://public.ecr.aws/karpenter/karpenter", "1.14.1")
    assert karpenter == vendored_chart("karpenter")
    assert vendored_chart("eks/aws-vpc-cni", "v1.22.4").name == "aws-vpc-cni-1.22.4.tgz"
    with pytest.raises(LookupError, match=r"no vendored chart karpenter 1\.13\.0"):
        vendored_chart("karpenter", "1.13.0")
