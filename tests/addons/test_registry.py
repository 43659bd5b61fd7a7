"""EKS add-on image registries: values from the AWS documentation, and table consistency.

The spot-check numbers are written out here as the EKS user guide ("View Amazon container
image registries for Amazon EKS add-ons") gives them, not read back from the module's table.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from eks_platform.addons.registry import (
    DEFAULT_ACCOUNT,
    KNOWN_REGIONS,
    OPT_IN_REGIONS,
    EcrRegistry,
    UnknownRegionError,
    dns_suffix,
    eks_registry,
    is_opt_in,
    partition_of,
)

# --- values AWS documents ------------------------------------------------------------------

@pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-3"])
def test_default_regions_use_the_shared_account(region: str) -> None:
    registry = eks_registry(region)
    assert registry.account == "602401143452"
    assert registry.region == region
    assert registry.domain == "amazonaws.com"
    assert registry.endpoint == "ecr"


@pytest.mark.parametrize(
    ("region", "account"),
    [
        ("af-south-1", "877085696533"),
        ("ap-east-1", "800184023465"),
        ("me-south-1", "558608220178"),
        ("eu-south-1", "590381155156"),
        ("ap-southeast-3", "296578399912"),
        ("il-central-1", "066635153087"),
        ("ca-west-1", "761377655185"),
        ("ap-southeast-5", "151610086707"),
        ("mx-central-1", "730335286997"),
    ],
)
def test_opt_in_regions_use_their_own_account(region: str, account: str) -> None:
    registry = eks_registry(region)
    assert registry.account == account
    assert registry.host == f"{account}.dkr.ecr.{region}.amazonaws.com"


def test_ap_east_2_registry_is_in_ap_east_2() -> None:
    # The EKS guide prints this host with "ap-east-1"; the registry is in ap-east-2.
    assert eks_registry("ap-east-2").host == "533267051163.dkr.ecr.ap-east-2.amazonaws.com"


@pytest.mark.parametrize(
    ("region", "account"),
    [("cn-north-1", "918309763551"), ("cn-northwest-1", "961992271922")],
)
def test_china_regions(region: str, account: str) -> None:
    registry = eks_registry(region)
    assert registry.account == account
    assert registry.domain == "amazonaws.com.cn"
    assert registry.host == f"{account}.dkr.ecr.{region}.amazonaws.com.cn"
    assert partition_of(region) == "aws-cn"
    assert not is_opt_in(region)


@pytest.mark.parametrize(
    ("region", "account"),
    [("us-gov-west-1", "013241004608"), ("us-gov-east-1", "151742754352")],
)
def test_govcloud_regions(region: str, account: str) -> None:
    registry = eks_registry(region)
    assert registry.account == account
    assert registry.domain == "amazonaws.com"
    assert partition_of(region) == "aws-us-gov"
    assert not is_opt_in(region)


def test_european_sovereign_cloud() -> None:
    registry = eks_registry("eusc-de-east-1")
    assert registry.host == "877088126301.dkr.ecr.eusc-de-east-1.amazonaws.eu"
    assert partition_of("eusc-de-east-1") == "aws-eusc"


# --- image references ----------------------------------------------------------------------

def test_vpc_cni_image_references() -> None:
    assert (
        eks_registry("us-west-2").image("amazon-k8s-cni", "v1.19.2-eksbuild.1")
        == "602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1"
    )
    assert (
        eks_registry("cn-northwest-1").image("amazon-k8s-cni-init", "v1.19.2")
        == "961992271922.dkr.ecr.cn-northwest-1.amazonaws.com.cn/amazon-k8s-cni-init:v1.19.2"
    )
    assert (
        eks_registry("af-south-1").image("amazon/aws-network-policy-agent", "v1.1.6")
        == "877085696533.dkr.ecr.af-south-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6"
    )


def test_endpoint_is_part_of_the_host() -> None:
    fips = EcrRegistry("602401143452", "us-east-1", "amazonaws.com", endpoint="ecr-fips")
    assert fips.host == "602401143452.dkr.ecr-fips.us-east-1.amazonaws.com"
    assert fips.image("eks/pause", "3.5") == f"{fips.host}/eks/pause:3.5"


@pytest.mark.parametrize(
    ("repository", "tag"),
    [("", "v1"), ("amazon-k8s-cni", ""), ("/amazon-k8s-cni", "v1"), ("amazon-k8s-cni:v1", "v1"),
     ("amazon-k8s-cni", "v1:v2")],
)
def test_image_rejects_malformed_parts(repository: str, tag: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        eks_registry("us-east-1").image(repository, tag)


@pytest.mark.parametrize("account", ["60240114345", "6024011434520", "60240114345x", ""])
def test_registry_rejects_malformed_account(account: str) -> None:
    with pytest.raises(ValueError, match="12 digits"):
        EcrRegistry(account, "us-east-1", "amazonaws.com")


def test_registry_is_frozen() -> None:
    registry = eks_registry("us-east-1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        registry.account = "000000000000"  # type: ignore[misc]


# --- unknown regions -----------------------------------------------------------------------

def test_unknown_region_suggests_close_matches() -> None:
    with pytest.raises(UnknownRegionError) as info:
        eks_registry("us-east-3")
    err = info.value
    assert isinstance(err, ValueError)
    assert err.region == "us-east-3"
    assert "us-east-1" in err.suggestions
    assert "us-east-2" in err.suggestions
    message = str(err)
    assert "\n" not in message
    assert "'us-east-3'" in message
    assert "'us-east-1'" in message
    assert f"{len(KNOWN_REGIONS)} regions known" in message


@pytest.mark.parametrize("region", ["me-west-1", "sa-west-1", "eu-west-4", "ap-southeast-9"])
def test_well_formed_but_unlisted_region_fails(region: str) -> None:
    # Must not fall back to the default account.
    assert partition_of(region) == "aws"
    with pytest.raises(UnknownRegionError):
        eks_registry(region)


def test_unknown_region_without_close_match() -> None:
    with pytest.raises(UnknownRegionError, match="no close match") as info:
        eks_registry("localhost")
    assert info.value.suggestions == ()


def test_case_typo_is_suggested_not_accepted() -> None:
    with pytest.raises(UnknownRegionError) as info:
        eks_registry("US-EAST-1")
    assert info.value.suggestions[0] == "us-east-1"


@pytest.mark.parametrize("region", ["", "us-iso-east-1", "us-east", "us_east_1", "us-east-1 "])
def test_partition_of_rejects_non_regions(region: str) -> None:
    with pytest.raises(ValueError, match="Region code"):
        partition_of(region)
    with pytest.raises(ValueError, match="Region code"):
        dns_suffix(region)


# --- table consistency ---------------------------------------------------------------------

def test_known_regions_sorted_and_unique() -> None:
    assert list(KNOWN_REGIONS) == sorted(set(KNOWN_REGIONS))
    assert list(OPT_IN_REGIONS) == sorted(set(OPT_IN_REGIONS))


@pytest.mark.parametrize("region", KNOWN_REGIONS)
def test_every_region_has_a_consistent_partition_and_domain(region: str) -> None:
    registry = eks_registry(region)
    assert re.fullmatch(r"\d{12}", registry.account)
    assert registry.region == region
    assert registry.domain == dns_suffix(region)
    if region.startswith("cn-"):
        assert partition_of(region) == "aws-cn"
        assert registry.domain == "amazonaws.com.cn"
        assert registry.host.endswith(".amazonaws.com.cn")
    elif region.startswith("us-gov-"):
        assert partition_of(region) == "aws-us-gov"
        assert registry.domain == "amazonaws.com"
    elif region.startswith("eusc-"):
        assert partition_of(region) == "aws-eusc"
        assert registry.domain == "amazonaws.eu"
    else:
        assert partition_of(region) == "aws"
        assert registry.domain == "amazonaws.com"
    assert registry.host == f"{registry.account}.dkr.ecr.{region}.{registry.domain}"


def test_opt_in_regions_are_known_and_commercial() -> None:
    assert set(OPT_IN_REGIONS) <= set(KNOWN_REGIONS)
    assert {r for r in KNOWN_REGIONS if is_opt_in(r)} == set(OPT_IN_REGIONS)
    assert all(partition_of(r) == "aws" for r in OPT_IN_REGIONS)


@pytest.mark.parametrize(
    "region", ["af-south-1", "ap-east-1", "me-south-1", "eu-south-1", "ap-southeast-3"],
)
def test_documented_opt_in_regions(region: str) -> None:
    assert is_opt_in(region)


@pytest.mark.parametrize("region", ["us-east-1", "eu-north-1", "ap-northeast-3", "sa-east-1"])
def test_regions_enabled_by_default(region: str) -> None:
    assert not is_opt_in(region)


def test_default_account_serves_exactly_the_default_commercial_regions() -> None:
    # The shared account serves the 17 commercial Regions enabled by default; every opt-in
    # Region, and every other partition, has an account of its own.
    default = {r for r in KNOWN_REGIONS if eks_registry(r).account == DEFAULT_ACCOUNT}
    assert DEFAULT_ACCOUNT == "602401143452"
    assert len(default) == 17
    assert default == {r for r in KNOWN_REGIONS if partition_of(r) == "aws" and not is_opt_in(r)}
    others = [eks_registry(r).account for r in KNOWN_REGIONS if r not in default]
    assert len(others) == len(set(others))


def test_table_agrees_with_sdk_partition_metadata() -> None:
    loaders = pytest.importorskip("botocore.loaders")
    partitions = loaders.Loader().load_data("partitions")["partitions"]
    by_region = {
        region: (p["id"], p["outputs"]["dnsSuffix"])
        for p in partitions
        for region in p["regions"]
    }
    for region in KNOWN_REGIONS:
        assert region in by_region, region
        assert by_region[region] == (partition_of(region), dns_suffix(region)), region
