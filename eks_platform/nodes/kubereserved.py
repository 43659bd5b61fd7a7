"""The kube-reserved resources that EKS's node bootstrap computes, as pure functions.

Both AMI families reserve the same amounts (Bottlerocket's `schnauzer` helpers say they are
taken from EKS's `bootstrap.sh`):

* memory: `11 * maxPods + 255` MiB (nodeadm `getMemoryMebibytesToReserve`, Bottlerocket
  `kube_reserve_memory`), from the max pods of the node;
* cpu: 6% of the first core, 1% of the second, 0.5% of the next two and 0.25% of the rest,
  in millicores of the node's logical CPUs (nodeadm `getCPUMillicoresToReserve`, integer
  division per range);
* ephemeral-storage: `1Gi`.

The rub (amazon-eks-ami `nodeadm/internal/kubelet/config.go`, `withDefaultReservedResources`):
nodeadm computes the memory from **its own** max pods (the instance's ENI default), then
applies the user's `spec.kubelet.config` as a drop-in. A drop-in `maxPods` alone therefore
leaves the reservation at the ENI default's; see `eks_platform.nodes.userdata` for the fix.
"""

from __future__ import annotations

from collections.abc import Mapping

MIB_PER_POD = 11
MIB_BASE = 255
EPHEMERAL_STORAGE = "1Gi"

#: (upper bound of the range in millicores, hundredths of a percent reserved in it).
_CPU_RANGES: tuple[tuple[int | None, int], ...] = (
    (1000, 600), (2000, 100), (4000, 50), (None, 25),
)


def memory_mib(max_pods: int) -> int:
    """MiB reserved for the kubelet and container runtime of a node running `max_pods`."""
    if max_pods < 1:
        raise ValueError(f"max pods must be >= 1, got {max_pods}")
    return MIB_PER_POD * max_pods + MIB_BASE


def cpu_millicores(vcpus: int) -> int:
    """Millicores reserved on a node with `vcpus` logical CPUs."""
    if vcpus < 1:
        raise ValueError(f"vCPUs must be >= 1, got {vcpus}")
    total = vcpus * 1000
    reserved, start = 0, 0
    for end, hundredths_percent in _CPU_RANGES:
        top = total if end is None else min(total, end)
        if top > start:
            reserved += (top - start) * hundredths_percent // 10000
        if end is not None:
            start = end
    return reserved


def kube_reserved(vcpus: int, max_pods: int) -> dict[str, str]:
    """The `kubeReserved` map nodeadm writes for this node (and Bottlerocket's defaults)."""
    return {
        "cpu": f"{cpu_millicores(vcpus)}m",
        "ephemeral-storage": EPHEMERAL_STORAGE,
        "memory": f"{memory_mib(max_pods)}Mi",
    }


def merge_drop_in(base: Mapping[str, str], drop_in: Mapping[str, str]) -> dict[str, str]:
    """The kubelet's merge of a drop-in `kubeReserved` over the main config's: key by key
    (Kubernetes docs, "Kubelet Configuration Directory Merging": map fields are overridden
    individually; nodeadm's pre-1.29 single-file path deep-merges with mergo the same way)."""
    return {**base, **drop_in}
