"""What every eks-platform component shares: dependencies that reach its resources, and
Args that validate like stack settings.

The Pulumi engine does not hand a component's `depends_on` to the resources inside it, so a
node group given `depends_on=[cni]` would still be created at once. `EksComponent` keeps the
component's dependencies and gives them to every child it creates through `child_opts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pulumi
from pydantic import ConfigDict

from eks_platform.model import SettingsModel


class ComponentArgs(SettingsModel):
    """Base of every component's Args: the settings models' rules and messages, plus fields
    that hold Pulumi values (resources, Outputs), which are passed through unvalidated."""

    model_config = ConfigDict(arbitrary_types_allowed=True)


if TYPE_CHECKING:
    StringList = pulumi.Input[Sequence[str]]
    """A list of strings, or an Output of one (subnet IDs of another resource)."""
    StringInput = pulumi.Input[str]
    """A string, or an Output of one (an ARN another resource computes)."""
else:
    StringList = Any
    StringInput = Any


def _as_list(depends_on: Any) -> list[pulumi.Resource]:
    if depends_on is None:
        return []
    if isinstance(depends_on, pulumi.Resource):
        return [depends_on]
    if isinstance(depends_on, Sequence):
        return list(depends_on)
    raise TypeError("depends_on of an eks-platform component must be a resource or a list")


class EksComponent(pulumi.ComponentResource):
    """A ComponentResource whose `opts.depends_on` reaches every resource inside it."""

    def __init__(self, type_: str, name: str, opts: pulumi.ResourceOptions | None) -> None:
        super().__init__(type_, name, None, opts)
        self._depends_on = _as_list(opts.depends_on if opts is not None else None)

    def child_opts(self, *, depends_on: Sequence[pulumi.Resource] = (),
                   **options: Any) -> pulumi.ResourceOptions:
        """Options of a child: parented here, waiting for what the component waits for."""
        waits = [*self._depends_on, *depends_on]
        return pulumi.ResourceOptions(parent=self, depends_on=waits or None, **options)
