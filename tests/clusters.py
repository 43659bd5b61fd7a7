"""A small cluster for component tests: built through the library API, as users do."""

from __future__ import annotations

from typing import Any

from eks_platform import CniSettings, EksCluster, EksClusterArgs, EndpointSettings

SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]


def demo_cluster(region: str = "us-east-1", cni: CniSettings | None = None,
                 kubernetes_version: str = "1.34", **extra: Any) -> EksCluster:
    """Cluster `demo` (Kubernetes 1.34 unless told) on two subnets, with the given CNI
    declaration; when the CNI goes through the Kubernetes API (Helm, ENIConfigs) the deployer
    reaches it from inside the VPC (10.0.0.0/16)."""
    uses_api = cni is not None and (cni.mode == "helm" or cni.custom_networking)
    if uses_api and "endpoint" not in extra:
        extra["endpoint"] = EndpointSettings(private_access_cidrs=["10.0.0.0/16"])
    return EksCluster("demo", EksClusterArgs(
        name="demo", region=region, kubernetes_version=kubernetes_version, subnet_ids=SUBNETS,
        cni=cni or CniSettings(), **extra))
