"""The refresh command's release edits touch only the lines Karpenter's release script sets."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import yaml

from tests.conformance import VENDORED

DIGEST = "sha256:" + "0" * 64


def refresh_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conformance_refresh", VENDORED / "refresh.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve their annotations there
    spec.loader.exec_module(module)
    return module


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.split("\n"), after.split("\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_the_controller_image_edit() -> None:
    values = (VENDORED / "charts" / "karpenter" / "values.yaml").read_text()
    edited = refresh_module()._set_controller_image(values, "9.9.9", DIGEST)
    changed = _changed(values, edited)
    assert [b for _, b in changed] == ["    tag: 9.9.9", f"    digest: {DIGEST}"]
    assert yaml.safe_load(edited)["controller"]["image"]["repository"] == (
        "public.ecr.aws/karpenter/controller"
    )


def test_the_chart_version_edit() -> None:
    chart = (VENDORED / "charts" / "karpenter" / "Chart.yaml").read_text()
    refresh = refresh_module()
    edited = refresh._set_top_level(
        refresh._set_top_level(chart, "version", "9.9.9"), "appVersion", "9.9.9"
    )
    assert [b for _, b in _changed(chart, edited)] == ["version: 9.9.9", "appVersion: 9.9.9"]
