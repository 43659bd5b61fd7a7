"""What the API server does to a custom resource's value before validating it (nulls dropped,
defaults applied), ObjectMeta's rules, and walking a schema and a value together: shared by
the schema and CEL checks of `crds`."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

# cel-expr-python ships .pyi stubs but no py.typed marker.

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


# --- preparation: the API server's pruning of nulls and defaulting -------------------------


def prepare(obj: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
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
        for _, sub, item in children_or_raw(schema, value):
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


def object_meta_problems(meta: Any, path: str, namespaced: bool | None) -> list[str]:
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



# --- walking a schema and a value together ----------------------------------------------------


def schema_nodes(schema: Mapping[str, Any], path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield path, schema
    for key, sub in (schema.get("properties") or {}).items():
        yield from schema_nodes(sub, f"{path}.{key}")
    if isinstance(schema.get("items"), dict):
        yield from schema_nodes(schema["items"], f"{path}[*]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from schema_nodes(schema["additionalProperties"], f"{path}[*]")


def children(schema: Mapping[str, Any], value: Any) -> Iterator[tuple[str | int, Any, Any]]:
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


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def walk(
    schema: Mapping[str, Any], value: Any, path: str
) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    yield path, schema, value
    for key, sub, item in children(schema, value):
        yield from walk(sub, item, join(path, key))


def list_type_problems(schema: Mapping[str, Any], value: Any, path: str) -> list[str]:
    problems = []
    for where, node, item in walk(schema, value, path):
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

def children_or_raw(
    schema: Mapping[str, Any], value: Mapping[str, Any]
) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    props = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        yield key, props.get(key, extra if isinstance(extra, dict) else {}), item
