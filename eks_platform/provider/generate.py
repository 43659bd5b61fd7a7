"""Writes `args.py`, the provider's TypedDict args, from the pydantic settings models.

The settings models stay the one source of truth: every field becomes a TypedDict field of
the same name (the analyzer camelCases it to the stack file's key), `Literal` types become
str enums, nested models become nested TypedDicts, fields with defaults become `NotRequired`,
and each field gets its docstring from the model (every settings field has one). The
analyzer reads descriptions with `inspect.getsource`, so the args exist as generated source:
`python -m eks_platform.provider generate-args` rewrites it, and a test fails when the
committed file differs from what the models give.
"""

from __future__ import annotations

import ast
import inspect
import ipaddress
import re
import sys
import textwrap
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

ARGS_FILE = Path(__file__).with_name("args.py")
#: Parsed by pydantic from the string a consumer sends.
STRING_LIKE = (ipaddress.IPv4Network, ipaddress.IPv6Network, ipaddress.IPv4Address)


@dataclass(frozen=True)
class ArgsSpec:
    """One component's args: the model its inputs validate through, fields left out (Python
    objects the face supplies), fields the face defaults (`optional`), and fields whose
    annotation is given (Pulumi inputs)."""

    name: str
    model: type[BaseModel]
    exclude: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    annotations: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)


def declaring_class(model: type[BaseModel], name: str) -> type:
    """The class in the model's MRO whose body declares the field."""
    for klass in model.__mro__:
        if name in inspect.get_annotations(klass):
            return klass
    raise LookupError(f"{model.__name__}.{name}")


@cache
def _docstrings(klass: type) -> dict[str, str]:
    """Attribute docstrings of a class body (a string right after an annotated field)."""
    body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
    assert isinstance(body, ast.ClassDef)
    found: dict[str, str] = {}
    for node, after in zip(body.body, body.body[1:], strict=False):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            found[node.target.id] = after.value.value
    return found


def description(model: type[BaseModel], name: str) -> str | None:
    """The field's docstring in the model that declares it, as one paragraph."""
    klass = declaring_class(model, name)
    text = _docstrings(klass).get(name)
    return " ".join(text.split()) if text else None


def _member(value: str) -> str:
    name = re.sub(r"\W", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", value)).upper()
    return name if name[0].isalpha() else f"V_{name}"


def _literal_string(text: str, indent: str) -> str:
    """A string literal (parenthesised and wrapped when long) the analyzer reads as one."""
    one = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if len(indent) + len(one) <= 100:
        return indent + one
    parts = textwrap.wrap(text, 100 - len(indent) - 6, drop_whitespace=False)
    lines = ['"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts]
    return f"{indent}(" + f"\n{indent} ".join(lines) + ")"


class _Writer:
    def __init__(self) -> None:
        self.blocks: dict[str, str] = {}
        self.order: list[str] = []
        self.enums: dict[str, tuple[Any, ...]] = {}

    def enum_name(self, literal: Any, model: type[BaseModel], name: str) -> str:
        """The module-level alias of the Literal (`CapacityType`), else `<Model><Field>`."""
        home = sys.modules[declaring_class(model, name).__module__]
        modules = [home, *(sys.modules[m] for m in sorted(sys.modules)
                           if m.startswith("eks_platform."))]
        for module in modules:
            for alias, value in sorted(vars(module).items()):
                if (alias[:1].isupper() and get_origin(value) is Literal
                        and get_args(value) == get_args(literal)):
                    return alias
        owner = declaring_class(model, name).__name__
        return owner + "".join(part.title() for part in name.split("_"))

    def annotation(self, tp: Any, model: type[BaseModel], name: str) -> str:
        origin = get_origin(tp)
        if tp in (str, int, float, bool):
            return str(tp.__name__)
        if tp in STRING_LIKE:
            return "str"
        if tp is Any:
            return "Any"
        if origin is Literal:
            return self.enum(tp, model, name)
        if origin in (typing.Union, types.UnionType):
            rest = [a for a in get_args(tp) if a is not type(None)]
            if set(rest) == {int, str}:  # a count or "25%": the model parses the string
                return "str"
            if len(rest) != 1:
                raise TypeError(f"{model.__name__}.{name}: no schema type for {tp!r}")
            return f"{self.annotation(rest[0], model, name)} | None"
        if origin is list:
            return f"list[{self.annotation(get_args(tp)[0], model, name)}]"
        if origin is dict:
            return f"dict[str, {self.annotation(get_args(tp)[1], model, name)}]"
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return self.model(tp)
        raise TypeError(f"{model.__name__}.{name}: no schema type for {tp!r}")

    def enum(self, literal: Any, model: type[BaseModel], name: str) -> str:
        enum = self.enum_name(literal, model, name)
        values = get_args(literal)
        if self.enums.setdefault(enum, values) != values:
            raise TypeError(f"two enums named {enum}: {self.enums[enum]} and {values}")
        if enum not in self.blocks:
            members = "\n".join(f'    {_member(v)} = "{v}"' for v in values)
            self.blocks[enum] = f"class {enum}(StrEnum):\n{members}\n"
            self.order.append(enum)
        return enum

    def model(self, model: type[BaseModel], spec: ArgsSpec | None = None) -> str:
        name = spec.name if spec else model.__name__
        if name in self.blocks:
            return name
        self.blocks[name] = ""  # reserved while its fields are written
        lines = [f"class {name}(TypedDict):"]
        doc = model.__dict__.get("__doc__")
        if doc:
            lines += [_literal_string(" ".join(doc.split()), "    "), ""]
        for key, info in model.model_fields.items():
            if spec and key in spec.exclude:
                continue
            given = spec.annotations.get(key) if spec else None
            annotation = given or self.annotation(info.annotation, model, key)
            if not info.is_required() or (spec and key in spec.optional):
                annotation = f"NotRequired[{annotation.removesuffix(' | None')}]"
            lines.append(f"    {key}: {annotation}")
            text = (spec.descriptions.get(key) if spec else None) or description(model, key)
            if text:
                lines.append(_literal_string(text, "    "))
        self.blocks[name] = "\n".join(lines) + "\n"
        self.order.append(name)
        return name


HEADER = '''"""The provider's args, generated from the settings models: do not edit.

Regenerate with `python -m eks_platform.provider generate-args`. No `from __future__ import
annotations` here: the Pulumi analyzer reads these annotations as real types.
"""

from enum import StrEnum
from typing import Any, NotRequired, TypedDict

import pulumi
'''


def args_source(specs: list[ArgsSpec]) -> str:
    writer = _Writer()
    for spec in specs:
        writer.model(spec.model, spec)
    used = "\n\n".join(writer.blocks[n] for n in writer.order)
    header = HEADER
    if not re.search(r"\bAny\b", used):
        header = header.replace("Any, ", "")
    if "pulumi." not in used:
        header = header.replace("\nimport pulumi\n", "")
    return header + "\n\n" + used
