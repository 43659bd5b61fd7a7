"""The NodePool CRD's own rules for what a stack file puts into a NodePool, as data.

Karpenter's `karpenter.sh/v1` NodePool CRD (aws/karpenter-provider-aws v1.14.1,
`pkg/apis/crds/karpenter.sh_nodepools.yaml`) refuses restricted label domains, bad label
values, bad taint keys and values and bad budget schedules only when the API server sees the
NodePool: after the cluster and the controller exist. The rules below are copied verbatim
from that file (CEL rules and OpenAPI patterns, with their schema paths), and this module
evaluates them on the settings, so a stack file hears about them before anything is created.
`tests/karpenter/test_crd_rules.py` holds every rule against the vendored CRD
(`conformance/crds/`) and evaluates the CEL rules with a CEL engine to check that the Python
reading here agrees.

Only two CEL shapes occur on label keys, and both are read from the rule text itself:
`self.all(x, x != "K")` and
`self.all(x, x in [K, ...] || !x.find("^([^/]+)").endsWith("D"))`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from eks_platform.errors import FieldError

#: Where the rules come from.
CRD_SOURCE = "karpenter.sh_nodepools.yaml (Karpenter v1.14.1)"

LABELS_PATH = ".spec.template.metadata.labels"
LABEL_VALUE_PATH = ".spec.template.metadata.labels[*]"
TAINT_KEY_PATH = ".spec.template.spec.taints[*].key"
TAINT_VALUE_PATH = ".spec.template.spec.taints[*].value"
BUDGET_SCHEDULE_PATH = ".spec.disruption.budgets[*].schedule"

_K8S_AWS_ALLOWED = (
    "karpenter.k8s.aws/instance-tenancy", "karpenter.k8s.aws/capacity-reservation-type",
    "karpenter.k8s.aws/capacity-reservation-id",
    "karpenter.k8s.aws/capacity-reservation-interruptible",
    "karpenter.k8s.aws/capacity-reservation-interruptible", "karpenter.k8s.aws/ec2nodeclass",
    "karpenter.k8s.aws/instance-encryption-in-transit-supported",
    "karpenter.k8s.aws/instance-category", "karpenter.k8s.aws/instance-hypervisor",
    "karpenter.k8s.aws/instance-family", "karpenter.k8s.aws/instance-generation",
    "karpenter.k8s.aws/instance-local-nvme", "karpenter.k8s.aws/instance-size",
    "karpenter.k8s.aws/instance-cpu", "karpenter.k8s.aws/instance-cpu-manufacturer",
    "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz",
    "karpenter.k8s.aws/instance-memory", "karpenter.k8s.aws/instance-ebs-bandwidth",
    "karpenter.k8s.aws/instance-network-bandwidth", "karpenter.k8s.aws/instance-gpu-name",
    "karpenter.k8s.aws/instance-gpu-manufacturer", "karpenter.k8s.aws/instance-gpu-count",
    "karpenter.k8s.aws/instance-gpu-memory", "karpenter.k8s.aws/instance-accelerator-name",
    "karpenter.k8s.aws/instance-accelerator-manufacturer",
    "karpenter.k8s.aws/instance-accelerator-count",
    "karpenter.k8s.aws/instance-capability-flex", "karpenter.k8s.aws/placement-group-id",
    "karpenter.k8s.aws/placement-group-partition",
)


@dataclass(frozen=True)
class CelKeyRule:
    """One `x-kubernetes-validations` rule of the labels map, applied to each key."""

    rule: str
    message: str

    @cached_property
    def _parts(self) -> tuple[frozenset[str], str | None, str | None]:
        """(allowed keys, restricted domain, forbidden key) read from the rule text."""
        forbidden = re.fullmatch(r'self\.all\(x, x != "([^"]+)"\)', self.rule)
        if forbidden:
            return frozenset(), None, forbidden.group(1)
        domain = re.fullmatch(
            r'self\.all\(x, x in \[(.*)\] \|\| !x\.find\("\^\(\[\^/\]\+\)"\)'
            r'\.endsWith\("([^"]+)"\)\)', self.rule)
        if domain is None:
            raise ValueError(f"unsupported CEL rule shape: {self.rule}")
        return frozenset(re.findall(r'"([^"]*)"', domain.group(1))), domain.group(2), None

    def allows(self, key: str) -> bool:
        allowed, domain, forbidden = self._parts
        if forbidden is not None:
            return key != forbidden
        prefix = re.match(r"^([^/]+)", key)  # CEL find(): "" when nothing matches
        return key in allowed or not (prefix.group(0) if prefix else "").endswith(str(domain))

    @property
    def shown(self) -> str:
        """The rule as a message quotes it (a long list of allowed keys abbreviated)."""
        allowed, _, _ = self._parts
        if len(self.rule) <= 160:
            return self.rule
        return re.sub(r'\[".*"\]', f"[...{len(allowed)} allowed keys...]", self.rule)


@dataclass(frozen=True)
class PatternRule:
    """An OpenAPI `pattern` (and `maxLength`) of one schema node."""

    path: str
    pattern: str
    max_length: int | None = None

    def problem(self, value: str) -> str | None:
        if self.max_length is not None and len(value) > self.max_length:
            return (f"longer than {self.max_length} characters ({len(value)}); the NodePool "
                    f"CRD's {self.path} has maxLength {self.max_length} ({CRD_SOURCE})")
        if not re.search(self.pattern, value):
            return (f"does not match the NodePool CRD's {self.path} pattern "
                    f"{self.pattern!r} ({CRD_SOURCE})")
        return None

    def check(self, value: str | None) -> str | None:
        """The value, or a ValueError saying which rule refuses it (for a field validator)."""
        problem = None if value is None else self.problem(value)
        if problem:
            raise ValueError(problem)
        return value


#: `x-kubernetes-validations` of spec.template.metadata.labels, in the CRD's order.
LABEL_KEY_RULES = (
    CelKeyRule(
        'self.all(x, x in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || '
        '!x.find("^([^/]+)").endsWith("karpenter.sh"))',
        'label domain "karpenter.sh" is restricted'),
    CelKeyRule('self.all(x, x != "karpenter.sh/nodepool")',
               'label "karpenter.sh/nodepool" is restricted'),
    CelKeyRule('self.all(x, x != "kubernetes.io/hostname")',
               'label "kubernetes.io/hostname" is restricted'),
    CelKeyRule(
        "self.all(x, x in [" + ", ".join(f'"{k}"' for k in _K8S_AWS_ALLOWED) + "] || "
        '!x.find("^([^/]+)").endsWith("karpenter.k8s.aws"))',
        'label domain "karpenter.k8s.aws" is restricted'),
)

#: More patterns of the NodePool CRD the settings use as field patterns.
DURATION_OR_NEVER = r"^(([0-9]+(s|m|h))+|Never)$"
BUDGET_NODES = r"^((100|[0-9]{1,2})%|[0-9]+)$"
BUDGET_DURATION = r"^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$"
#: Taint keys (a label key with a name part of at most 63 characters).
LABEL_KEY = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" \
            r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"

_QUALIFIED = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\/))?" \
             r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"
LABEL_VALUE = PatternRule(LABEL_VALUE_PATH, r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", 63)
TAINT_KEY = PatternRule(TAINT_KEY_PATH, _QUALIFIED)
TAINT_VALUE = PatternRule(TAINT_VALUE_PATH, _QUALIFIED)
BUDGET_SCHEDULE = PatternRule(
    BUDGET_SCHEDULE_PATH,
    r"^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$")

#: A label key as Kubernetes writes it on the Node (apimachinery IsQualifiedName): an optional
#: DNS-1123 subdomain prefix of at most 253 characters, '/', a name of at most 63.
_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def label_key_problem(key: str) -> str | None:
    """Why a NodePool label key is refused (the key's syntax, then the CRD's CEL rules)."""
    prefix, slash, name = key.rpartition("/")
    if (slash and (len(prefix) > 253 or not _SUBDOMAIN.fullmatch(prefix))) or \
            len(name) > 63 or not _NAME.fullmatch(name):
        return ("not a Kubernetes label key: an optional DNS subdomain prefix and '/', "
                "then at most 63 alphanumerics, '-', '_' or '.', starting and ending with an "
                "alphanumeric")
    for rule in LABEL_KEY_RULES:
        if not rule.allows(key):
            return (f"{rule.message}: the NodePool CRD's {LABELS_PATH} rule `{rule.shown}` "
                    f"refuses it ({CRD_SOURCE})")
    return None


def check_labels(labels: dict[str, str]) -> dict[str, str]:
    """The labels, or a FieldError naming the first label the CRD would refuse."""
    for key, value in labels.items():
        problem = label_key_problem(key)
        if problem:
            raise FieldError(key, key, problem)
        problem = LABEL_VALUE.problem(value)
        if problem:
            raise FieldError(key, value, f"label value {problem}")
    return labels


#: EC2NodeClass CRD (karpenter.k8s.aws_ec2nodeclasses.yaml, Karpenter v1.14.1):
#: `spec.amiSelectorTerms[*].alias`, maxLength and its `x-kubernetes-validations`, verbatim.
ALIAS_PATH = ".spec.amiSelectorTerms[*].alias"
ALIAS_MAX_LENGTH = 30
ALIAS_RULES = (
    ("self.matches('^[a-zA-Z0-9]+@.+$')",
     "'alias' is improperly formatted, must match the format 'family@version'"),
    ("self.split('@')[0] in ['al2','al2023','bottlerocket','windows2019','windows2022',"
     "'windows2025']",
     "family is not supported, must be one of the following: 'al2', 'al2023', "
     "'bottlerocket', 'windows2019', 'windows2022', 'windows2025'"),
    ("self.split('@')[0] in ['windows2019','windows2022','windows2025'] ? "
     "self.split('@')[1] == 'latest' : true",
     "windows families may only specify version 'latest'"),
)


def alias_problem(alias: str) -> str | None:
    """Why the EC2NodeClass CRD refuses an AMI alias (the three rules above, read in Python;
    the tests evaluate them with a CEL engine too)."""
    family, _, version = alias.partition("@")
    checks = (
        re.search(r"^[a-zA-Z0-9]+@.+$", alias) is not None,
        family in ("al2", "al2023", "bottlerocket", "windows2019", "windows2022",
                   "windows2025"),
        not family.startswith("windows") or version == "latest",
    )
    if len(alias) > ALIAS_MAX_LENGTH:
        return (f"longer than {ALIAS_MAX_LENGTH} characters, the EC2NodeClass CRD's "
                f"{ALIAS_PATH} maxLength")
    for (rule, message), ok in zip(ALIAS_RULES, checks, strict=True):
        if not ok:
            return f"{message}: the EC2NodeClass CRD's {ALIAS_PATH} rule `{rule}` refuses it"
    return None


def check_alias(alias: str | None, family: str) -> None:
    """A FieldError on `amiAlias` when the CRD refuses it or it names another AMI family."""
    if alias is None:
        return
    problem = alias_problem(alias)
    if problem is None and alias.partition("@")[0] != family:
        problem = (f"the alias's family {alias.partition('@')[0]!r} is not the pool's "
                   f"amiFamily {family!r}")
    if problem is not None:
        raise FieldError("amiAlias", alias, problem)
