"""Instance types against AMI types: the EKS user guide's rules over EC2's own data."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, get_args

import pytest

from eks_platform.nodes.amitypes import (
    AMI_TYPES,
    ami_fit_problems,
    check_ami_fit,
    default_ami_type,
    fitting_ami_types,
)
from eks_platform.nodes.maxpods import lookup
from eks_platform.nodes.maxpods.live import get_instance_type_answer, limits_from_get_instance_type
from eks_platform.stack import NodeAmiType

X86 = ["AL2023_x86_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_x86_64_FIPS"]
ARM = ["AL2023_ARM_64_STANDARD", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_ARM_64_FIPS"]
X86_NVIDIA = ["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"]
ARM_NVIDIA = ["AL2023_ARM_64_NVIDIA", "BOTTLEROCKET_ARM_64_NVIDIA"]


def test_every_settings_ami_type_has_traits() -> None:
    assert set(AMI_TYPES) == set(get_args(NodeAmiType))


@pytest.mark.parametrize(
    ("instance_type", "fitting"),
    [("m5.large", X86), ("m6g.large", ARM), ("c7g.xlarge", ARM), ("g5.xlarge", X86_NVIDIA),
     ("p5.48xlarge", X86_NVIDIA), ("g5g.xlarge", ARM_NVIDIA),
     ("inf2.xlarge", ["AL2023_x86_64_NEURON"]), ("trn1.2xlarge", ["AL2023_x86_64_NEURON"]),
     ("mac1.metal", []), ("mac2.metal", []),
     ("a1.large", ["BOTTLEROCKET_ARM_64", "BOTTLEROCKET_ARM_64_FIPS"])],
)
def test_fitting_ami_types(instance_type: str, fitting: list[str]) -> None:
    assert fitting_ami_types([lookup(instance_type)]) == fitting


@pytest.mark.parametrize(
    ("types", "expected"),
    [(["m5.large"], "AL2023_x86_64_STANDARD"), (["m6g.large", "m7g.large"],
                                                 "AL2023_ARM_64_STANDARD"),
     (["g5.xlarge"], "AL2023_x86_64_NVIDIA"), (["g5g.xlarge"], "AL2023_ARM_64_NVIDIA"),
     (["inf2.xlarge"], "AL2023_x86_64_NEURON"), (["trn1.2xlarge"], "AL2023_x86_64_NEURON")],
)
def test_default_ami_type_follows_the_instance_types(types: list[str], expected: str) -> None:
    limits = [lookup(t) for t in types]
    assert default_ami_type(limits) == expected
    assert check_ami_fit(types, expected) == []


def test_default_ami_type_needs_a_type() -> None:
    with pytest.raises(ValueError, match="at least one instance type"):
        default_ami_type([])


FIT = "AMI types that fit: "


@pytest.mark.parametrize(
    ("types", "ami_type", "message"),
    [
        (["m6g.large"], "AL2023_x86_64_STANDARD",
         "instance types m6g.large are arm64, AMI type AL2023_x86_64_STANDARD is x86_64; "
         + FIT + ", ".join(ARM)),
        (["m5.large", "c5.large"], "BOTTLEROCKET_ARM_64",
         "instance types m5.large, c5.large are x86_64, AMI type BOTTLEROCKET_ARM_64 is arm64; "
         + FIT + ", ".join(X86)),
        (["g5.xlarge"], "AL2023_x86_64_STANDARD",
         "instance types g5.xlarge have NVIDIA GPUs, which AMI type AL2023_x86_64_STANDARD has "
         "no drivers for: use an NVIDIA AMI type; " + FIT + ", ".join(X86_NVIDIA)),
        (["g5.xlarge", "m5.large"], "AL2023_x86_64_NVIDIA",
         "AMI type AL2023_x86_64_NVIDIA needs NVIDIA GPUs, but instance types m5.large have "
         "none; " + FIT + ", ".join(X86)),
        (["m5.large"], "AL2023_x86_64_NEURON",
         "AMI type AL2023_x86_64_NEURON needs Neuron devices (Inferentia/Trainium), but "
         "instance types m5.large have none; " + FIT + ", ".join(X86)),
        (["inf2.xlarge"], "BOTTLEROCKET_x86_64",
         "instance types inf2.xlarge have Neuron devices (Inferentia/Trainium), which AMI type "
         "BOTTLEROCKET_x86_64 has no drivers for: use a Neuron AMI type; "
         + FIT + "AL2023_x86_64_NEURON"),
        (["mac1.metal", "m5.large"], "AL2023_x86_64_STANDARD",
         "instance types mac1.metal cannot run AMI type AL2023_x86_64_STANDARD: EKS has no AMI "
         "for Mac instances; no AMI type fits them"),
        (["a1.large"], "AL2023_ARM_64_STANDARD",
         "instance types a1.large cannot run AMI type AL2023_ARM_64_STANDARD: AL2023 supports "
         "Graviton2 or later only, not a1; " + FIT + "BOTTLEROCKET_ARM_64, "
         "BOTTLEROCKET_ARM_64_FIPS"),
    ],
)
def test_each_mismatch_is_one_clear_message(types: list[str], ami_type: str,
                                             message: str) -> None:
    assert check_ami_fit(types, ami_type) == [message]


def test_mixed_architectures_name_each_side_and_what_fits_it() -> None:
    [problem] = check_ami_fit(["m6g.large", "m5.large"], "AL2023_x86_64_STANDARD")
    assert problem == (
        "instance types mix architectures (arm64: m6g.large, " + FIT + ", ".join(ARM)
        + "; x86_64: m5.large, " + FIT + ", ".join(X86)
        + "); a node group runs one AMI, so split it into one group per architecture")


def test_non_nvidia_gpus_fit_no_ami_type() -> None:
    amd = SimpleNamespace(**{**vars(_result("g5.xlarge")), "instance_type": "g4ad.xlarge",
                             "gpuses": [SimpleNamespace(count=1, manufacturer="AMD")]})
    limits = limits_from_get_instance_type(amd)
    assert fitting_ami_types([limits]) == []
    assert ami_fit_problems([limits], "AL2023_x86_64_STANDARD") == [
        "instance types g4ad.xlarge have non-NVIDIA GPUs, which no EKS AMI type drives; "
        "choose other instance types"]


def test_unknown_ami_type_is_named() -> None:
    with pytest.raises(ValueError, match="unknown AMI type 'AL2_x86_64'"):
        check_ami_fit(["m5.large"], "AL2_x86_64")


# --- live lookups: the same checks on an `aws.ec2.get_instance_type` result -----------------

def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _namespace(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{_snake(k): _namespace(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_namespace(v) for v in value]
    return value


def _result(instance_type: str) -> Any:
    """A GetInstanceTypeResult lookalike, as the provider's invoke answer turns into one."""
    return _namespace(get_instance_type_answer(lookup(instance_type)))


@pytest.mark.parametrize("instance_type", ["m5.large", "m6g.large", "g5g.xlarge",
                                           "p4d.24xlarge", "trn2.48xlarge", "mac1.metal"])
def test_live_result_maps_back_onto_the_table_row(instance_type: str) -> None:
    assert limits_from_get_instance_type(_result(instance_type)) == lookup(instance_type)


def test_live_limits_get_the_same_problems() -> None:
    live = [limits_from_get_instance_type(_result(t)) for t in ("m6g.large", "g5.xlarge")]
    assert ami_fit_problems(live, "AL2023_ARM_64_STANDARD") == check_ami_fit(
        ["m6g.large", "g5.xlarge"], "AL2023_ARM_64_STANDARD")


def test_live_mapping_reads_attributes_the_provider_has() -> None:
    """Guard against typos: every attribute read exists on pulumi_aws's result classes."""
    from pulumi_aws.ec2 import outputs
    from pulumi_aws.ec2.get_instance_type import GetInstanceTypeResult

    for name in ("supported_architectures", "memory_size", "gpuses", "neuron_devices",
                 "inference_accelerators", "default_vcpus", "network_cards"):
        assert hasattr(GetInstanceTypeResult, name), name
    for cls in (outputs.GetInstanceTypeGpusResult,
                outputs.GetInstanceTypeInferenceAcceleratorResult):
        assert hasattr(cls, "count") and hasattr(cls, "manufacturer")
    assert hasattr(outputs.GetInstanceTypeNeuronDeviceResult, "count")
