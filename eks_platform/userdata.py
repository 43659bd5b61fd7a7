"""Kubelet settings rendered as launch-template user data, per AMI family.

Managed node groups merge this user data with their own (cluster name, endpoint, CA), so only
the kubelet settings that differ from EKS's defaults are rendered here:

* AL2023: a nodeadm `NodeConfig` document in a MIME multi-part message.
* Bottlerocket: settings TOML (`[settings.kubernetes]`).

AL2 is left out on purpose: EKS publishes no AL2 AMIs for Kubernetes 1.33 and later.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP
from typing import Literal

import yaml

AmiFamily = Literal["al2023", "bottlerocket"]

#: Fixed so the rendered document, and so the launch template, never changes by itself.
MIME_BOUNDARY = "==EKS-PLATFORM-BOUNDARY=="
NODECONFIG_CONTENT_TYPE = "application/node.eks.aws"


@dataclass(frozen=True, slots=True)
class KubeletSettings:
    """The kubelet settings that this package owns."""

    max_pods: int

    def __post_init__(self) -> None:
        if self.max_pods < 1:
            raise ValueError(f"max pods must be >= 1, got {self.max_pods}")


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
        "spec": {"kubelet": {"config": {"maxPods": kubelet.max_pods}}},
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
