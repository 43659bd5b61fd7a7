"""Provider inputs through the settings models: one message naming the camelCase inputs.

Inputs arrive as the engine sends them: camelCase keys, numbers as floats, and an Output for
any value that is a secret or depends on another resource. Settings must be known before
anything is created (they decide which resources exist), so an Output is refused where the
schema says a plain value; the rest validates through the component's own model, with the
stack file's problem lines (`eks-platform:nodeGroups[0].maxSize = ...`) minus the namespace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar

import pulumi
from pydantic import BaseModel, ValidationError

from eks_platform.errors import PROJECT, SettingsError, problems_of, stack_key

Model = TypeVar("Model", bound=BaseModel)


def plain_numbers(value: Any) -> Any:
    """Whole floats (how every number crosses the wire) back to ints, at any depth."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: plain_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_numbers(v) for v in value]
    return value


def contains_output(value: Any) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, dict):
        return any(contains_output(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_output(v) for v in value)
    return False


def input_path(line: str) -> str:
    """A stack file's problem line with the input's name instead of the stack key."""
    if line.startswith("aws:region"):
        return "region" + line.removeprefix("aws:region")
    return line.removeprefix(f"{PROJECT}:")


def inputs_error(component: str, name: str, problems: list[str]) -> pulumi.RunError:
    """One message, shown by the Pulumi CLI without a traceback."""
    error = SettingsError(f"{component} {name!r}", problems, what="inputs to")
    return pulumi.RunError(str(error))


def refuse_outputs(component: str, name: str, inputs: Mapping[str, Any],
                   plain: set[str]) -> None:
    problems = [f"{key}: must be a plain value known before deployment (a secret or another "
                "resource's output cannot decide which resources exist)"
                for key in sorted(plain) if contains_output(inputs.get(key))]
    if problems:
        raise inputs_error(component, name, problems)


def with_region(inputs: Mapping[str, Any], component: str, name: str) -> dict[str, Any]:
    """`region` defaults to the program's `aws:region`, where the default AWS provider
    creates the resources; a different one would validate settings for another Region."""
    configured = pulumi.Config("aws").get("region")
    given = inputs.get("region")
    if given is None:
        return {**inputs, "region": configured} if configured else dict(inputs)
    if configured and given != configured:
        raise inputs_error(component, name, [
            f"region = {json.dumps(given)}: the program's aws:region is {configured!r}, where "
            "its AWS provider creates the resources; leave region out or make them agree"])
    return dict(inputs)


def validated(model: type[Model], inputs: Mapping[str, Any], component: str, name: str) -> Model:
    """The inputs through `model` (camelCase or snake_case keys), or one `RunError`."""
    try:
        return model.model_validate(plain_numbers(dict(inputs)))
    except ValidationError as error:
        lines = problems_of(error, stack_key, model)
        raise inputs_error(component, name, [input_path(line) for line in lines]) from None
