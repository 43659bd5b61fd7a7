"""AWS's max-pods formula, rule for rule as `max-pods-calculator.sh` applies it.

1. ENIs for pods: the default network card's ENIs, capped by `--cni-max-eni`, minus one
   with custom networking (the primary ENI then sits in the node subnet, not the pod subnet).
2. Secondary IPs: `ENIs * (IPv4 per ENI - 1) + 2`; the `-1` is each ENI's primary address,
   the `+2` the host-network pods (aws-node, kube-proxy) that need no VPC address.
3. Prefix delegation (Nitro hypervisor only, CNI >= 1.9): every secondary slot holds a /28,
   i.e. 16 addresses: `ENIs * ((IPv4 per ENI - 1) * 16) + 2`. Bare metal reports no
   hypervisor, so the calculator keeps the secondary-IP formula there, and so do we.
4. Unless the raw maximum is asked for: at most 110 pods up to 30 vCPUs, 250 above.
"""

from __future__ import annotations

from eks_platform.nodes.maxpods.limits import InstanceLimits
from eks_platform.nodes.maxpods.options import MaxPodsOptions

IPS_PER_PREFIX = 16
LOW_CPU_CEILING = 110
HIGH_CPU_CEILING = 250
HIGH_CPU_THRESHOLD = 30


def enis_for_pods(limits: InstanceLimits, options: MaxPodsOptions) -> int:
    enis = limits.default_card_enis
    if options.max_enis is not None:
        enis = min(enis, options.max_enis)
    if options.custom_networking:
        enis -= 1
    return enis


def uses_prefixes(limits: InstanceLimits, options: MaxPodsOptions) -> bool:
    """Prefix delegation only counts on Nitro with a CNI that supports it."""
    return options.prefix_delegation and limits.is_nitro and options.prefix_delegation_supported


def raw_max_pods(limits: InstanceLimits, options: MaxPodsOptions) -> int:
    """The calculator's `--show-max-allowed` answer: what the addresses allow."""
    slots = limits.ipv4_per_eni - 1
    per_eni = slots * IPS_PER_PREFIX if uses_prefixes(limits, options) else slots
    return enis_for_pods(limits, options) * per_eni + 2


def pod_ceiling(limits: InstanceLimits) -> int:
    return HIGH_CPU_CEILING if limits.vcpus > HIGH_CPU_THRESHOLD else LOW_CPU_CEILING


def max_pods_for(limits: InstanceLimits, options: MaxPodsOptions) -> int:
    """The calculator's answer for one instance type."""
    raw = raw_max_pods(limits, options)
    return raw if options.show_max_allowed else min(raw, pod_ceiling(limits))
