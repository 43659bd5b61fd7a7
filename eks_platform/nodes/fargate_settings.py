"""Fargate profiles: which pods run on Fargate (one pod per node), and the coredns check."""

from __future__ import annotations

from pydantic import Field, field_validator

from eks_platform.errors import FieldError
from eks_platform.model import SettingsModel
from eks_platform.nodes.kubernetes_names import (
    DNS_LABEL_PATTERN,
    label_value_problem,
    qualified_name_problem,
)

#: botocore's EKS model: `FargateProfileLabel`, at most 5 labels per selector.
FARGATE_SELECTOR_LABELS_MAX = 5


def pod_labels(labels: dict[str, str]) -> dict[str, str]:
    """Kubernetes label keys and values (a Fargate selector matches pod labels)."""
    if len(labels) > FARGATE_SELECTOR_LABELS_MAX:
        raise ValueError(f"{len(labels)} labels, at most {FARGATE_SELECTOR_LABELS_MAX} per "
                         "Fargate selector")
    for key in sorted(labels):
        problem = qualified_name_problem(key)
        if problem is None:
            value_problem = label_value_problem(labels[key])
            problem = None if value_problem is None else f"label {key!r} value {value_problem}"
        else:
            problem = f"label key {problem}"
        if problem is not None:
            raise FieldError((key,), labels[key], problem)
    return labels


class FargateSelectorSettings(SettingsModel):
    namespace: str = Field(pattern=DNS_LABEL_PATTERN)
    """Namespace whose pods run on Fargate (a DNS label)."""
    labels: dict[str, str] = {}
    """Pod labels that must also match, at most 5 per selector (EKS's limit)."""

    _labels = field_validator("labels")(pod_labels)


#: Labels of the coredns add-on's pods; the EKS guide's Fargate profile for CoreDNS selects
#: namespace kube-system with `k8s-app: kube-dns`.
COREDNS_POD_LABELS = {"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"}


class FargateProfileSettings(SettingsModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")
    """The profile's name: lower-case letters, digits and `-`, at most 63 characters."""
    selectors: list[FargateSelectorSettings] = Field(min_length=1, max_length=5)
    """Which pods run on Fargate, 1 to 5 selectors (EKS's limit); a pod matching any runs
    there, one pod per node."""

    @property
    def runs_coredns(self) -> bool:
        """Whether a selector matches coredns' pods (kube-system, labels they carry)."""
        return any(s.namespace == "kube-system" and
                   s.labels.items() <= COREDNS_POD_LABELS.items() for s in self.selectors)
