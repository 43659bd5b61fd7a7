"""Kubernetes label and taint names, and AWS tags: the rules the APIs enforce, as messages.

Each check returns a message (what is wrong and what is allowed) or None; the settings layer
prefixes the file and key. Sources:
- Kubernetes apimachinery `validation.IsQualifiedName`, `IsValidLabelValue` and
  `IsDNS1123Subdomain` (k8s.io/apimachinery/pkg/util/validation/validation.go).
- botocore's EKS service model: `labelKey` 1-63, `labelValue` 1-63, `taintKey` 1-63,
  `taintValue` 0-63 characters, `TaintEffect`, `TagMap` at most 50 entries, `TagKey` 1-128,
  `TagValue` at most 256 characters.
- EKS CreateNodegroup rejects labels whose prefix contains kubernetes.io/, k8s.io/ or
  eks.amazonaws.com/ ("Label cannot contain reserved prefixes", eksctl issue #4007,
  aws/containers-roadmap#1451).
- AWS tagging rules (botocore's EKS `TagMap` documentation, "Tagging AWS resources"): no
  `aws:` prefix in any case on keys or values; letters, numbers and spaces plus `_ . : / = + - @`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_NAME_CHARS = ("alphanumeric characters, '-', '_' or '.', starting and ending with an "
               "alphanumeric character")

#: A namespace or service account name: an RFC 1123 label (apimachinery's IsDNS1123Label).
DNS_LABEL_PATTERN = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
NAME_MAX = 63
PREFIX_MAX = 253
#: EKS's own limits on node group labels and taints (botocore `labelKey`, `taintKey`, ...).
EKS_KEY_MAX = 63
EKS_VALUE_MAX = 63
EKS_RESERVED_LABEL_PREFIXES = ("kubernetes.io/", "k8s.io/", "eks.amazonaws.com/")
#: botocore EKS `TaintEffect`.
TAINT_EFFECTS = ("NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE")

TAGS_MAX = 50
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
_TAG_SYMBOLS = frozenset("_.:/=+-@")


def qualified_name_problem(key: str) -> str | None:
    """Kubernetes' qualified name: `[prefix/]name`, prefix a DNS subdomain of at most 253
    characters, name at most 63 characters of `[-_.A-Za-z0-9]` with alphanumeric ends."""
    prefix, slash, name = key.rpartition("/")
    if slash and "/" in prefix:
        return f"{key!r} has more than one '/': a key is [prefix/]name"
    if slash and not prefix:
        return f"{key!r} has an empty prefix before '/'"
    if slash and len(prefix) > PREFIX_MAX:
        return f"{key!r}: the prefix is {len(prefix)} characters, at most {PREFIX_MAX} allowed"
    if slash and not _DNS_SUBDOMAIN.fullmatch(prefix):
        return (f"{key!r}: the prefix {prefix!r} must be a DNS subdomain (lower-case "
                "alphanumeric characters, '-' or '.', starting and ending with an "
                "alphanumeric character)")
    if not name:
        return f"{key!r}: the name part is empty"
    if len(name) > NAME_MAX:
        return f"{key!r}: the name part is {len(name)} characters, at most {NAME_MAX} allowed"
    if not _NAME.fullmatch(name):
        return f"{key!r}: the name part must consist of {_NAME_CHARS}"
    return None


def label_value_problem(value: str) -> str | None:
    """Kubernetes' label value: empty, or at most 63 characters of `[-_.A-Za-z0-9]` with
    alphanumeric ends."""
    if len(value) > NAME_MAX:
        return f"{value!r} is {len(value)} characters, at most {NAME_MAX} allowed"
    if value and not _NAME.fullmatch(value):
        return f"{value!r} must be empty or consist of {_NAME_CHARS}"
    return None


def _eks_key_problem(kind: str, key: str) -> str | None:
    problem = qualified_name_problem(key)
    if problem is not None:
        return f"{kind} key {problem}"
    if len(key) > EKS_KEY_MAX:
        return (f"{kind} key {key!r} is {len(key)} characters; EKS allows at most "
                f"{EKS_KEY_MAX} including the prefix")
    return None


def nodegroup_label_problem(key: str, value: str) -> str | None:
    """A label EKS's CreateNodegroup accepts: a qualified name of at most 63 characters in
    all, outside the reserved prefixes, and a non-empty label value."""
    problem = _eks_key_problem("label", key)
    if problem is not None:
        return problem
    prefix = key.rpartition("/")[0] + "/"
    reserved = [r for r in EKS_RESERVED_LABEL_PREFIXES if prefix == r or prefix.endswith("." + r)]
    if reserved:
        allowed = ", ".join(EKS_RESERVED_LABEL_PREFIXES)
        return (f"label key {key!r} uses the reserved prefix {reserved[0]}: EKS node groups "
                f"refuse labels under {allowed}")
    if not value:
        return f"label {key!r}: EKS node group labels need a non-empty value"
    problem = label_value_problem(value)
    return None if problem is None else f"label {key!r} value {problem}"


def taint_problem(key: str, value: str, effect: str) -> str | None:
    """A taint EKS accepts: qualified-name key of 1-63 characters, label-value-like value of
    0-63 characters, and one of the `TaintEffect` names."""
    problem = _eks_key_problem("taint", key)
    if problem is not None:
        return problem
    problem = label_value_problem(value)
    if problem is not None:
        return f"taint {key!r} value {problem}"
    if effect not in TAINT_EFFECTS:
        return f"taint {key!r} effect {effect!r} is not one of {', '.join(TAINT_EFFECTS)}"
    return None


def _tag_chars_ok(text: str) -> bool:
    return all(c in _TAG_SYMBOLS or unicodedata.category(c)[0] in "LNZ" for c in text)


def tag_problems(tags: Mapping[str, str]) -> list[str]:
    """Every way `tags` breaks AWS's tagging rules, in key order (empty when none)."""
    problems: list[str] = []
    if len(tags) > TAGS_MAX:
        problems.append(f"{len(tags)} tags, at most {TAGS_MAX} allowed per resource")
    for key in sorted(tags):
        value = tags[key]
        if not key:
            problems.append("tag key is empty")
        elif len(key) > TAG_KEY_MAX:
            problems.append(f"tag key {key!r} is {len(key)} characters, at most "
                            f"{TAG_KEY_MAX} allowed")
        elif key.lower().startswith("aws:"):
            problems.append(f"tag key {key!r}: the aws: prefix is reserved for AWS")
        elif not _tag_chars_ok(key):
            problems.append(f"tag key {key!r}: only letters, numbers, spaces and _ . : / = + - @"
                            " are allowed")
        if value.lower().startswith("aws:"):
            problems.append(f"tag {key!r} value {value!r}: the aws: prefix is reserved for AWS")
        elif len(value) > TAG_VALUE_MAX:
            problems.append(f"tag {key!r} value is {len(value)} characters, at most "
                            f"{TAG_VALUE_MAX} allowed")
        elif not _tag_chars_ok(value):
            problems.append(f"tag {key!r} value {value!r}: only letters, numbers, spaces and "
                            "_ . : / = + - @ are allowed")
    return problems
