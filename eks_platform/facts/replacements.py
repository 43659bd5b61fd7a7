"""Which input changes force a replacement, as the bridged providers decide it.

The data (`replacements.json`) is generated from the providers' sources:

    .venv/bin/python scripts/generate_replacements.py --tf-source PATH

For each Pulumi resource type the package creates it lists the inputs whose change replaces the
resource (`replaceOn`: terraform-provider-aws `ForceNew` schema flags and `RequiresReplace` plan
modifiers, nested blocks as dotted camelCase paths; the Kubernetes provider's identity fields),
the rules decided in code (`conditional`: CustomizeDiff and ModifyPlan functions, the per-resource
`region` rule, the Kubernetes provider's DiffConfig), and the inputs the installed SDK has but the
source copy read does not (`unverified`: classified `unknown`, never guessed).

Paths are Pulumi input paths: `vpcConfig.subnetIds`, list indices dropped (`selectors[0].namespace`
is `selectors.namespace`). This module is pure (no Pulumi import): the offline `plan --diff` feeds
it recorded inputs.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from eks_platform.facts.replacement_rules import ConditionalRule, value_at

DATA_FILE = Path(__file__).with_name("replacements.json")
COMMAND = "python scripts/generate_replacements.py --tf-source PATH"
SCHEMA_VERSION = 1

#: Types whose replacement loses data or identity: what `plan --fail-on-replace` refuses.
STATEFUL_TYPES: frozenset[str] = frozenset({
    "aws:eks/cluster:Cluster",
    "aws:kms/key:Key",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ec2/vpc:Vpc",
})

#: `update`: changed in place; `replace`: delete and create; `none`: the provider keeps its
#: current value (an Optional+Computed input removed, a diff the provider clears);
#: `unknown`: cannot be decided offline (input newer than the source read, a rule that needs a
#: value the plan does not have).
Change = Literal["update", "replace", "none", "unknown"]

#: Rules whose firing removes a diff instead of forcing a replacement.
_SUPPRESSING = frozenset({"ignoredWhenSet"})


class UnknownResourceTypeError(KeyError):
    """A resource type the replacement table does not cover."""

    def __init__(self, token: str, known: Iterable[str]) -> None:
        super().__init__(token)
        self.token = token
        self.close = tuple(difflib.get_close_matches(token, sorted(known), n=3, cutoff=0.6))

    def __str__(self) -> str:
        hint = f" (close: {', '.join(self.close)})" if self.close else ""
        return (f"no replacement rules for resource type {self.token!r}{hint}: add it to "
                f"scripts/generate_replacements.py and run `{COMMAND}`")


@dataclass(frozen=True, slots=True)
class TypeRules:
    """What forces a replacement of one resource type."""

    token: str
    replace_on: tuple[str, ...]
    optional_computed: frozenset[str]
    sets: frozenset[str]
    conditional: tuple[ConditionalRule, ...]
    unverified: tuple[str, ...]
    notes: tuple[str, ...]
    source: Mapping[str, Any]

    @property
    def stateful(self) -> bool:
        return self.token in STATEFUL_TYPES


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root + ".") for root in roots)


def normalize_path(path: str) -> str:
    """`selectors[0].namespace` -> `selectors.namespace`; `.metadata.name` -> `metadata.name`."""
    return re.sub(r"\[[^\]]*\]", "", path).strip(".")


@cache
def _load(path: Path) -> Mapping[str, TypeRules]:
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("schemaVersion") != SCHEMA_VERSION:
        raise ValueError(f"{path}: schemaVersion {document.get('schemaVersion')!r}, "
                         f"expected {SCHEMA_VERSION}: run `{COMMAND}`")
    return {
        token: TypeRules(
            token=token,
            replace_on=tuple(entry["replaceOn"]),
            optional_computed=frozenset(entry["optionalComputed"]),
            sets=frozenset(entry["sets"]),
            conditional=tuple(
                ConditionalRule(field=r["field"], rule=r["rule"], note=r["note"], file=r["file"],
                                line=r.get("line"), function=r.get("function", ""),
                                params=r.get("params", {}))
                for r in entry["conditional"]),
            unverified=tuple(entry["unverified"]),
            notes=tuple(entry["notes"]),
            source=entry["source"],
        )
        for token, entry in document["types"].items()
    }


def load(path: Path = DATA_FILE) -> Mapping[str, TypeRules]:
    """Every type's rules, by Pulumi type token."""
    return _load(path)


def known_types(path: Path = DATA_FILE) -> frozenset[str]:
    return frozenset(load(path))


def rules(type_token: str, path: Path = DATA_FILE) -> TypeRules:
    """The rules of one type; `UnknownResourceTypeError` (a KeyError) names close matches."""
    table = load(path)
    try:
        return table[type_token]
    except KeyError:
        raise UnknownResourceTypeError(type_token, table) from None


def is_stateful(type_token: str) -> bool:
    """Whether replacing this type loses state (the `--fail-on-replace` set)."""
    return rules(type_token).stateful


def changed_paths(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None,
    *, sets: Iterable[str] = (),
) -> list[str]:
    """The leaf input paths that differ between two input dicts (None equals absent)."""
    out: list[str] = []
    _diff(old, new, "", frozenset(sets), out)
    return list(dict.fromkeys(out))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _leaves(value: Any, path: str, out: list[str]) -> None:
    if isinstance(value, Mapping) and value:
        for key in value:
            _leaves(value[key], _join(path, str(key)), out)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for item in value:
            _leaves(item, path, out)
    elif value is not None:
        out.append(path)


def _canonical(values: Sequence[Any]) -> list[str]:
    return sorted(json.dumps(v, sort_keys=True, default=str) for v in values)


def _diff(old: Any, new: Any, path: str, sets: frozenset[str], out: list[str]) -> None:
    if old == new:
        return
    if old is None or new is None:
        _leaves(new if old is None else old, path, out)
    elif isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in dict.fromkeys([*old, *new]):
            _diff(old.get(key), new.get(key), _join(path, str(key)), sets, out)
    elif isinstance(old, list) and isinstance(new, list):
        if path in sets and _canonical(old) == _canonical(new):
            return
        if all(isinstance(v, Mapping) for v in [*old, *new]):
            for index in range(max(len(old), len(new))):
                _diff(old[index] if index < len(old) else None,
                      new[index] if index < len(new) else None, path, sets, out)
        else:
            out.append(path)
    else:
        out.append(path)


def _kept_by_provider(
    type_rules: TypeRules, path: str, new: Mapping[str, Any] | None
) -> bool:
    """An Optional+Computed input (or block) removed from the inputs keeps its current value."""
    parts = path.split(".")
    for end in range(1, len(parts) + 1):
        prefix = ".".join(parts[:end])
        if prefix in type_rules.optional_computed and value_at(new, prefix) is None:
            return True
    return False


def _classify(
    type_rules: TypeRules, path: str, old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None, provider_region: str | None,
) -> Change:
    applicable = [r for r in type_rules.conditional if _under(path, r.fields)]
    if any(r.rule in _SUPPRESSING and r.fires(old, new) for r in applicable):
        return "none"
    if _kept_by_provider(type_rules, path, new):
        return "none"
    if _under(path, type_rules.replace_on):
        return "replace"
    verdicts = [r.fires(old, new, provider_region=provider_region)
                for r in applicable if r.rule not in _SUPPRESSING]
    if any(v is True for v in verdicts):
        return "replace"
    if any(v is None for v in verdicts) or _under(path, type_rules.unverified):
        return "unknown"
    return "update"


def classify(
    type_token: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None,
    *, provider_region: str | None = None,
) -> dict[str, Change]:
    """Every changed input path of one resource with what the provider does about it."""
    type_rules = rules(type_token)
    return {path: _classify(type_rules, path, old, new, provider_region)
            for path in changed_paths(old, new, sets=type_rules.sets)}


def replace_fields(
    type_token: str, changed_fields: Iterable[str],
    *, old: Mapping[str, Any] | None = None, new: Mapping[str, Any] | None = None,
    provider_region: str | None = None,
) -> list[str]:
    """Which of the changed input paths force a replacement.

    With only the paths, the answer comes from the schema flags: a path at or under a
    replace-forcing input replaces, and so does a container path holding one (its change may
    touch it). Rules decided in code need values: pass `old` and `new` inputs (containers are
    then expanded to the leaves that differ, and Optional+Computed removals count as no change);
    without them, see `conditional_fields`.
    """
    type_rules = rules(type_token)
    paths = list(dict.fromkeys(normalize_path(p) for p in changed_fields))
    if old is None or new is None:
        return [p for p in paths if _under(p, type_rules.replace_on)
                or any(r.startswith(p + ".") for r in type_rules.replace_on)]
    leaves = [leaf for leaf in changed_paths(old, new, sets=type_rules.sets)
              if _under(leaf, paths)]
    return [leaf for leaf in leaves
            if _classify(type_rules, leaf, old, new, provider_region) == "replace"]


def conditional_fields(type_token: str, changed_fields: Iterable[str]) -> list[ConditionalRule]:
    """The code-decided rules the changed paths bring into play (decidable with values)."""
    type_rules = rules(type_token)
    paths = {normalize_path(p) for p in changed_fields}
    return [r for r in type_rules.conditional
            if any(_under(f, paths) or _under(p, {f}) for f in r.fields for p in paths)]
