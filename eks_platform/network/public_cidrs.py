"""Whether a CIDR can be an entry of an EKS cluster's `publicAccessCidrs`.

Clients reach the public endpoint from public addresses, so a private, shared (CGNAT),
loopback, link-local, documentation or reserved range can never match one: such an entry is
always a mistake. IPv6 entries only make sense on an IPv6 (dual-stack) cluster. The ranges
are IANA's special-purpose address registries (RFC 6890 and its updates).
"""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_SPECIAL: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "'this network' (RFC 791)"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("100.64.0.0/10", "shared address space for carrier-grade NAT (RFC 6598)"),
    ("127.0.0.0/8", "loopback (RFC 1122)"),
    ("169.254.0.0/16", "link-local (RFC 3927)"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    ("192.0.2.0/24", "documentation (TEST-NET-1, RFC 5737)"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking (RFC 2544)"),
    ("198.51.100.0/24", "documentation (TEST-NET-2, RFC 5737)"),
    ("203.0.113.0/24", "documentation (TEST-NET-3, RFC 5737)"),
    ("224.0.0.0/4", "multicast (RFC 5771)"),
    ("240.0.0.0/4", "reserved (RFC 1112)"),
    ("::/127", "unspecified or loopback (RFC 4291)"),
    ("::ffff:0:0/96", "IPv4-mapped (RFC 4291)"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"),
    ("100::/64", "discard-only (RFC 6666)"),
    ("2001:db8::/32", "documentation (RFC 3849)"),
    ("fc00::/7", "unique local, the IPv6 private range (RFC 4193)"),
    ("fe80::/10", "link-local (RFC 4291)"),
    ("ff00::/8", "multicast (RFC 4291)"),
)
_SPECIAL_NETWORKS: tuple[tuple[Network, str], ...] = tuple(
    (ipaddress.ip_network(cidr), kind) for cidr, kind in _SPECIAL)


def special_range(network: Network) -> tuple[Network, str] | None:
    """The special-purpose range that contains all of `network`, if any."""
    for special, kind in _SPECIAL_NETWORKS:
        if network.version == special.version and network.subnet_of(special):  # type: ignore[arg-type]
            return special, kind
    return None


def public_access_cidr_problem(cidr: str, ip_family: str = "ipv4") -> str | None:
    """None when `cidr` can let clients reach the public endpoint of a cluster of
    `ip_family` (`ipv4` or `ipv6`), else why not."""
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError as error:
        if "host bits set" in str(error):
            fixed = ipaddress.ip_network(cidr, strict=False)
            return f"{cidr!r} has host bits set; the network is {fixed}"
        return f"{cidr!r} is not an IPv4 or IPv6 CIDR block"
    if network.version == 6 and ip_family != "ipv6":
        return (f"{cidr!r} is an IPv6 range; EKS accepts IPv6 public access CIDRs only on "
                "IPv6 clusters (ipFamily: ipv6)")
    found = special_range(network)
    if found is not None:
        special, kind = found
        return (f"{cidr!r} is inside {special}, {kind}: clients reach the public endpoint "
                "from public addresses, so this entry can never match; use a public range "
                "or a private endpoint")
    return None
