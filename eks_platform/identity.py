"""Resource names from what a list item is, not where it sits (pure).

A resource made from a list item (an admin, a private range, a zone's ENIConfig) is named from
the item's identity, so inserting, removing or reordering items changes only the resources of
the items that changed. Pulumi names must be stable and readable; the engine accepts any
string, but these stay within `[a-z0-9-]` so they read well in URNs and in `plan --diff`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network

#: Characters of the readable part of a principal's key (a role name can have 64).
_READABLE = 40
_HASH = 8


def principal_key(arn: str) -> str:
    """`arn:aws:iam::111122223333:role/team/platform-admins` -> `platform-admins-<8 hex>`:
    the role or user name, then a short hash of the whole ARN (two accounts' roles of the
    same name stay apart)."""
    name = arn.rsplit("/", 1)[-1].lower()
    readable = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:_READABLE].strip("-") or "principal"
    digest = hashlib.sha256(arn.encode("utf-8")).hexdigest()[:_HASH]
    return f"{readable}-{digest}"


def cidr_key(cidr: str | IPv4Network | IPv6Network) -> str:
    """`10.100.0.0/24` -> `10-100-0-0-24` (IPv6 `2001:db8::/56` -> `2001-db8--56`)."""
    return re.sub(r"[^0-9a-f]", "-", str(cidr).lower())


def repeated(items: Iterable[object]) -> list[str]:
    """The items that occur more than once, each once, in first-seen order."""
    seen: set[str] = set()
    twice: dict[str, None] = {}
    for item in items:
        key = str(item)
        if key in seen:
            twice[key] = None
        seen.add(key)
    return list(twice)
