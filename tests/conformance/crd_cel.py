"""The CEL half of `crds`: every `x-kubernetes-validations` rule of a schema evaluated where a
value is present, by cel-expr-python (cel-cpp) with the strings extension and Kubernetes'
regex functions; transition rules only on an update, as the API server does."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

# cel-expr-python ships .pyi stubs but no py.typed marker.
from cel_expr_python import cel  # type: ignore[import-untyped]
from cel_expr_python.ext.ext_strings import ExtStrings  # type: ignore[import-untyped]

from tests.conformance.crd_values import children, children_or_raw, join

_OLD_SELF = re.compile(r"\boldSelf\b")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")



@dataclass
class Counter:
    """What a run checked, for a test to print: `N objects, M rules checked`."""

    objects: int = 0
    rules: int = 0
    #: Transition rules (reading `oldSelf`) not evaluated: no old object, or no old value.
    transition_rules_skipped: int = 0

    def __str__(self) -> str:
        text = f"{self.objects} objects, {self.rules} rules checked"
        if self.transition_rules_skipped:
            text += f" ({self.transition_rules_skipped} transition rules skipped: no old value)"
        return text



# --- CEL ----------------------------------------------------------------------------------


def _find(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    return match.group(0) if match else ""


def _find_all(text: str, pattern: str) -> list[str]:
    return [m.group(0) for m in re.finditer(pattern, text)]


def _find_all_limit(text: str, pattern: str, limit: int) -> list[str]:
    found = _find_all(text, pattern)
    return found if limit < 0 else found[:limit]


@cache
def _env() -> cel.Env:
    """A CEL environment like Kubernetes': `self`, `oldSelf`, strings extension, regex library."""
    string, strings = cel.Type.STRING, cel.Type.List(cel.Type.STRING)
    regex = [
        cel.FunctionDecl(
            "find",
            [cel.Overload("string_find_string", string, [string, string], is_member=True,
                          impl=_find)],
        ),
        cel.FunctionDecl(
            "findAll",
            [
                cel.Overload("string_find_all_string", strings, [string, string],
                             is_member=True, impl=_find_all),
                cel.Overload("string_find_all_string_int", strings,
                             [string, string, cel.Type.INT], is_member=True,
                             impl=_find_all_limit),
            ],
        ),
    ]  # fmt: skip
    return cel.NewEnv(
        variables={"self": cel.Type.DYN, "oldSelf": cel.Type.DYN},
        extensions=[ExtStrings()],
        functions=regex,
    )


@cache
def _compiled(rule: str) -> cel.Expression:
    return _env().compile(rule)


def compile_error(rule: str) -> str | None:
    try:
        _compiled(rule)
    except Exception as error:  # cel-expr-python raises plain exceptions for CEL errors
        return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return None


def _cel_value(schema: Mapping[str, Any], value: Any) -> Any:
    """A JSON value typed as Kubernetes types it for CEL (integer -> int, number -> double)."""
    kind = schema.get("type")
    if isinstance(value, dict):
        return {k: _cel_value(s, v) for k, s, v in children_or_raw(schema, value)}
    if isinstance(value, list):
        items = schema.get("items")
        return [_cel_value(items if isinstance(items, dict) else {}, v) for v in value]
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value




def _is_transition(rule: str) -> bool:
    return bool(_OLD_SELF.search(_STRING_LITERAL.sub("''", rule)))


def evaluate(rule: str, data: dict[str, Any]) -> tuple[Any, str | None]:
    """(value, error) of a rule: CEL errors come back as values or exceptions."""
    try:
        result = _compiled(rule).eval(data=data)
    except Exception as error:
        return None, str(error).strip() or repr(error)
    if result.type() == cel.Type.ERROR:
        return None, str(result.value())
    return result.value(), None


def _rule_problem(rule: Mapping[str, Any], data: dict[str, Any], path: str) -> str | None:
    text = rule["rule"]
    error = compile_error(text)
    if error:
        return f"{path or '<root>'}: rule {text!r} could not be compiled by the harness: {error}"
    value, error = evaluate(text, data)
    where = path + str(rule.get("fieldPath", "")) or "<root>"
    if error is not None:
        return f"{where}: rule {text!r} failed to evaluate: {error}"
    if value is True:
        return None
    if value is not False:
        return f"{where}: rule {text!r} returned {value!r}, not a bool"
    message = rule.get("message") or f"failed rule: {text}"
    if rule.get("messageExpression"):
        computed, _ = evaluate(rule["messageExpression"], data)
        if isinstance(computed, str) and computed.strip():
            message = computed
    return f"{where}: {message} (rule: {text})"


def cel_problems(
    schema: Mapping[str, Any],
    value: Any,
    old: Any,
    has_old: bool,
    path: str,
    counter: Counter,
) -> list[str]:
    problems = []
    rules = schema.get("x-kubernetes-validations") or []
    if rules:
        data = {"self": _cel_value(schema, value)}
        if has_old:
            data["oldSelf"] = _cel_value(schema, old)
        for rule in rules:
            if _is_transition(rule["rule"]) and not has_old:
                counter.transition_rules_skipped += 1
                continue
            counter.rules += 1
            problem = _rule_problem(rule, data, path)
            if problem:
                problems.append(problem)
    old_children = dict(_correlate(schema, value, old)) if has_old else {}
    for key, sub, item in children(schema, value):
        if key in old_children:
            problems += cel_problems(sub, item, old_children[key], True, join(path, key), counter)
        else:
            problems += cel_problems(sub, item, None, False, join(path, key), counter)
    return problems


def _correlate(schema: Mapping[str, Any], value: Any, old: Any) -> Iterator[tuple[str | int, Any]]:
    """(key of a child of `value`, its old value) where Kubernetes correlates old and new."""
    if isinstance(value, dict) and isinstance(old, dict):
        for key in value:
            if key in old:
                yield key, old[key]
    elif (
        isinstance(value, list)
        and isinstance(old, list)
        and schema.get("x-kubernetes-list-type") == "map"
    ):
        keys = schema.get("x-kubernetes-list-map-keys") or []
        by_key = {tuple(o.get(k) for k in keys): o for o in old if isinstance(o, dict)}
        for i, item in enumerate(value):
            if isinstance(item, dict) and tuple(item.get(k) for k in keys) in by_key:
                yield i, by_key[tuple(item.get(k) for k in keys)]
