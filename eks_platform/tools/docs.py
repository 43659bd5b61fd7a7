"""The configuration reference, generated from the settings models so it cannot drift.

Every key of a stack file with its type (and AWS's limits where the model holds them), its
default and its description: the attribute docstring under the field in the model, the one
place a setting is documented. The docs site builds this page on every build
(`scripts/mkdocs_hooks.py`); `python -m eks_platform.tools.docs` prints it.
"""

from __future__ import annotations

import argparse
import enum
import ipaddress
import types
import typing
from collections.abc import Iterator
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from eks_platform.errors import PROJECT, nested_model
from eks_platform.model import SettingsModel
from eks_platform.stack import PlatformSettings

INTRO = """\
# Configuration reference

Every key of a stack file (`stacks/Pulumi.<env>.yaml`), generated from the settings models on
each docs build, so it cannot drift from the code. The descriptions are the docstrings under the
fields in `eks_platform/`; the library's `*Args` and `*Settings` classes take the same fields in
snake_case (see the [API reference](../api/index.md)).

Keys are camelCase under the project namespace `eks-platform:`; `aws:region` is Pulumi's own.
`unset` means the key is absent (or `null`): what that does is in the description. A nested
object's default is the defaults of its keys, listed under it. Bad values stop `plan`,
`pulumi preview` and `pulumi up` before anything is created, with one message per problem
naming the key, the value and what is allowed.
"""


def _literal(values: typing.Iterable[Any]) -> str:
    return " | ".join(f"`{v}`" for v in values)


def type_name(annotation: Any) -> str:
    """A stack-file reader's name for a field's type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return _literal(args)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(type_name(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return "map of string to string"
    if isinstance(annotation, type):
        if issubclass(annotation, SettingsModel):
            return "object"
        if issubclass(annotation, enum.Enum):
            return _literal(m.value for m in annotation)
        if issubclass(annotation, ipaddress.IPv4Network):
            return "IPv4 CIDR"
        names = {str: "string", int: "integer", bool: "boolean", float: "number"}
        if annotation in names:
            return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _limits(field: FieldInfo) -> str:
    """The bounds the model enforces (`1-1000`, `at most 20 items`), if any."""
    low = high = None
    items: list[str] = []
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Le):
            high = item.le
        elif isinstance(item, annotated_types.MinLen) and item.min_length > 0:
            items.append(f"at least {item.min_length}")
        elif isinstance(item, annotated_types.MaxLen):
            items.append(f"at most {item.max_length}")
    parts = []
    if low is not None and high is not None:
        parts.append(f"{low} to {high}")
    elif low is not None:
        parts.append(f">= {low}")
    elif high is not None:
        parts.append(f"<= {high}")
    if items:
        one = items == ["at least 1"] or items == ["at most 1"]
        parts.append(" and ".join(items) + (" item" if one else " items"))
    return ", ".join(parts)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, BaseModel):
        dumped = value.model_dump(by_alias=True, mode="json", exclude_none=True)
        return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in dumped.items()
                               if v not in ([], {})) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    return str(value)


def default_text(field: FieldInfo) -> str:
    """The default as a stack file would spell it; `required`, or `unset` for None."""
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "unset"
    if isinstance(value, BaseModel):
        return "the defaults below"
    return f"`{_yaml_scalar(value)}`"


def _cell(text: str | None) -> str:
    """Markdown table cell: one line, pipes escaped."""
    return " ".join((text or "").split()).replace("|", "\\|")


def fields(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, FieldInfo, bool]]:
    """(key path, field, is a nested object) for every key of `model`, depth first."""
    for name, field in model.model_fields.items():
        key = field.alias or name
        if model is PlatformSettings and name == "region":
            path = "aws:region"
        elif prefix:
            path = f"{prefix}.{key}"
        else:
            path = f"{PROJECT}:{key}"
        child = nested_model(field.annotation)
        yield path, field, child is not None
        if child is not None:
            is_list = typing.get_origin(field.annotation) is list or (
                typing.get_origin(field.annotation) in (types.UnionType, typing.Union)
                and any(typing.get_origin(a) is list for a in typing.get_args(field.annotation)))
            yield from fields(child, f"{path}[]" if is_list else path)


def _row(path: str, field: FieldInfo) -> str:
    kind = type_name(field.annotation)
    limits = _limits(field)
    if limits:
        kind += f" ({limits})"
    return f"| `{path}` | {_cell(kind)} | {_cell(default_text(field))} | " \
           f"{_cell(field.description)} |"


def config_reference() -> str:
    """The configuration reference page: a section per top-level key, a row per key."""
    header = ["| key | type | default | description |", "|---|---|---|---|"]
    scalars: list[str] = []
    sections: list[str] = []
    for path, field, nested in fields(PlatformSettings, ""):
        top = path.count(".") == 0 and path.count(":") == 1
        if top and nested:
            sections += ["", f"## `{path}`", "", *header]
        target = sections if (sections and not (top and not nested)) else scalars
        target.append(_row(path, field))
    return "\n".join([INTRO, "## Top-level keys", "", *header, *scalars, *sections]) + "\n"


def undocumented() -> list[str]:
    """Key paths of stack-file fields without a description (a test keeps this empty)."""
    return [path for path, field, _ in fields(PlatformSettings, "") if not field.description]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eks_platform.tools.docs",
        description="Print the configuration reference (Markdown), generated from the "
                    "settings models.")
    parser.parse_args(argv)
    print(config_reference(), end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
