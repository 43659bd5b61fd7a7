"""Helpers shared by the request builders (`requests.py`, `requests_ec2.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eks_platform.tools.synth.graph import RecordedResource

#: Pulumi's autoname suffix stand-in (7 random lowercase characters at deploy).
SUFFIX = "a1b2c3d"


def num(value: Any) -> Any:
    """Recorded numbers are doubles (protobuf Struct); the API's integers are ints. Values
    known only at deploy (`pulumi.output.Unknown`) become None: left out of the request."""
    if type(value).__name__ == "Unknown":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: num(v) for k, v in value.items()}
    if isinstance(value, list):
        return [num(v) for v in value]
    return value


def clean(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unset members (Terraform leaves them out of the request)."""
    return {k: v for k, v in params.items() if v is not None and v != {} and v != []}


def name(r: RecordedResource, key: str = "name", prefix_key: str = "namePrefix") -> str:
    i = r.inputs
    if i.get(key):
        return str(i[key])
    if i.get(prefix_key):
        return f"{i[prefix_key]}{SUFFIX}"
    return f"{r.name}-{SUFFIX}"


def ec2_tags(kind: str, tags: Mapping[str, str] | None) -> list[dict[str, Any]] | None:
    if not tags:
        return None
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def kv(tags: Mapping[str, str] | None, key: str = "Key", value: str = "Value") -> Any:
    return [{key: k, value: v} for k, v in (tags or {}).items()] or None
