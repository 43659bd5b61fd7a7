"""The YAML and TypeScript examples against the package schema, and the plugin folder."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from packaging.requirements import Requirement

from eks_platform.stack import PlatformSettings
from tests.conftest import ROOT, stack_settings
from tests.provider.test_schema import package

EXAMPLES = ROOT / "examples"


def yaml_resources() -> dict[str, Any]:
    program = yaml.safe_load((EXAMPLES / "yaml" / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert program["runtime"] == "yaml"
    resources: dict[str, Any] = program["resources"]
    return resources


def typescript_constructions() -> list[tuple[str, str, dict[str, Any]]]:
    """(component, name, args) of each `new eksplatform.<Component>("name", {...})`: the
    object literals are written so that YAML's flow syntax reads them."""
    source = (EXAMPLES / "typescript" / "index.ts").read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r'new eksplatform\.(\w+)\("([\w-]+)", (\{.*?\n\})\);', source, re.S):
        literal = re.sub(r"//[^\n]*", "", match.group(3))
        found.append((match.group(1), match.group(2), yaml.safe_load(literal)))
    return found


def unknown_properties(value: Any, prop: dict[str, Any], path: str) -> list[str]:
    """Keys the schema does not have, at any depth, and values of the wrong shape."""
    types = package()["types"]
    ref = prop.get("$ref", "")
    if ref.startswith("#/types/"):
        kind = types[ref.removeprefix("#/types/")]
        if "enum" in kind:
            allowed = [m["value"] for m in kind["enum"]]
            return [] if value in allowed else [f"{path} = {value!r}: not in {allowed}"]
        return unknown_object(value, kind["properties"], path)
    kind_of = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}
    expected = kind_of.get(prop.get("type", ""))
    if expected is not None and not isinstance(value, expected):
        return [f"{path}: expected {prop['type']}"]
    if prop.get("type") == "array":
        return [p for i, v in enumerate(value)
                for p in unknown_properties(v, prop["items"], f"{path}[{i}]")]
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return [p for k, v in value.items()
                for p in unknown_properties(v, prop["additionalProperties"], f"{path}.{k}")]
    return []


def unknown_object(value: Any, properties: dict[str, Any], path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected an object"]
    problems = [f"{path}.{k}: not in the schema" for k in value if k not in properties]
    return problems + [p for k, v in value.items() if k in properties
                       for p in unknown_properties(v, properties[k], f"{path}.{k}")]


def component(token: str) -> dict[str, Any]:
    resource: dict[str, Any] = package()["resources"][token]
    return resource


def test_yaml_example_matches_the_schema() -> None:
    resources = yaml_resources()
    assert [r["type"] for r in resources.values()] == ["eks-platform:index:EksPlatform"]
    for name, resource in resources.items():
        spec = component(resource["type"])
        assert unknown_object(resource["properties"], spec["inputProperties"], name) == []
        assert set(spec["requiredInputs"]) <= set(resource["properties"])
    program = yaml.safe_load((EXAMPLES / "yaml" / "Pulumi.yaml").read_text(encoding="utf-8"))
    outputs = component("eks-platform:index:EksPlatform")["properties"]
    for expression in program["outputs"].values():
        resource, _, output = expression.strip("${}").partition(".")
        assert resource in resources and output in outputs, expression


def test_typescript_example_matches_the_schema() -> None:
    constructions = typescript_constructions()
    assert [(c, n) for c, n, _ in constructions] == [("EksPlatform", "eks")]
    spec = component("eks-platform:index:EksPlatform")
    for _, name, args in constructions:
        assert unknown_object(args, spec["inputProperties"], name) == []
    source = (EXAMPLES / "typescript" / "index.ts").read_text(encoding="utf-8")
    for output in re.findall(r"= eks\.(\w+);", source):
        assert output in spec["properties"], output
    package_json = (EXAMPLES / "typescript" / "package.json").read_text(encoding="utf-8")
    assert '"@pulumi/eks-platform": "file:sdks/eks-platform"' in package_json


def test_examples_are_the_dev_stack() -> None:
    """Both build the dev stack's platform: the same settings once validated."""
    dev = stack_settings("dev")
    yaml_args = next(iter(yaml_resources().values()))["properties"]
    ts_args = typescript_constructions()[0][2]
    for folder, args in (("yaml", yaml_args), ("typescript", ts_args)):
        project = yaml.safe_load((EXAMPLES / folder / "Pulumi.yaml").read_text(encoding="utf-8"))
        region = project["config"]["aws:region"]["value"]  # the component's default region
        assert PlatformSettings.model_validate({**args, "region": region}) == dev


def test_a_wrong_property_is_caught() -> None:
    spec = component("eks-platform:index:EksPlatform")["inputProperties"]
    assert unknown_object({"nodeGroups": [{"instanceType": ["m5.large"]}]}, spec, "eks") == [
        "eks.nodeGroups[0].instanceType: not in the schema"]
    assert unknown_object({"nodeGroups": [{"capacityType": "spot"}]}, spec, "eks") == [
        "eks.nodeGroups[0].capacityType = 'spot': not in ['ON_DEMAND', 'SPOT']"]


def test_plugin_folder() -> None:
    plugin = ROOT / "plugin"
    manifest = yaml.safe_load((plugin / "PulumiPlugin.yaml").read_text(encoding="utf-8"))
    assert manifest["runtime"]["name"] == "python"
    assert "serve()" in (plugin / "__main__.py").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {str(Requirement(r)) for r in pyproject["project"]["dependencies"]}
    lines = (plugin / "requirements.txt").read_text(encoding="utf-8").splitlines()
    given = {str(Requirement(line)) for line in lines if line and not line.startswith("#")}
    assert given == wanted


def test_docs_snippets_match_the_schema_and_validate() -> None:
    section = (ROOT / "docs" / "other-languages.md").read_text(encoding="utf-8")
    typescript = re.search(r"```typescript\n(.*?)```", section, re.S)
    program = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert typescript is not None and program is not None
    literal = re.search(r'new eksplatform\.EksPlatform\("eks", (\{.*?\n\})\);',
                        typescript.group(1), re.S)
    assert literal is not None
    spec = component("eks-platform:index:EksPlatform")["inputProperties"]
    yaml_args = yaml.safe_load(program.group(1))["resources"]["eks"]["properties"]
    for args in (yaml.safe_load(literal.group(1)), yaml_args):
        assert unknown_object(args, spec, "eks") == []
        PlatformSettings.model_validate({**args, "region": "us-west-2"})
