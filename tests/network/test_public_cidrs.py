"""publicAccessCidrs entries: public ranges only; IPv6 only on IPv6 clusters."""

from __future__ import annotations

import ipaddress

import pytest

from eks_platform.network.public_cidrs import public_access_cidr_problem

TAIL = ("clients reach the public endpoint from public addresses, so this entry can never "
        "match; use a public range or a private endpoint")


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "8.8.8.0/24", "203.0.114.0/24", "172.32.0.0/16",
                                  "100.128.0.0/16", "52.94.76.10/32"])
def test_public_ipv4_ranges_are_accepted(cidr: str) -> None:
    assert public_access_cidr_problem(cidr) is None
    # Independent check: Python's view of the network address agrees it is global (or the
    # whole Internet).
    network = ipaddress.ip_network(cidr)
    assert network.prefixlen == 0 or network.network_address.is_global


@pytest.mark.parametrize(("cidr", "inside"), [
    ("10.0.0.0/8", "10.0.0.0/8, private (RFC 1918)"),
    ("10.20.0.0/16", "10.0.0.0/8, private (RFC 1918)"),
    ("172.16.5.0/24", "172.16.0.0/12, private (RFC 1918)"),
    ("192.168.1.0/24", "192.168.0.0/16, private (RFC 1918)"),
    ("100.64.0.0/10", "100.64.0.0/10, shared address space for carrier-grade NAT (RFC 6598)"),
    ("127.0.0.1/32", "127.0.0.0/8, loopback (RFC 1122)"),
    ("169.254.169.254/32", "169.254.0.0/16, link-local (RFC 3927)"),
    ("192.0.2.0/24", "192.0.2.0/24, documentation (TEST-NET-1, RFC 5737)"),
    ("240.0.0.0/8", "240.0.0.0/4, reserved (RFC 1112)"),
])
def test_private_and_special_ipv4_ranges_are_refused(cidr: str, inside: str) -> None:
    assert public_access_cidr_problem(cidr) == f"{cidr!r} is inside {inside}: {TAIL}"
    assert not ipaddress.ip_network(cidr).network_address.is_global


def test_ipv6_only_on_ipv6_clusters() -> None:
    assert public_access_cidr_problem("2600:1f18::/32", "ipv6") is None
    assert public_access_cidr_problem("::/0", "ipv6") is None
    assert public_access_cidr_problem("2600:1f18::/32") == (
        "'2600:1f18::/32' is an IPv6 range; EKS accepts IPv6 public access CIDRs only on IPv6 "
        "clusters (ipFamily: ipv6)")
    assert public_access_cidr_problem("fd00::/8", "ipv6") == (
        f"'fd00::/8' is inside fc00::/7, unique local, the IPv6 private range (RFC 4193): {TAIL}")
    assert public_access_cidr_problem("fe80::/64", "ipv6") == (
        f"'fe80::/64' is inside fe80::/10, link-local (RFC 4291): {TAIL}")


def test_malformed_entries() -> None:
    assert public_access_cidr_problem("1.2.3.4/24") == (
        "'1.2.3.4/24' has host bits set; the network is 1.2.3.0/24")
    assert public_access_cidr_problem("10.0.0.0/33") == (
        "'10.0.0.0/33' is not an IPv4 or IPv6 CIDR block")
    assert public_access_cidr_problem("anywhere") == "'anywhere' is not an IPv4 or IPv6 CIDR block"
