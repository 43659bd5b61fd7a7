"""The vendored artifacts are the upstream files that sources.json names, unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from typing import Any

import yaml

from tests.conformance import VENDORED
from tests.conformance.crds import vendored_crds
from tests.conformance.helm import vendored_chart


def _sources() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((VENDORED / "sources.json").read_text())
    return entries


def test_every_vendored_file_has_the_recorded_sha256() -> None:
    recorded = {}
    for entry in _sources():
        for item in entry.get("files", [entry]):
            recorded[item["path"]] = item["sha256"]
    on_disk = {
        str(p.relative_to(VENDORED)): hashlib.sha256(p.read_bytes()).hexdigest()
        for sub in ("crds", "charts")
        for p in (VENDORED / sub).rglob("*")
        if p.is_file()
    }
    assert on_disk == recorded


def test_the_readme_lists_every_source_at_its_commit() -> None:
    readme = (VENDORED / "README.md").read_text()
    for entry in _sources():
        assert (
            f"| `{entry['path']}` | {entry['repo']} | {entry['ref']} | `{entry['commit']}` |"
            in (readme)
        )


def test_the_pinned_versions() -> None:
    refs = {e["artifact"]: e["ref"] for e in _sources()}
    assert refs["Karpenter chart 1.14.1"] == "v1.14.1"
    assert refs["ENIConfig CRD"] == "v1.22.4"
    assert "aws-vpc-cni chart 1.22.4" in refs
    karpenter = yaml.safe_load((vendored_chart("karpenter", "1.14.1") / "values.yaml").read_text())
    assert karpenter["controller"]["image"]["tag"] == "1.14.1"
    assert vendored_chart("aws-vpc-cni", "1.22.4").name == "aws-vpc-cni-1.22.4.tgz"


def test_the_charts_ship_the_same_crds_as_crds_folder() -> None:
    crd_dir = VENDORED / "crds"
    for name in ("karpenter.sh_nodepools.yaml", "karpenter.k8s.aws_ec2nodeclasses.yaml"):
        shipped = (vendored_chart("karpenter") / "crds" / name).read_bytes()
        assert shipped == (crd_dir / name).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(vendored_chart("aws-vpc-cni").read_bytes())) as tgz:
        member = tgz.extractfile("aws-vpc-cni/crds/customresourcedefinition.yaml")
        assert member is not None
        shipped = member.read()
    assert shipped == (crd_dir / "crd.k8s.amazonaws.com_eniconfigs.yaml").read_bytes()


def test_every_cel_rule_of_every_vendored_crd_compiles() -> None:
    crds = vendored_crds()
    assert set(crds) == {
        "nodepools.karpenter.sh",
        "nodeclaims.karpenter.sh",
        "ec2nodeclasses.karpenter.k8s.aws",
        "eniconfigs.crd.k8s.amazonaws.com",
    }
    assert {name: crd.uncompilable for name, crd in crds.items()} == dict.fromkeys(crds, ())
    rules = sum(len(crd.rules(v)) for crd in crds.values() for v in crd.schemas)
    assert rules >= 80, "Karpenter 1.14's CRDs have 84 rules; did the CRDs lose their rules?"
