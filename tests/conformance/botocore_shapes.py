"""Validate an AWS API request against botocore's service model, offline.

botocore's own `ParamValidator` (what boto3 runs before sending) checks member types,
required members, unknown members, tagged unions and `min` (string and list lengths, number
values). It leaves the rest to the service. `validate_request` runs it, then checks what it
leaves out and the services enforce:

- `enum`: a string member's allowed values,
- `pattern`: the member's regular expression (Smithy patterns are ECMA 262 and not anchored;
  they are matched with the `regex` module, which knows `\\p{L}`-style classes),
- `max`: string and list lengths, map sizes and number values; and `min` for map sizes.

Each problem is one line naming the parameter path (`resourcesVpcConfig.subnetIds[0]`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import botocore.exceptions
import botocore.model
import botocore.validate
import regex
from botocore import xform_name

from tests.aws_models import service_model

#: ECMA 262 surrogate-pair ranges (astral characters) that Python regexes write directly.
_SURROGATE_PAIRS = re.compile(r"\\uD800\\uDC00-\\uDBFF\\uDFFF", re.IGNORECASE)


def operation_model(service: str, operation: str) -> botocore.model.OperationModel:
    """An operation by its API name (`CreateCluster`) or boto3 name (`create_cluster`)."""
    model = service_model(service)
    names = list(model.operation_names)
    if operation in names:
        return model.operation_model(operation)
    by_python_name = {xform_name(n): n for n in names}
    if operation in by_python_name:
        return model.operation_model(by_python_name[operation])
    raise KeyError(f"{service} has no operation {operation!r}")


@cache
def compiled_pattern(pattern: str) -> regex.Pattern[str] | None:
    """A Smithy pattern as a Python regex, or None when it cannot be translated."""
    try:
        return regex.compile(_SURROGATE_PAIRS.sub(r"\\U00010000-\\U0010FFFF", pattern))
    except regex.error:
        return None


def uncheckable_patterns(service: str) -> list[str]:
    """`Shape: pattern` of every pattern in a service that `validate_request` cannot check."""
    model = service_model(service)
    out = []
    for name in model.shape_names:
        pattern = model.shape_for(name).metadata.get("pattern")
        if pattern is not None and compiled_pattern(pattern) is None:
            out.append(f"{name}: {pattern}")
    return out


def _botocore_problems(params: Mapping[str, Any], shape: botocore.model.Shape) -> list[str]:
    report = botocore.validate.ParamValidator().validate(dict(params), shape)
    if not report.has_errors():
        return []
    return [line for line in report.generate_report().splitlines() if line.strip()]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _bounds(
    path: str, what: str, size: int | float, metadata: Mapping[str, Any], check_min: bool
) -> list[str]:
    problems = []
    if "max" in metadata and size > metadata["max"]:
        problems.append(f"{path}: {what} {size} is more than the maximum {metadata['max']}")
    if check_min and "min" in metadata and size < metadata["min"]:
        problems.append(f"{path}: {what} {size} is less than the minimum {metadata['min']}")
    return problems


def _extra_problems(value: Any, shape: botocore.model.Shape, path: str) -> list[str]:
    """enum, pattern, max (and map min): what botocore's ParamValidator does not check."""
    meta = shape.metadata
    kind = shape.type_name
    problems: list[str] = []
    if kind == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None) or []
        if enum and value not in enum:
            problems.append(f"{path}: {_show(value)} is not one of {enum}")
        pattern = meta.get("pattern")
        compiled = compiled_pattern(pattern) if pattern is not None else None
        if compiled is not None and not compiled.search(value):
            problems.append(f"{path}: {_show(value)} does not match the pattern {pattern!r}")
        problems += _bounds(path, "length", len(value), meta, check_min=False)
    elif kind in ("integer", "long", "float", "double") and isinstance(value, int | float):
        if not isinstance(value, bool):
            problems += _bounds(path, "value", value, meta, check_min=False)
    elif kind == "list" and isinstance(value, list | tuple):
        problems += _bounds(path, "length", len(value), meta, check_min=False)
        member = shape.member  # type: ignore[attr-defined]
        for i, item in enumerate(value):
            problems += _extra_problems(item, member, f"{path}[{i}]")
    elif kind == "map" and isinstance(value, Mapping):
        problems += _bounds(path, "size", len(value), meta, check_min=True)
        key_shape, value_shape = shape.key, shape.value  # type: ignore[attr-defined]
        for key, item in value.items():
            problems += _extra_problems(key, key_shape, f"{path} (key {key!r})")
            problems += _extra_problems(item, value_shape, f"{path}.{key}")
    elif kind == "structure" and isinstance(value, Mapping):
        if getattr(shape, "is_document_type", False):
            return problems
        members = shape.members  # type: ignore[attr-defined]
        for key, item in value.items():
            if key in members:
                problems += _extra_problems(item, members[key], f"{path}.{key}" if path else key)
    return problems


def validate_request(service: str, operation: str, params: Mapping[str, Any]) -> list[str]:
    """Problems with `params` as the input of `service`'s `operation` (e.g. `eks`,
    `CreateCluster`): botocore's own checks first, then enum, pattern and max."""
    model = operation_model(service, operation)
    shape = model.input_shape
    if shape is None:
        return [f"{service}.{model.name} takes no input: {_show(dict(params))}"] if params else []
    try:
        problems = _botocore_problems(params, shape)
    except botocore.exceptions.BotoCoreError as error:
        problems = [str(error)]
    return problems + _extra_problems(params, shape, "")
