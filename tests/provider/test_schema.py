"""The package schema: golden copy, types and descriptions, enums against botocore's EKS model,
and the generated args in step with the settings models."""

from __future__ import annotations

import json
import tomllib
from functools import cache
from typing import Any

import botocore.model

from eks_platform.errors import nested_model
from eks_platform.provider.generate import ARGS_FILE, args_source, declaring_class, description
from eks_platform.provider.host import Provider, coverage
from eks_platform.provider.specs import SPECS
from tests.aws_models import service_model
from tests.conftest import ROOT

GOLDEN = ROOT / "eks_platform" / "provider" / "schema.json"
REFRESH = "python -m eks_platform.provider schema > eks_platform/provider/schema.json"
COMPONENTS = {"EksPlatform", "EksCluster", "ManagedNodeGroup", "EksAddon", "SelfManagedVpcCni",
              "FargateProfiles", "Karpenter"}


@cache
def provider() -> Provider:
    """One provider per test process: its analysis reads the sources of every args class."""
    return Provider()


@cache
def package() -> dict[str, Any]:
    return provider().schema_dict()


def inputs() -> list[tuple[str, str, dict[str, Any]]]:
    """(owner, property, definition) of every component input and every object type field."""
    spec = package()
    found = [(token, key, prop) for token, resource in spec["resources"].items()
             for key, prop in resource["inputProperties"].items()]
    found += [(token, key, prop) for token, kind in spec["types"].items()
              for key, prop in kind.get("properties", {}).items()]
    return found


def test_schema_matches_the_reviewed_copy() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert package() == golden, f"the schema changed: review it, then run `{REFRESH}`"


def test_name_version_and_components() -> None:
    spec = package()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert spec["name"] == "eks-platform"
    assert spec["version"] == pyproject["project"]["version"]
    assert {t.removeprefix("eks-platform:index:") for t in spec["resources"]} == COMPONENTS
    assert all(r["isComponent"] for r in spec["resources"].values())


def test_every_input_typed_and_described() -> None:
    found = inputs()
    untyped = [(o, k) for o, k, p in found if "type" not in p and "$ref" not in p]
    described = sum(1 for _, _, p in found if p.get("description"))
    share = described / len(found)
    figure = (f"{len(package()['resources'])} components, {len(found)} inputs, "
              f"{described} described ({share:.0%})")
    print(figure)
    assert coverage(package()) == figure  # what the schema command prints on stderr
    assert untyped == []
    assert share >= 0.9


def test_node_groups_take_instance_types() -> None:
    spec = package()
    group = spec["resources"]["eks-platform:index:ManagedNodeGroup"]["inputProperties"]
    assert group["instanceTypes"]["type"] == "array"
    assert group["instanceTypes"]["items"]["type"] == "string"
    platform = spec["resources"]["eks-platform:index:EksPlatform"]["inputProperties"]
    assert platform["nodeGroups"]["items"]["$ref"] == (
        "#/types/eks-platform:index:NodeGroupSettings")
    assert "instanceTypes" in spec["types"]["eks-platform:index:NodeGroupSettings"]["required"]


def test_references_name_the_package_components() -> None:
    spec = package()["resources"]
    assert spec["eks-platform:index:ManagedNodeGroup"]["inputProperties"]["cluster"]["$ref"] == (
        "#/resources/eks-platform:index:EksCluster")
    assert spec["eks-platform:index:Karpenter"]["inputProperties"]["systemNodeGroup"][
        "$ref"] == "#/resources/eks-platform:index:ManagedNodeGroup"


def test_outputs_typed_and_kubeconfig_secret_in_the_platform() -> None:
    outputs = package()["resources"]["eks-platform:index:EksPlatform"]["properties"]
    for key in ("clusterName", "endpoint", "kubeconfig", "oidcIssuerUrl",
                "clusterSecurityGroupId", "clusterRoleArn"):
        assert outputs[key]["type"] == "string"
    assert outputs["nodeRoleArns"]["additionalProperties"]["type"] == "string"
    assert outputs["kubeconfig"]["secret"] is True
    cluster = package()["resources"]["eks-platform:index:EksCluster"]["properties"]
    assert cluster["kubeconfig"]["secret"] is True


def enum_values(name: str) -> list[str]:
    kind = package()["types"][f"eks-platform:index:{name}"]
    return [member["value"] for member in kind["enum"]]


def test_enums_are_botocores() -> None:
    """Every value is one EKS accepts (botocore's EKS model); the package may offer fewer."""
    eks = service_model("eks")
    pairs = {"CapacityType": "CapacityTypes", "NodeAmiType": "AMITypes", "LogType": "LogType",
             "SupportType": "SupportType", "TaintEffect": "TaintEffect",
             "UpdateStrategy": "NodegroupUpdateStrategies", "ConflictOnCreate":
             "ResolveConflicts", "ConflictOnUpdate": "ResolveConflicts", "IpFamily": "IpFamily"}
    for ours, theirs in pairs.items():
        shape = eks.shape_for(theirs)
        assert isinstance(shape, botocore.model.StringShape)
        allowed = set(shape.enum)
        assert set(enum_values(ours)) <= allowed, ours
    assert enum_values("CapacityType") == ["ON_DEMAND", "SPOT"]
    assert enum_values("LogType") == [
        "api", "audit", "authenticator", "controllerManager", "scheduler"]


def test_generated_args_are_up_to_date() -> None:
    assert ARGS_FILE.read_text(encoding="utf-8") == args_source(SPECS), (
        "run `python -m eks_platform.provider generate-args`")


def test_every_input_has_its_fields_docstring() -> None:
    missing: list[str] = []
    stack = [spec.model for spec in SPECS]
    while stack:
        model = stack.pop()
        for name, info in model.model_fields.items():
            if description(model, name) is None:
                missing.append(f"{declaring_class(model, name).__name__}.{name}")
            child = nested_model(info.annotation)
            if child is not None:
                stack.append(child)
    assert missing == []
