"""Add-on namespaces (addons/namespaces.py): the name rule from botocore's `namespace` shape."""

from __future__ import annotations

from eks_platform.addons import namespaces as ns

# Add-on namespaces -----------------------------------------------------------------------------


def test_addon_namespace_names() -> None:
    assert ns.addon_namespace_problems("observability") == []
    assert ns.addon_namespace_problems("a" * 63) == []
    assert ns.addon_namespace_problems("a" * 64) == [
        f"add-on namespace {'a' * 64!r} must be 1 to 63 characters"]
    assert ns.addon_namespace_problems("Kube_System")[0].startswith(
        "add-on namespace 'Kube_System' is not an RFC 1123 DNS label")
    assert ns.addon_namespace_problems("-x") != []
