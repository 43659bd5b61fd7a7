"""Add-on feature minimums: the versions AWS documents, compared the way versions compare."""

from __future__ import annotations

import pytest

from eks_platform.addons.features import (
    NETWORK_POLICY,
    POD_IDENTITY,
    PREFIX_DELEGATION,
    feature_problems,
    parse_version,
)


def test_documented_minimums() -> None:
    # Each boundary from the AWS source cited in FEATURE_MINIMUMS: the minimum passes, the
    # release just before it fails.
    assert feature_problems("vpc-cni", "v1.9.0-eksbuild.1", [PREFIX_DELEGATION]) == []
    assert feature_problems("vpc-cni", "v1.8.0-eksbuild.1", [PREFIX_DELEGATION]) == [
        "prefix delegation needs vpc-cni >= 1.9.0; the pinned version v1.8.0-eksbuild.1 is "
        "1.8.0"]
    assert feature_problems("vpc-cni", "v1.14.0-eksbuild.3", [NETWORK_POLICY]) == []
    assert feature_problems("vpc-cni", "v1.13.4-eksbuild.1", [NETWORK_POLICY]) == [
        "network policy needs vpc-cni >= 1.14.0; the pinned version v1.13.4-eksbuild.1 is "
        "1.13.4"]
    assert feature_problems("vpc-cni", "v1.15.5-eksbuild.1", [POD_IDENTITY]) == []
    assert feature_problems("vpc-cni", "v1.15.4-eksbuild.1", [POD_IDENTITY]) == [
        "Pod Identity needs vpc-cni >= 1.15.5; the pinned version v1.15.4-eksbuild.1 is 1.15.4"]
    assert feature_problems("aws-ebs-csi-driver", "v1.26.0-eksbuild.1", [POD_IDENTITY]) == []
    assert feature_problems("aws-ebs-csi-driver", "v1.25.0-eksbuild.1", [POD_IDENTITY]) == [
        "Pod Identity needs aws-ebs-csi-driver >= 1.26.0; the pinned version v1.25.0-eksbuild.1 "
        "is 1.25.0"]


def test_versions_compare_numerically_not_as_text() -> None:
    assert feature_problems("vpc-cni", "v1.10.0-eksbuild.1", [PREFIX_DELEGATION]) == []
    assert parse_version("v1.19.2-eksbuild.1") == (1, 19, 2)
    assert parse_version("1.22.4") == (1, 22, 4)  # an eks-charts aws-vpc-cni chart version


def test_every_problem_is_reported() -> None:
    assert feature_problems("vpc-cni", "v1.8.0-eksbuild.1",
                            [PREFIX_DELEGATION, NETWORK_POLICY, POD_IDENTITY]) == [
        "prefix delegation needs vpc-cni >= 1.9.0; the pinned version v1.8.0-eksbuild.1 is 1.8.0",
        "network policy needs vpc-cni >= 1.14.0; the pinned version v1.8.0-eksbuild.1 is 1.8.0",
        "Pod Identity needs vpc-cni >= 1.15.5; the pinned version v1.8.0-eksbuild.1 is 1.8.0",
    ]


def test_features_an_addon_has_no_minimum_for_are_ignored() -> None:
    assert feature_problems("coredns", "v1.0.0-eksbuild.1", [POD_IDENTITY]) == []
    assert feature_problems("aws-ebs-csi-driver", "v1.0.0-eksbuild.1", [NETWORK_POLICY]) == []


@pytest.mark.parametrize("version", ["latest", "1.19", "v1.19.2-build.1"])
def test_unparsable_versions_are_a_problem_only_when_a_feature_needs_checking(version: str) -> None:
    assert feature_problems("vpc-cni", version, [PREFIX_DELEGATION]) == [
        f"vpc-cni version {version!r} is not vX.Y.Z-eksbuild.N or X.Y.Z, so it cannot be "
        "checked for prefix delegation"]
    assert feature_problems("vpc-cni", version, []) == []
