"""One validation path, one kind of message: stack files and library Args share it.

A settings model rejects bad input with pydantic errors; this module turns them into one
`SettingsError` whose lines name the key (as the stack file spells it, or as the Python
argument is called), the value and what is allowed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_snake

PROJECT = "eks-platform"

#: pydantic error types whose messages name a model class ("Input should be a valid dictionary
#: or instance of FlowLogsSettings"): said in the stack file's words instead.
MAPPING_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type"})

#: Turns a pydantic error location into the key path the user wrote.
KeyNamer = Callable[[tuple[int | str, ...]], str]


class SettingsError(ValueError):
    """Invalid settings or arguments; `str()` is the whole message, meant to be shown as is."""

    def __init__(self, source: str, problems: list[str], *,
                 what: str = "stack settings in") -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"invalid {what} {source}:\n{lines}")


class FieldError(ValueError):
    """Raised by a model-level check to name the key it is about (relative to that model),
    so the message says `eks-platform:subnetIds = ...` rather than the whole stack."""

    def __init__(self, key: str | tuple[int | str, ...], value: Any, message: str) -> None:
        super().__init__(message)
        self.key = (key,) if isinstance(key, str) else key
        self.value = value


class GroupedFieldError(ValueError):
    """Several `FieldError`s of one model-level check, reported together (one line each)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def stack_key(loc: tuple[int | str, ...]) -> str:
    """`("nodeGroups", 0, "maxSize")` -> `eks-platform:nodeGroups[0].maxSize`."""
    if not loc:
        return f"{PROJECT}:"
    head, *rest = loc
    path = "aws:region" if head == "region" else f"{PROJECT}:{head}"
    return path + _suffix(rest, str)


def argument_key(owner: str) -> KeyNamer:
    """Key paths of a Python argument: `ManagedNodeGroupArgs.instance_types[0]`."""
    def name(loc: tuple[int | str, ...]) -> str:
        if not loc:
            return owner
        head, *rest = loc
        return f"{owner}.{to_snake(str(head))}" + _suffix(rest, to_snake)
    return name


def _suffix(parts: Iterable[int | str], spell: Callable[[str], str]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{spell(p)}" for p in parts)


def describe(error: Any, key: KeyNamer, root: type[BaseModel]) -> str:
    """One line for one pydantic error: key path, value, what is allowed."""
    raw = tuple(error["loc"])
    # An unknown key keeps its spelling: `node_groups` is not `nodeGroups`.
    loc = (aliased(root, raw[:-1]) + raw[-1:] if error["type"] == "extra_forbidden"
           else aliased(root, raw))
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):
        loc, value, message = loc + cause.key, cause.value, str(cause)
    if error["type"] == "extra_forbidden":
        allowed = allowed_keys(root, loc[:-1])
        if key is not stack_key:
            allowed = [to_snake(a) for a in allowed]
        given = str(loc[-1]) if key is stack_key else to_snake(str(loc[-1]))
        folded = {a.lower().replace("_", ""): a for a in allowed}
        close = ([folded[f]] if (f := given.lower().replace("_", "")) in folded
                 else difflib.get_close_matches(given, allowed, n=1, cutoff=0.6))
        hint = f"did you mean {close[0]}? " if close else ""
        return f"{key(loc)}: unknown key; {hint}allowed keys here: {', '.join(allowed)}"
    if error["type"] == "missing":
        return f"{key(loc)}: required key is missing"
    if error["type"] in MAPPING_ERRORS:
        message = "must be a mapping of keys to values (an object)"
    shown = json.dumps(value, default=str) if not isinstance(value, dict) else "{...}"
    return f"{key(loc)} = {shown}: {message}"


def problems_of(error: ValidationError, key: KeyNamer, root: type[BaseModel]) -> list[str]:
    """One line per problem: a `GroupedFieldError` cause gives a line for each of its errors."""
    lines = []
    for line_error in error.errors():
        cause = (line_error.get("ctx") or {}).get("error")
        for each in cause.errors if isinstance(cause, GroupedFieldError) else [None]:
            shown = line_error if each is None else {**line_error, "ctx": {"error": each}}
            lines.append(describe(shown, key, root))
    return lines


def allowed_keys(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The camelCase keys that the model at `loc` accepts, for 'unknown key' messages."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = next(
            (f for name, f in model.model_fields.items() if (f.alias or name) == part), None
        )
        if field is None:
            return []
        model = nested_model(field.annotation)
        if model is None:
            return []
    return sorted(f.alias or n for n, f in model.model_fields.items() if n != "region")


def aliased(root: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """`loc` with field names spelled as their keys: pydantic names a default value's field by
    its Python name (`kubernetes_version`), an input's by its alias (`kubernetesVersion`)."""
    model: Any = root
    out: list[int | str] = []
    for part in loc:
        field = None
        if isinstance(part, str) and model is not None:
            field = model.model_fields.get(part) or next(
                (f for f in model.model_fields.values() if f.alias == part), None)
        out.append(field.alias or part if field is not None else part)
        if field is not None:
            model = nested_model(field.annotation)
        elif not isinstance(part, int):
            model = None
    return tuple(out)


def nested_model(annotation: Any) -> Any:
    """The pydantic model inside `Model`, `Model | None` or `list[Model]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = nested_model(arg)
        if found is not None:
            return found
    return None
