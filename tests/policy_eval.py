"""A small evaluator of resource-based policies, enough to ask key policies questions.

It follows the IAM evaluation logic for one policy: an explicit Deny wins, else any Allow
allows. Supported: Principal AWS/Service (and "*"), Action wildcards, the condition operators
the package writes (StringEquals, ArnLike, ArnNotLike, Bool) with IAM's rule that a missing key
fails every operator except the Not... ones. Written from the IAM user guide ("Policy
evaluation logic", "Condition operators"), not from the code under test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any


@dataclass(frozen=True)
class Request:
    action: str
    principal_arn: str | None = None
    service: str | None = None
    context: dict[str, str] = field(default_factory=dict)


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _principal_matches(principal: Any, request: Request) -> bool:
    if principal == "*":
        return True
    aws = _values(principal.get("AWS", []))
    services = _values(principal.get("Service", []))
    if request.principal_arn is not None and ("*" in aws or request.principal_arn in aws):
        return True
    return request.service is not None and request.service in services


def _condition_holds(operator: str, key: str, wanted: Any, request: Request) -> bool:
    context = dict(request.context)
    if request.principal_arn is not None:
        context.setdefault("aws:PrincipalArn", request.principal_arn)
    actual = context.get(key)
    negated = operator.startswith(("ArnNot", "StringNot"))
    if actual is None:
        return negated
    if operator == "StringEquals":
        return actual in _values(wanted)
    if operator == "Bool":
        return actual.lower() in [v.lower() for v in _values(wanted)]
    if operator in ("ArnLike", "ArnEquals"):
        return any(fnmatchcase(actual, pattern) for pattern in _values(wanted))
    if operator in ("ArnNotLike", "ArnNotEquals"):
        return not any(fnmatchcase(actual, pattern) for pattern in _values(wanted))
    raise NotImplementedError(operator)


def _applies(statement: dict[str, Any], request: Request) -> bool:
    actions = _values(statement["Action"])
    if not any(fnmatchcase(request.action, pattern) for pattern in actions):
        return False
    if not _principal_matches(statement["Principal"], request):
        return False
    return all(
        _condition_holds(operator, key, wanted, request)
        for operator, keys in statement.get("Condition", {}).items()
        for key, wanted in keys.items()
    )


def decision(policy: str, request: Request) -> str:
    """"Deny" (explicit), "Allow", or "NotAllowed" (implicit deny) for one request."""
    statements = json.loads(policy)["Statement"]
    matching = [s for s in statements if _applies(s, request)]
    if any(s["Effect"] == "Deny" for s in matching):
        return "Deny"
    return "Allow" if matching else "NotAllowed"


def allowed_by_statement(policy: str, request: Request) -> set[str]:
    """Sids of the Allow statements that match (to tell a grant from the account delegation)."""
    return {s.get("Sid", "") for s in json.loads(policy)["Statement"]
            if s["Effect"] == "Allow" and _applies(s, request)}
