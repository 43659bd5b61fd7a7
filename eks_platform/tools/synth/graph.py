"""The recorded resource graph: what each registration asked the engine for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass
class RecordedResource:
    """One registration, as the engine would have received it."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]
    protect: bool
    ignore_changes: list[str]
    provider: str
    aliases: list[str] = field(default_factory=list)
    """Earlier URNs of this resource (`opts.aliases`), as the engine would look them up."""
    retain_on_delete: bool = False
    """Pulumi forgets the resource instead of deleting it (`opts.retain_on_delete`)."""
    replace_on_changes: list[str] = field(default_factory=list)
    """Inputs whose change replaces the resource (`replaceOnChanges`)."""

    @property
    def short_type(self) -> str:
        return self.type.rsplit(":", 1)[-1]

    @property
    def provider_urn(self) -> str | None:
        """The URN of the explicit provider (a reference is `urn::id`), if any."""
        return self.provider.rsplit("::", 1)[0] if self.provider else None

    @property
    def waits_for(self) -> list[str]:
        """What the engine makes this resource wait for: its own recorded dependencies and its
        explicit provider. Not its parent's dependencies: the SDK registers a resource with
        only its own `depends_on` (components expanded to their children) and input edges."""
        provider = self.provider_urn
        return [*self.dependencies, *([provider] if provider else [])]


@dataclass
class Graph:
    """The recorded resource graph of one program run (read-only once recorded)."""

    resources: list[RecordedResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: set[str] = field(default_factory=set)
    invokes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Data-source calls (token, arguments), in the order the program made them."""
    warnings: list[str] = field(default_factory=list)
    """What the program logged as warnings (`pulumi.log.warn`), in order."""
    secret_config: list[str] = field(default_factory=list)
    """Stack-file keys whose values are encrypted (`{secure: ...}`): placeholders offline."""

    def __iter__(self) -> Iterator[RecordedResource]:
        return iter(self.resources)

    @cached_property
    def by_urn(self) -> dict[str, RecordedResource]:
        return {r.urn: r for r in self.resources}

    @cached_property
    def descendant_urns(self) -> dict[str, list[str]]:
        """URN -> the URNs below it (depth first, registration order), for every resource."""
        children: dict[str, list[str]] = {}
        for resource in self.resources:
            children.setdefault(resource.parent, []).append(resource.urn)
        out: dict[str, list[str]] = {}

        def walk(urn: str) -> list[str]:
            if urn not in out:
                out[urn] = [d for child in children.get(urn, []) for d in (child, *walk(child))]
            return out[urn]

        for resource in self.resources:
            walk(resource.urn)
        return out

    @cached_property
    def alias_urns(self) -> dict[str, list[str]]:
        """URN -> every earlier URN the engine would match it with: its own aliases, and its
        URN under each earlier URN of its parent (the engine's inherited aliases)."""
        out: dict[str, list[str]] = {}
        for resource in self.resources:  # parents register before their children
            inherited = [
                f"{alias.rsplit('::', 2)[0]}::{alias.rsplit('::', 2)[1]}${resource.type}"
                f"::{resource.name}"
                for alias in out.get(resource.parent, [])]
            out[resource.urn] = list(dict.fromkeys([*resource.aliases, *inherited]))
        return out

    def of_type(self, type_: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> RecordedResource:
        found = [r for r in self.of_type(type_) if name is None or r.name == name]
        if len(found) != 1:
            names = [r.name for r in self.of_type(type_)]
            raise LookupError(f"{len(found)} {type_} named {name!r}; have {names}")
        return found[0]

    def children(self, parent: RecordedResource) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def descendants(self, parent: RecordedResource) -> list[RecordedResource]:
        return [self.by_urn[urn] for urn in self.descendant_urns[parent.urn]]

    def ancestors(self, resource: RecordedResource) -> list[RecordedResource]:
        chain: list[RecordedResource] = []
        index = self.by_urn
        while resource.parent in index:
            resource = index[resource.parent]
            chain.append(resource)
        return chain

    def depends_on(self, resource: RecordedResource, target: RecordedResource) -> bool:
        """Whether the engine makes `resource` wait, directly or transitively, for `target` or
        one of its descendants (see `RecordedResource.waits_for`)."""
        goal = {target.urn, *self.descendant_urns[target.urn]}
        index, seen = self.by_urn, set()
        pending = [resource]
        while pending:
            current = pending.pop()
            for dep in current.waits_for:
                if dep in goal:
                    return True
                if dep not in seen and dep in index:
                    seen.add(dep)
                    pending.append(index[dep])
                    pending.extend(self.descendants(index[dep]))
        return False
