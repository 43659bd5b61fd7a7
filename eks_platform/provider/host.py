"""The component provider: schema, construct with the package's messages, references.

`ComponentProvider` (pulumi 3.272, `pulumi.provider.experimental`) infers the schema from the
components' annotations and constructs a component from the engine's inputs. This subclass:

- rewrites the inputs that reference another component of the package (`cluster`,
  `systemNodeGroup`) to `#/resources/eks-platform:index:<Component>`, which the analyzer
  cannot express for the package it is analysing, and marks the kubeconfig outputs secret;
- hands each component the camelCase inputs as sent (numbers as floats back to ints) for its
  settings model to validate, instead of the SDK's own mapping, whose messages differ from
  a stack file's; an Output where a settings value must be plain is refused by name;
- re-raises the component's `pulumi.RunError` as it is, and a broken rule of the package
  (a `ValueError`, such as a node group created before any CNI) as one, so the CLI shows one
  message and no Python traceback (the SDK wraps both in a `ComponentInitError` with one);
- keeps each constructed component, so a later reference to it resolves (`references`).
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import pulumi
from pulumi.provider import main
from pulumi.provider.experimental.analyzer import ComponentDefinition
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.provider import ConstructResult
from pulumi.provider.server import ComponentInitError

from eks_platform.provider import references
from eks_platform.provider.components import COMPONENTS
from eks_platform.provider.validate import refuse_outputs

PACKAGE = "eks-platform"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

#: (component, input) -> the component of this package the input references.
REFERENCES = {
    ("ManagedNodeGroup", "cluster"): "EksCluster",
    ("EksAddon", "cluster"): "EksCluster",
    ("SelfManagedVpcCni", "cluster"): "EksCluster",
    ("FargateProfiles", "cluster"): "EksCluster",
    ("Karpenter", "cluster"): "EksCluster",
    ("Karpenter", "systemNodeGroup"): "ManagedNodeGroup",
}


def version() -> str:
    """The package version the generated SDKs carry: the distribution's, from pyproject."""
    if PYPROJECT.exists():
        return str(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"])
    from importlib.metadata import version as installed

    return installed("eks-platform")


#: Outputs the schema marks secret (the components also return them as secrets), so that the
#: generated SDKs treat them as secrets before any value arrives.
SECRET_OUTPUTS = ("kubeconfig",)


def with_secrets(schema: dict[str, Any]) -> dict[str, Any]:
    for resource in schema["resources"].values():
        for key in SECRET_OUTPUTS:
            if key in resource.get("properties", {}):
                resource["properties"][key]["secret"] = True
    return schema


def with_references(schema: dict[str, Any]) -> dict[str, Any]:
    for (component, key), target in REFERENCES.items():
        resource = schema["resources"][f"{PACKAGE}:index:{component}"]
        described = resource["inputProperties"][key].get("description")
        resource["inputProperties"][key] = {
            "$ref": f"#/resources/{PACKAGE}:index:{target}",
            **({"description": described} if described else {})}
    return schema


class Provider(ComponentProvider):
    def __init__(self, package_version: str | None = None) -> None:
        super().__init__(COMPONENTS, PACKAGE, None, package_version or version())
        assert self.schema is not None
        self.schema = json.dumps(with_secrets(with_references(json.loads(self.schema))))
        references.register()

    def schema_dict(self) -> dict[str, Any]:
        assert self.schema is not None
        result: dict[str, Any] = json.loads(self.schema)
        return result

    def map_inputs(self, inputs: Any, component_def: ComponentDefinition) -> Any:
        plain = {key for key, prop in component_def.inputs.items()
                 if prop.plain and (component_def.name, key) not in REFERENCES}
        refuse_outputs(component_def.name, self._constructing, inputs, plain)
        return dict(inputs)

    def construct(self, name: str, resource_type: str, inputs: Any,
                  options: pulumi.ResourceOptions | None = None) -> ConstructResult:
        self.validate_resource_type(PACKAGE, resource_type)
        component = resource_type.rsplit(":", 1)[-1]
        self._constructing = name
        mapped = self.map_inputs(inputs, self._component_defs[component])
        constructor: Any = self._components[component]
        try:
            instance = constructor(name, mapped, options)
        except pulumi.RunError:
            raise
        except ValueError as error:  # the package's rules (SettingsError is one): one message
            raise pulumi.RunError(f"{component} {name!r}: {error}") from None
        except Exception as error:  # anything else with its traceback, as the SDK does
            raise ComponentInitError(error) from error
        references.remember(instance, resource_type, name)
        state = self.get_state(instance, self._component_defs[component])
        return ConstructResult(instance.urn, state)

    _constructing = ""


def schema(package_version: str | None = None) -> dict[str, Any]:
    """The package schema `pulumi package get-schema` prints, without the CLI."""
    return Provider(package_version).schema_dict()


def coverage(spec: dict[str, Any]) -> str:
    """How many components and inputs (component inputs and object type fields) the schema
    has, and how many of those inputs are described."""
    inputs = [p for r in spec["resources"].values() for p in r["inputProperties"].values()]
    inputs += [p for t in spec["types"].values() for p in t.get("properties", {}).values()]
    described = sum(1 for p in inputs if p.get("description"))
    return (f"{len(spec['resources'])} components, {len(inputs)} inputs, {described} "
            f"described ({described / len(inputs):.0%})")


def serve() -> None:
    """The plugin's entry point (`plugin/__main__.py`): what `component_provider_host` does,
    with this provider."""
    main(Provider(), sys.argv[1:])
