"""References between the package's components across languages.

A TypeScript `new ManagedNodeGroup("g", {cluster})` sends the engine a resource reference to
the `EksCluster` it created earlier through this same provider process (the engine runs one
provider per package and deployment). The SDK turns a reference into a resource through the
resource module registered for the package; this one answers with the live component that
the provider constructed under that URN, so the node group gets the Python `EksCluster`
inside it (its settings, roles and deploy order), as in a Python program.
"""

from __future__ import annotations

from typing import Any

import pulumi

PACKAGE = "eks-platform"

#: Components this process constructed: by URN once known, and by (type, name) meanwhile.
_BY_URN: dict[str, pulumi.Resource] = {}
_BY_NAME: dict[tuple[str, str], pulumi.Resource] = {}


def remember(component: pulumi.Resource, type_: str, name: str) -> None:
    """Keep a constructed component; it replaces one of the same type and name (a process
    that runs several programs, as the tests do, would otherwise answer with the old one)."""
    previous = _BY_NAME.get((type_, name))
    for urn in [urn for urn, known in _BY_URN.items() if known is previous]:
        del _BY_URN[urn]
    _BY_NAME[(type_, name)] = component
    component.urn.apply(lambda urn: _BY_URN.__setitem__(urn, component))


def _name_of(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


class _Module(pulumi.runtime.ResourceModule):
    def version(self) -> None:
        return None

    def construct(self, name: str, typ: str, urn: str) -> pulumi.Resource:
        found = _BY_URN.get(urn) or _BY_NAME.get((typ, name or _name_of(urn)))
        if found is None:
            raise pulumi.RunError(
                f"{typ} {name!r} ({urn}) was not created by this program's eks-platform "
                "provider: pass a component created in the same program")
        return found


_MODULE = _Module()
_registered = False


def register() -> None:
    """Resolve references to this package's components to the live components (once)."""
    global _registered
    if not _registered:
        pulumi.runtime.register_resource_module(PACKAGE, "index", _MODULE)
        _registered = True


def inner(value: Any, face: type) -> Any:
    """The Python component inside a face given by reference (or the value, for the model's
    own message if it is something else)."""
    if isinstance(value, face):
        return value.component  # type: ignore[attr-defined]
    if isinstance(value, str) and value.startswith("urn:pulumi:"):
        found = _MODULE.construct(_name_of(value), value.rsplit("::", 2)[-2].rsplit("$", 1)[-1],
                                 value)
        return inner(found, face)
    return value
