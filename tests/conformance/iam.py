"""Validate IAM policy documents with moto's port of IAM's policy grammar checks, offline.

moto's `moto.iam.policy_validation` reproduces the `MalformedPolicyDocument` errors that IAM's
CreatePolicy, PutRolePolicy and CreateRole return: JSON syntax, top-level and statement
elements, Version, Effect, unique Sids, `vendor:action` format, condition operators, resource
ARN formats, and (trust policies) the allowed STS actions and no Resource. It stops at the
first error; `validate_policy` also runs it on each statement alone, so that every broken
statement is named. It adds the Principal rules moto leaves out: an identity policy has none,
a trust or resource policy (key policy, queue policy) needs one in a valid form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from moto.iam.exceptions import MalformedPolicyDocument
from moto.iam.policy_validation import (
    IAMPolicyDocumentValidator,
    IAMTrustPolicyDocumentValidator,
)

PolicyKind = Literal["identity", "trust", "resource"]
_PRINCIPAL_TYPES = ("AWS", "Service", "Federated", "CanonicalUser")
_NEUTRAL = {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}
_NEUTRAL_TRUST = {
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"Service": "ec2.amazonaws.com"},
}


def _moto_problem(document: str, kind: PolicyKind) -> str | None:
    validator = (
        IAMTrustPolicyDocumentValidator(document)
        if kind == "trust"
        else IAMPolicyDocumentValidator(document)
    )
    try:
        validator.validate()
    except MalformedPolicyDocument as error:
        return str(error.message)
    return None


def _principal_problems(statement: Mapping[str, Any], kind: PolicyKind) -> list[str]:
    keys = [k for k in ("Principal", "NotPrincipal") if k in statement]
    if kind == "identity":
        return ["Policy document should not specify a principal."] if keys else []
    if not keys:
        return ["a trust or resource policy statement needs a Principal"]
    problems = []
    for key in keys:
        principal = statement[key]
        if principal == "*":
            continue
        if not isinstance(principal, Mapping) or not principal:
            problems.append(f'{key} must be "*" or a map of {list(_PRINCIPAL_TYPES)}')
            continue
        for kind_, value in principal.items():
            if kind_ not in _PRINCIPAL_TYPES:
                problems.append(f"{key}: unknown principal type {kind_!r}")
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str) and v for v in values):
                problems.append(f"{key}.{kind_}: must be a non-empty string or list of them")
    return problems


def _statements(policy: Mapping[str, Any]) -> list[Any]:
    statements = policy.get("Statement")
    if isinstance(statements, Mapping):
        return [statements]
    return list(statements) if isinstance(statements, list) else []


def _label(index: int, statement: Any) -> str:
    sid = statement.get("Sid") if isinstance(statement, Mapping) else None
    return f"Statement[{index}]" + (f" ({sid})" if sid else "")


def validate_policy(
    document: str | Mapping[str, Any],
    kind: PolicyKind = "identity",
    *,
    max_chars: int | None = None,
) -> list[str]:
    """Problems with an IAM policy document (a JSON string or a dict).

    `kind`: `identity` (a role's or user's policy), `trust` (a role's assume-role policy) or
    `resource` (a KMS key policy, an SQS queue policy, ...). `max_chars`: the size quota to
    check, counted as IAM counts it, without whitespace (6144 for a managed policy, 10240 for
    a role's inline policies together, 2048 by default for a trust policy).
    """
    text = document if isinstance(document, str) else json.dumps(document)
    try:
        policy = json.loads(text)
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    if not isinstance(policy, Mapping):
        return ["a policy document is a JSON object"]
    whole = _moto_problem(text, kind)
    statements = _statements(policy)
    moto_by_statement: list[str | None] = []
    for statement in statements:
        alone = {k: v for k, v in policy.items() if k != "Statement"}
        alone["Statement"] = [statement]
        moto_by_statement.append(
            _moto_problem(json.dumps(alone), kind) if isinstance(statement, Mapping) else None
        )
    # A problem of the document itself (its Version, say) stays with a harmless statement in
    # place of the real ones; it is said once, not once per statement.
    neutral = {k: v for k, v in policy.items() if k != "Statement"}
    neutral["Statement"] = [_NEUTRAL_TRUST if kind == "trust" else _NEUTRAL]
    document_level = _moto_problem(json.dumps(neutral), kind)
    problems = [document_level] if document_level else []
    if whole and whole != document_level and whole not in moto_by_statement:
        problems.append(whole)  # a problem between statements, such as duplicate Sids
    for i, statement in enumerate(statements):
        label = _label(i, statement)
        if not isinstance(statement, Mapping):
            problems.append(f"{label}: a statement is a JSON object")
            continue
        found = moto_by_statement[i]
        if found and found != document_level:
            problems.append(f"{label}: {found}")
        problems += [f"{label}: {p}" for p in _principal_problems(statement, kind)]
    if max_chars is not None:
        size = len("".join(text.split()))
        if size > max_chars:
            problems.append(f"{size} characters without whitespace, over the {max_chars} quota")
    return problems
