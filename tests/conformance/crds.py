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

import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# cel-expr-python ships .pyi stubs but no py.typed marker.
from tests.conformance import VENDORED
from tests.conformance.crd_cel import Counter as Counter
from tests.conformance.crd_cel import cel_problems, compile_error
from tests.conformance.crd_values import (
    list_type_problems,
    object_meta_problems,
    prepare,
    schema_nodes,
    walk,
)

CRD_DIR = VENDORED / "crds"


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
            for path, node in schema_nodes(self.schemas[version], "")
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
            error = compile_error(rule["rule"])
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
    new_value = prepare(obj, schema)
    old_value = prepare(old, schema) if old is not None else None
    problems = object_meta_problems(new_value.get("metadata"), "metadata", crd.namespaced)
    problems += _schema_problems(new_value, crd, version)
    problems += list_type_problems(schema, new_value, "")
    problems += cel_problems(schema, new_value, old_value, old is not None, "", counter)
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
    for path, node, sub in walk(crd.schemas[version], value, ""):
        if node.get("x-kubernetes-embedded-resource") and isinstance(sub, dict) and path:
            problems += object_meta_problems(sub.get("metadata"), f"{path}.metadata", None)
    return problems


