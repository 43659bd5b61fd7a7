"""Lists whose items name resources refuse repeats, naming the key of the second mention."""

from __future__ import annotations

from typing import Any

import pytest

from eks_platform.stack import SettingsError, parse


@pytest.mark.parametrize(("settings", "line"), [
    ({"eks-platform:endpoint": {"privateAccessCidrs": ["10.1.0.0/24", "10.2.0.0/24",
                                                        "10.1.0.0/24"]}},
     'eks-platform:endpoint.privateAccessCidrs[2] = "10.1.0.0/24": range 10.1.0.0/24 is given '
     "twice; give each range once (what it opens is named by the range)"),
    ({"eks-platform:endpoint": {"publicAccess": True,
                                "publicAccessCidrs": ["192.0.3.0/24", "192.0.3.0/24"]}},
     'eks-platform:endpoint.publicAccessCidrs[1] = "192.0.3.0/24": range 192.0.3.0/24 is given '
     "twice; give each range once (what it opens is named by the range)"),
])
def test_a_repeated_range_is_refused(settings: dict[str, Any], line: str) -> None:
    with pytest.raises(SettingsError) as info:
        parse({"aws:region": "us-east-1", **settings}, "stacks/Pulumi.x.yaml")
    assert info.value.problems == [line]
