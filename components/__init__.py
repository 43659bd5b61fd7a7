"""eks-platform: Amazon EKS cluster, node groups and add-ons as Pulumi components.

Components are exported lazily (PEP 562) so that `python -m components max-pods` and the pure
modules never import Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


if TYPE_CHECKING:
    pass
