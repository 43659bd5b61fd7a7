"""A small cluster for component tests: built through the library API, as users do."""

from __future__ import annotations

from typing import Any

from eks_platform import CniSettings, EksCluster, EksClusterArgs

SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]


def demo_cluster(region: str = "us-east-1", cni: CniSettings | None = None,
                 kubernetes_version: str = "1.34", **extra: Any) -> EksCluster:
    """Cluster `demo` (Kubernetes 1.34 unless told) on two subnets, with the given CNI
    declaration."""
    return EksCluster("demo", EksClusterArgs(
        name="demo", region=region, kubernetes_version=kubernetes_version, subnet_ids=SUBNETS,
        cni=cni or CniSettings(), **extra))
