"""Validate Kubernetes custom resources the way the API server would, offline.

For an object and its CRD, `validate` does what kube-apiserver does on create (or on update,
given the old object), in its order: it drops nulls from non-nullable fields, applies the
schema's defaults, then checks

- the object's apiVersion and kind against the CRD's served versions,
- `metadata` as ObjectMeta (name, namespace scoping, label and annotation syntax),
- the served version's `openAPIV3Schema` (types, required, enums, patterns, bounds, formats
  int32/int64/date-time), with Kubernetes' extensions: `x-kubernetes-int-or-string`,
  `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-embedded-resource`, `nullable`, and
  unknown fields reported (the API server would silently prune them),
- `x-kubernetes-list-type` set/map uniqueness,
- every `x-kubernetes-validations` CEL rule at every level where a value is present; transition
  rules (those that read `oldSelf`) only when an old object is given and the old value
  correlates (object fields, map values, map-type list items), as on an update.

CEL is evaluated by cel-expr-python, the Python binding of the CEL team's C++ implementation
(cel-cpp), with the strings extension (`split`, `lowerAscii`, ...) and Kubernetes' regex library
(`find`, `findAll`) declared here. A rule that does not compile (a Kubernetes library function
the harness lacks) is reported as a problem, never skipped: see `Crd.uncompilable`.

Not modelled: CEL cost limits, `format: duration`/`date-time` values as CEL durations and
timestamps (they stay strings), ratcheting of unchanged invalid values on update.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# cel-expr-python ships .pyi stubs but no py.typed marker.
from cel_expr_python import cel  # type: ignore[import-untyped]
from cel_expr_python.ext.ext_strings import ExtStrings  # type: ignore[import-untyped]

from tests.conformance import VENDORED

CRD_DIR = VENDORED / "crds"

_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = re.compile(rf"{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*")
_QUALIFIED_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_OBJECT_META_FIELDS = frozenset(
    {
        "name",
        "generateName",
        "namespace",
        "labels",
        "annotations",
        "finalizers",
        "ownerReferences",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "managedFields",
        "selfLink",
    }
)
_ANNOTATIONS_MAX_BYTES = 256 * 1024
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


@dataclass(frozen=True)
class Crd:
    """A CustomResourceDefinition: its names and each served version's schema."""

    name: str
    group: str
    kind: str
    namespaced: bool
    #: Served version name -> its openAPIV3Schema.
    schemas: Mapping[str, Mapping[str, Any]]
    source: str
    #: "path: rule: error" for every CEL rule of a served version that does not compile.
    uncompilable: tuple[str, ...] = field(default=())

    def rules(self, version: str) -> list[tuple[str, Mapping[str, Any]]]:
        """(schema path, rule) of every `x-kubernetes-validations` entry of a version."""
        return [
            (path, rule)
            for path, node in _schema_nodes(self.schemas[version], "")
            for rule in node.get("x-kubernetes-validations") or []
        ]


def load_crd(path: Path) -> Crd:
    """Read a CRD file (one CustomResourceDefinition document)."""
    doc = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if doc.get("kind") != "CustomResourceDefinition":
        raise ValueError(f"{path}: not a CustomResourceDefinition")
    spec = doc["spec"]
    schemas = {
        v["name"]: v["schema"]["openAPIV3Schema"] for v in spec["versions"] if v.get("served")
    }
    crd = Crd(
        name=doc["metadata"]["name"],
        group=spec["group"],
        kind=spec["names"]["kind"],
        namespaced=spec["scope"] == "Namespaced",
        schemas=schemas,
        source=str(path),
    )
    broken = []
    for version in schemas:
        for path_, rule in crd.rules(version):
            error = _compile_error(rule["rule"])
            if error:
                broken.append(f"{version}{path_}: {rule['rule']}: {error}")
    return dataclasses.replace(crd, uncompilable=tuple(broken))


@cache
def vendored_crds() -> dict[str, Crd]:
    """Every vendored CRD (`conformance/crds/`), by CRD name (`nodepools.karpenter.sh`)."""
    crds = [load_crd(p) for p in sorted(CRD_DIR.glob("*.yaml"))]
    return {c.name: c for c in crds}


def vendored_crd(name: str) -> Crd:
    """A vendored CRD by name, e.g. `nodepools.karpenter.sh`, `eniconfigs.crd.k8s.amazonaws.com`."""
    crds = vendored_crds()
    if name not in crds:
        raise KeyError(f"no vendored CRD {name!r}; vendored: {sorted(crds)}")
    return crds[name]


def crd_for(obj: Mapping[str, Any]) -> Crd | None:
    """The vendored CRD that defines an object's apiVersion group and kind, if any."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    for crd in vendored_crds().values():
        if crd.group == group and crd.kind == obj.get("kind"):
            return crd
    return None


def validate(
    obj: Mapping[str, Any],
    crd: Crd | None = None,
    *,
    old: Mapping[str, Any] | None = None,
    counter: Counter | None = None,
) -> list[str]:
    """Problems with `obj` as the API server would report them on create (or update from `old`).

    `crd` defaults to the vendored CRD of the object's group and kind. Each problem names the
    field path; CEL problems also name the rule and its message. Counts go to `counter`.
    """
    counter = counter if counter is not None else Counter()
    counter.objects += 1
    crd = crd or crd_for(obj)
    if crd is None:
        return [f"{obj.get('apiVersion')}/{obj.get('kind')}: no vendored CRD for this kind"]
    group, _, version = str(obj.get("apiVersion", "")).rpartition("/")
    if group != crd.group or obj.get("kind") != crd.kind:
        return [f"apiVersion/kind {obj.get('apiVersion')}/{obj.get('kind')} is not {crd.name}"]
    if version not in crd.schemas:
        served = sorted(crd.schemas)
        return [f"apiVersion: version {version!r} of {crd.name} is not served: {served}"]
    schema = crd.schemas[version]
    new_value = _prepare(obj, schema)
    old_value = _prepare(old, schema) if old is not None else None
    problems = _object_meta_problems(new_value.get("metadata"), "metadata", crd.namespaced)
    problems += _schema_problems(new_value, crd, version)
    problems += _list_type_problems(schema, new_value, "")
    problems += _cel_problems(schema, new_value, old_value, old is not None, "", counter)
    return problems


# --- preparation: the API server's pruning of nulls and defaulting -------------------------


def _prepare(obj: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = _as_sent(obj)
    _drop_nulls(schema, value)
    _default(schema, value)
    return value


def _as_sent(value: Any) -> Any:
    """A deep copy with integral floats as ints: JSON has one number type, and Pulumi's
    recorded inputs (protobuf Struct doubles) hold 110.0 where the provider sends `110`."""
    if isinstance(value, Mapping):
        return {k: _as_sent(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_sent(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return copy.deepcopy(value)


def _drop_nulls(schema: Mapping[str, Any], value: Any) -> None:
    """Null values of non-nullable fields are pruned before defaulting, as the API server does."""
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key in list(value):
            sub = props.get(key, extra if isinstance(extra, dict) else {})
            if value[key] is None and not sub.get("nullable"):
                del value[key]
            else:
                _drop_nulls(sub, value[key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _drop_nulls(schema["items"], item)


def _default(schema: Mapping[str, Any], value: Any) -> None:
    """Structural defaulting: absent properties get their `default`, then are defaulted inside."""
    if isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
        for _, sub, item in _children_or_raw(schema, value):
            _default(sub, item)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _default(schema["items"], item)


# --- ObjectMeta ---------------------------------------------------------------------------


def _qualified_name_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.fullmatch(prefix)):
        return "prefix must be a DNS-1123 subdomain of at most 253 characters"
    if not name or len(name) > 63 or not _QUALIFIED_NAME.fullmatch(name):
        return (
            "name part must be at most 63 characters of alphanumerics, '-', '_' or '.', "
            "starting and ending with an alphanumeric"
        )
    return None


def _object_meta_problems(meta: Any, path: str, namespaced: bool | None) -> list[str]:
    """ObjectMeta as the API server validates it (`namespaced=None`: embedded, either scope)."""
    if not isinstance(meta, dict):
        return [f"{path}: required object"]
    problems = [
        f"{path}.{key}: unknown field in ObjectMeta (the API server would drop it)"
        for key in meta
        if key not in _OBJECT_META_FIELDS
    ]
    name = meta.get("name")
    if not name and not meta.get("generateName"):
        problems.append(f"{path}.name: required (or generateName)")
    if (
        isinstance(name, str)
        and name
        and (len(name) > 253 or not _DNS1123_SUBDOMAIN.fullmatch(name))
    ):
        problems.append(
            f"{path}.name: {name!r} must be a DNS-1123 subdomain (lowercase alphanumerics, '-' "
            "and '.', at most 253 characters)"
        )
    namespace = meta.get("namespace")
    if namespace and namespaced is False:
        problems.append(f"{path}.namespace: not allowed on a cluster-scoped resource")
    if namespace and (len(namespace) > 63 or not re.fullmatch(_DNS1123_LABEL, namespace)):
        problems.append(f"{path}.namespace: {namespace!r} must be a DNS-1123 label")
    labels = meta.get("labels") or {}
    for key, value in labels.items():
        why = _qualified_name_problem(str(key))
        if why:
            problems.append(f"{path}.labels: key {key!r}: {why}")
        if not isinstance(value, str):
            problems.append(f"{path}.labels[{key!r}]: must be a string, not {value!r}")
        elif value and (len(value) > 63 or not _QUALIFIED_NAME.fullmatch(value)):
            problems.append(
                f"{path}.labels[{key!r}]: value {value!r} must be at most 63 characters of "
                "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
            )
    annotations = meta.get("annotations") or {}
    size = 0
    for key, value in annotations.items():
        why = _qualified_name_problem(str(key))
        if why:
            problems.append(f"{path}.annotations: key {key!r}: {why}")
        if not isinstance(value, str):
            problems.append(f"{path}.annotations[{key!r}]: must be a string, not {value!r}")
        size += len(str(key)) + len(str(value))
    if size > _ANNOTATIONS_MAX_BYTES:
        problems.append(f"{path}.annotations: {size} bytes, more than the 256 KiB allowed")
    return problems


# --- OpenAPI schema -------------------------------------------------------------------------

_KEPT = (
    "type", "enum", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "minItems", "maxItems",
    "uniqueItems", "minProperties", "maxProperties", "required",
)  # fmt: skip


def _json_schema(node: Mapping[str, Any], root: bool = False) -> dict[str, Any]:
    """A CRD structural schema as a JSON Schema draft 4 (OpenAPI 3.0's boolean exclusive bounds)."""
    out: dict[str, Any] = {k: node[k] for k in _KEPT if k in node}
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    for key in ("allOf", "anyOf", "oneOf"):
        if key in node:
            out[key] = [_json_schema(s) for s in node[key]]
    if "not" in node:
        out["not"] = _json_schema(node["not"])
    if isinstance(node.get("items"), dict):
        out["items"] = _json_schema(node["items"])
    props = {k: _json_schema(v) for k, v in (node.get("properties") or {}).items()}
    embedded = bool(node.get("x-kubernetes-embedded-resource"))
    if root or embedded:
        # apiVersion, kind and metadata are always known; metadata is checked as ObjectMeta.
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        meta = dict(props.get("metadata") or {})
        meta.pop("additionalProperties", None)
        props["metadata"] = meta
    if embedded:
        out["required"] = sorted({*out.get("required", []), "apiVersion", "kind", "metadata"})
    if props:
        out["properties"] = props
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = _json_schema(extra)
    elif extra is not None:
        out["additionalProperties"] = extra
    elif node.get("x-kubernetes-preserve-unknown-fields"):
        pass
    elif node.get("type") == "object" or props:
        out["additionalProperties"] = False
    return out


def _int_format(bits: int) -> Any:
    def check(value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True
        return bool(-(2 ** (bits - 1)) <= value < 2 ** (bits - 1))

    return check


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value.upper()


_FORMATS = jsonschema.FormatChecker(formats=())
_FORMATS.checks("int32")(_int_format(32))
_FORMATS.checks("int64")(_int_format(64))
_FORMATS.checks("date-time")(_date_time)


_VALIDATORS: dict[tuple[str, str, str], jsonschema.protocols.Validator] = {}


def _validator(crd: Crd, version: str) -> jsonschema.protocols.Validator:
    """The JSON Schema validator of a CRD version, built once per session."""
    key = (crd.source, crd.name, version)
    if key not in _VALIDATORS:
        schema = _json_schema(crd.schemas[version], root=True)
        _VALIDATORS[key] = jsonschema.Draft4Validator(schema, format_checker=_FORMATS)
    return _VALIDATORS[key]


def _field_path(parts: Iterator[str | int] | Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _short(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _schema_problems(value: Mapping[str, Any], crd: Crd, version: str) -> list[str]:
    validator = _validator(crd, version)
    problems = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path))):
        path = _field_path(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            node = error.schema if isinstance(error.schema, Mapping) else {}
            known = set(node.get("properties") or {})
            for key in sorted(k for k in error.instance if k not in known):
                sub = f"{path}.{key}" if path != "<root>" else key
                problems.append(f"{sub}: unknown field (the API server would drop it)")
            continue
        problems.append(f"{path}: {_short(error.message)}")
    # Embedded resources (x-kubernetes-embedded-resource) carry their own ObjectMeta.
    for path, node, sub in _walk(crd.schemas[version], value, ""):
        if node.get("x-kubernetes-embedded-resource") and isinstance(sub, dict) and path:
            problems += _object_meta_problems(sub.get("metadata"), f"{path}.metadata", None)
    return problems


# --- walking a schema and a value together ----------------------------------------------------


def _schema_nodes(schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield path, schema
    for key, sub in (schema.get("properties") or {}).items():
        yield from _schema_nodes(sub, f"{path}.{key}")
    if isinstance(schema.get("items"), dict):
        yield from _schema_nodes(schema["items"], f"{path}[*]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _schema_nodes(schema["additionalProperties"], f"{path}[*]")


def _children(schema: Mapping[str, Any], value: Any) -> Iterator[tuple[str | int, Any, Any]]:
    """(key, sub-schema, sub-value) of the value's children that the schema describes."""
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                yield key, props[key], item
            elif isinstance(extra, dict):
                yield key, extra, item
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            yield i, schema["items"], item


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _walk(
    schema: Mapping[str, Any], value: Any, path: str
) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    yield path, schema, value
    for key, sub, item in _children(schema, value):
        yield from _walk(sub, item, _join(path, key))


def _list_type_problems(schema: Mapping[str, Any], value: Any, path: str) -> list[str]:
    problems = []
    for where, node, item in _walk(schema, value, path):
        if not isinstance(item, list):
            continue
        list_type = node.get("x-kubernetes-list-type")
        if list_type == "set":
            seen: list[Any] = []
            for i, entry in enumerate(item):
                if entry in seen:
                    problems.append(f"{where}[{i}]: duplicate value {entry!r} in a set")
                seen.append(entry)
        elif list_type == "map":
            keys = node.get("x-kubernetes-list-map-keys") or []
            seen_keys: list[tuple[Any, ...]] = []
            for i, entry in enumerate(item):
                if not isinstance(entry, dict):
                    continue
                key = tuple(entry.get(k) for k in keys)
                if key in seen_keys:
                    named = dict(zip(keys, key, strict=True))
                    problems.append(f"{where}[{i}]: duplicate entry for map keys {named}")
                seen_keys.append(key)
    return problems


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


def _compile_error(rule: str) -> str | None:
    try:
        _compiled(rule)
    except Exception as error:  # cel-expr-python raises plain exceptions for CEL errors
        return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    return None


def _cel_value(schema: Mapping[str, Any], value: Any) -> Any:
    """A JSON value typed as Kubernetes types it for CEL (integer -> int, number -> double)."""
    kind = schema.get("type")
    if isinstance(value, dict):
        return {k: _cel_value(s, v) for k, s, v in _children_or_raw(schema, value)}
    if isinstance(value, list):
        items = schema.get("items")
        return [_cel_value(items if isinstance(items, dict) else {}, v) for v in value]
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _children_or_raw(
    schema: Mapping[str, Any], value: Mapping[str, Any]
) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    props = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        yield key, props.get(key, extra if isinstance(extra, dict) else {}), item


def _is_transition(rule: str) -> bool:
    return bool(_OLD_SELF.search(_STRING_LITERAL.sub("''", rule)))


def _evaluate(rule: str, data: dict[str, Any]) -> tuple[Any, str | None]:
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
    error = _compile_error(text)
    if error:
        return f"{path or '<root>'}: rule {text!r} could not be compiled by the harness: {error}"
    value, error = _evaluate(text, data)
    where = path + str(rule.get("fieldPath", "")) or "<root>"
    if error is not None:
        return f"{where}: rule {text!r} failed to evaluate: {error}"
    if value is True:
        return None
    if value is not False:
        return f"{where}: rule {text!r} returned {value!r}, not a bool"
    message = rule.get("message") or f"failed rule: {text}"
    if rule.get("messageExpression"):
        computed, _ = _evaluate(rule["messageExpression"], data)
        if isinstance(computed, str) and computed.strip():
            message = computed
    return f"{where}: {message} (rule: {text})"


def _cel_problems(
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
    for key, sub, item in _children(schema, value):
        if key in old_children:
            problems += _cel_problems(sub, item, old_children[key], True, _join(path, key), counter)
        else:
            problems += _cel_problems(sub, item, None, False, _join(path, key), counter)
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
