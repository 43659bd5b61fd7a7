"""Kubelet settings rendered as launch-template user data, per AMI family.

Managed node groups merge this user data with their own (cluster name, endpoint, CA), so only
the kubelet settings that differ from EKS's defaults are rendered here:

* AL2023: a nodeadm `NodeConfig` document in a MIME multi-part message. Its
  `spec.kubelet.config` (a kubelet drop-in applied after nodeadm's own config) sets `maxPods`
  and `kubeReserved`: nodeadm reserves memory for the ENI default's max pods, not ours, so the
  drop-in restates the reservation for the pods the kubelet really runs (`11 * N + 255` MiB).
  `cpu` and `ephemeral-storage` are restated too, equal to nodeadm's, when every instance type
  of the group has the same vCPUs; otherwise only `memory` is set and the kubelet keeps
  nodeadm's per-node values (drop-in maps merge key by key, see `kubereserved.merge_drop_in`).
  `maxPodsExpression` is not used: only nodeadm >= v20251007 knows it, and older ones decode
  NodeConfig leniently, silently dropping it.
* Bottlerocket: settings TOML (`[settings.kubernetes]`). Its kubelet template derives
  kube-reserved memory from `settings.kubernetes.max-pods` (`11 * N + 255` MiB) unless
  `kube-reserved.memory` is set, so `max-pods` alone keeps the two in step.

AL2 is left out on purpose: EKS publishes no AL2 AMIs for Kubernetes 1.33 and later.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP
from typing import Literal

import yaml

from eks_platform.nodes import kubereserved

AmiFamily = Literal["al2023", "bottlerocket"]

#: Fixed so the rendered document, and so the launch template, never changes by itself.
MIME_BOUNDARY = "==EKS-PLATFORM-BOUNDARY=="
NODECONFIG_CONTENT_TYPE = "application/node.eks.aws"


@dataclass(frozen=True, slots=True)
class KubeletSettings:
    """The kubelet settings that this package owns.

    `vcpus` are the vCPU counts of the group's instance types (from the instance table); with
    exactly one count the rendered `kubeReserved` also restates nodeadm's cpu reservation.
    """

    max_pods: int
    vcpus: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.max_pods < 1:
            raise ValueError(f"max pods must be >= 1, got {self.max_pods}")
        if any(v < 1 for v in self.vcpus):
            raise ValueError(f"vCPUs must be >= 1, got {sorted(self.vcpus)}")

    @classmethod
    def for_group(cls, max_pods: int, vcpus: Iterable[int]) -> KubeletSettings:
        return cls(max_pods, frozenset(vcpus))

    def kube_reserved(self) -> dict[str, str]:
        """The `kubeReserved` drop-in: the full nodeadm map when one vCPU count fits every
        node of the group, else the memory alone (the part that depends on max pods)."""
        if len(self.vcpus) == 1:
            return kubereserved.kube_reserved(next(iter(self.vcpus)), self.max_pods)
        return {"memory": f"{kubereserved.memory_mib(self.max_pods)}Mi"}


def ami_family(ami_type: str) -> AmiFamily:
    """`AL2023_x86_64_STANDARD` -> `al2023`, `BOTTLEROCKET_ARM_64` -> `bottlerocket`."""
    if ami_type.startswith("AL2023_"):
        return "al2023"
    if ami_type.startswith("BOTTLEROCKET_"):
        return "bottlerocket"
    raise ValueError(f"no user data renderer for AMI type {ami_type!r} (AL2023 or Bottlerocket)")


def nodeadm_node_config(kubelet: KubeletSettings) -> str:
    """The nodeadm `NodeConfig` YAML document (AL2023)."""
    document = {
        "apiVersion": "node.eks.aws/v1alpha1",
        "kind": "NodeConfig",
        "spec": {"kubelet": {"config": {
            "maxPods": kubelet.max_pods,
            "kubeReserved": kubelet.kube_reserved(),
        }}},
    }
    return "---\n" + yaml.safe_dump(document, sort_keys=False)


def al2023_user_data(kubelet: KubeletSettings) -> str:
    """MIME multi-part user data with one `application/node.eks.aws` part."""
    message = MIMEMultipart("mixed", boundary=MIME_BOUNDARY)
    part = MIMEText(nodeadm_node_config(kubelet), "plain", "us-ascii")
    part.replace_header("Content-Type", NODECONFIG_CONTENT_TYPE)
    del part["MIME-Version"]
    del part["Content-Transfer-Encoding"]
    message.attach(part)
    return message.as_string(policy=SMTP.clone(linesep="\n"))


def bottlerocket_user_data(kubelet: KubeletSettings) -> str:
    """Bottlerocket settings TOML."""
    return f"[settings.kubernetes]\nmax-pods = {kubelet.max_pods}\n"


def render_user_data(ami_type: str, kubelet: KubeletSettings) -> str:
    family = ami_family(ami_type)
    if family == "al2023":
        return al2023_user_data(kubelet)
    return bottlerocket_user_data(kubelet)


def encode(user_data: str) -> str:
    """Launch templates take user data base64-encoded."""
    return base64.b64encode(user_data.encode()).decode()
