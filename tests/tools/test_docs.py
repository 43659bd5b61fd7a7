"""The docs: every setting documented where it is defined, the generated pages built from the
code, the README short and its links alive, the hand-written examples true."""

from __future__ import annotations

import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import eks_platform
from eks_platform.model import SettingsModel
from eks_platform.stack import PlatformSettings
from eks_platform.tools import docs, site
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def _models_under(model: type[BaseModel], seen: dict[type[BaseModel], None]) -> None:
    if model in seen:
        return
    seen[model] = None
    for field in model.model_fields.values():
        for arg in (field.annotation, *_flatten(field.annotation)):
            if isinstance(arg, type) and issubclass(arg, SettingsModel):
                _models_under(arg, seen)


def _flatten(annotation: Any) -> list[Any]:
    out: list[Any] = []
    for arg in typing.get_args(annotation):
        out += [arg, *_flatten(arg)]
    return out


def undocumented_fields(roots: list[type[BaseModel]]) -> list[str]:
    """`Model.field` for every field without a description in the models under `roots`."""
    seen: dict[type[BaseModel], None] = {}
    for root in roots:
        _models_under(root, seen)
    return sorted(f"{model.__name__}.{name}" for model in seen
                  for name, field in model.model_fields.items() if not field.description)


def _settings_roots() -> list[type[BaseModel]]:
    args = [getattr(eks_platform, name) for name in eks_platform.__all__
            if name.endswith(("Args", "Settings"))]
    return [PlatformSettings, *[a for a in args if issubclass(a, BaseModel)]]


def test_every_settings_field_has_a_description() -> None:
    roots = _settings_roots()
    assert len(roots) >= 29  # PlatformSettings, the 13 Args, the 15 exported settings models
    missing = undocumented_fields(roots)
    assert missing == [], ("write a docstring under each field (what it does, why the "
                           f"default, AWS's limits): {missing}")
    assert docs.undocumented() == []


def test_the_description_check_finds_an_undocumented_field() -> None:
    class Documented(SettingsModel):
        size: int = 1
        """How many."""

    class Outer(SettingsModel):
        inner: Documented = Documented()
        """The inner block."""
        bare: str = "x"

    assert undocumented_fields([Outer]) == ["Outer.bare"]
    assert Documented.model_fields["size"].description == "How many."


def _reference_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in docs.config_reference().splitlines():
        match = re.match(r"^\| `([^`]+)` \| (.*) \|$", line)
        if match:
            rows[match.group(1)] = [c.strip() for c in re.split(r"(?<!\\)\|",
                                                                 match.group(2))]
    return rows


def test_reference_lists_nested_keys_with_descriptions() -> None:
    rows = _reference_rows()
    for key in ("eks-platform:nodeGroups[].instanceTypes", "eks-platform:cni.prefixDelegation",
                "eks-platform:addons.vpcCni.resolveConflictsOnUpdate", "aws:region",
                "eks-platform:karpenter.nodePools[].disruption.budgets[].nodes",
                "eks-platform:cni.helm.chartVersion"):
        assert key in rows, key
    assert all(len(cells) == 3 and cells[2] for cells in rows.values()), \
        [key for key, cells in rows.items() if len(cells) != 3 or not cells[2]]


def test_reference_shows_real_defaults() -> None:
    rows = _reference_rows()
    defaults = {key: cells[1] for key, cells in rows.items()}
    assert "-" not in defaults.values()
    assert all("PydanticUndefined" not in cell for cells in rows.values() for cell in cells)
    # Literal values: the documented defaults of the stack file.
    assert defaults["aws:region"] == "required"
    assert defaults["eks-platform:nodeGroups[].maxSize"] == "`3`"
    assert defaults["eks-platform:vpc.cidr"] == "`10.0.0.0/16`"
    assert defaults["eks-platform:clusterName"] == "unset"
    assert defaults["eks-platform:logRetentionDays"] == "`365`"
    assert defaults["eks-platform:karpenter.nodePools[].disruption.budgets"] == \
        "`[{nodes: 10%}]`"
    assert defaults["eks-platform:cni.helm.chartVersion"] == "`1.22.4`"
    assert defaults["eks-platform:endpoint"] == "the defaults below"
    # AWS's limits from the model, in the type column.
    assert rows["eks-platform:nodeGroups[].maxSize"][0] == "integer (1 to 1000)"
    assert rows["eks-platform:nodeGroups[].instanceTypes"][0] == \
        "list of string (at least 1 and at most 20 items)"
    assert rows["eks-platform:nodeGroups[].capacityType"][0] == "`ON_DEMAND` \\| `SPOT`"
    assert rows["eks-platform:subnetIds"][0] == "list of string (at least 2 items)"
    assert rows["eks-platform:karpenter.nodePools[].architectures"][0] == \
        "list of `amd64` \\| `arm64` (at least 1 item)"


def test_generated_pages_are_the_code() -> None:
    pages = site.generated_pages(plans=False)
    assert pages[site.CONFIGURATION] == docs.config_reference()
    from eks_platform.stack import security_controls

    assert security_controls.readme_block() in pages[site.SECURITY]


def test_dev_plan_page_is_the_dev_stacks_plan() -> None:
    from eks_platform.tools import plan
    from tests.conftest import stack_graph

    page = site.example_plans(("dev",), graph_of=stack_graph)[site.plan_page("dev")]
    text = page.split("```text\n", 1)[1].split("```", 1)[0]
    mermaid = page.split("```mermaid\n", 1)[1].split("```", 1)[0]
    graph = stack_graph("dev")
    assert text == plan.render_text(graph, "dev", day=site.calendar_day())
    assert mermaid == plan.render_mermaid(graph).rstrip() + "\n"
    assert "eks-platform:karpenter:Karpenter" in text


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its `!!python/name:` tags read as plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/",
                              lambda loader, suffix, node: suffix)


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_pages(value)]
    return [p for item in nav for p in _nav_pages(item)]


def test_every_page_is_in_the_nav_and_every_nav_page_exists() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    nav = set(_nav_pages(config["nav"]))
    written = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    generated = {site.CONFIGURATION, site.SECURITY,
                 *(site.plan_page(s) for s in site.SHIPPED_STACKS)}
    assert written.isdisjoint(generated), "generated pages are built, never committed"
    assert nav == written | generated
    assert "mkdocs build --strict" in (ROOT / ".ci" / "run").read_text()


def test_topic_pages() -> None:
    topics = ["getting-started", "stacks", "existing-vpc", "pod-networking", "nodes", "auto-mode",
              "security", "upgrades", "day-2", "library", "plan"]
    for topic in topics:
        text = (DOCS / f"{topic}.md").read_text()
        assert text.startswith("# ") and len(text) > 1500, topic
    day2 = (DOCS / "day-2.md").read_text()
    for word in ("protect: false", "deletionProtection", "pulumi destroy"):
        assert word in day2
    vpc = (DOCS / "existing-vpc.md").read_text()
    for word in ("subnetIds", "podSubnets", "kubernetes.io/role/internal-elb",
                 "kubernetes.io/role/elb", "karpenter.sh/discovery"):
        assert word in vpc


def test_api_index_names_every_public_export() -> None:
    index = (DOCS / "api" / "index.md").read_text()
    missing = [name for name in eks_platform.__all__ if f"`{name}`" not in index]
    assert missing == []


def test_package_exports_are_static_and_complete() -> None:
    assert eks_platform.__all__ == sorted(eks_platform._EXPORTS)
    for name in eks_platform.__all__:
        assert getattr(eks_platform, name) is not None


README = ROOT / "README.md"


def test_readme_is_short_and_keeps_the_quick_start() -> None:
    readme = README.read_text()
    assert len(readme.encode()) <= 16 * 1024
    assert 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]"\n' in readme
    assert ".venv/bin/python -m pytest\n" in readme
    for stack in site.SHIPPED_STACKS:
        assert f"| `{stack}` |" in readme


def _relative_links(path: Path) -> list[str]:
    links = re.findall(r"\]\(([^)\s]+)\)", path.read_text())
    return [link for link in links if not re.match(r"^[a-z]+:", link)]


@pytest.mark.parametrize("page", [README, *sorted(DOCS.rglob("*.md"))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    generated = {DOCS / p for p in (site.CONFIGURATION, site.SECURITY,
                                    *(site.plan_page(s) for s in site.SHIPPED_STACKS))}
    for link in _relative_links(page):
        target = link.split("#", 1)[0]
        if not target:
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.exists() or resolved in generated, f"{page.name}: {link}"


def test_max_pods_examples_in_the_docs() -> None:
    page = (DOCS / "pod-networking.md").read_text()
    assert "--instance-type m5.large --cni-version 1.19.2\n29\n" in page
    result = subprocess.run(
        [sys.executable, "-m", "eks_platform", "max-pods", "--instance-type", "m5.large",
         "--instance-type", "m5.8xlarge", "--cni-version", "1.19.2",
         "--cni-prefix-delegation-enabled"], capture_output=True, text=True, check=True)
    assert result.stdout in page


def test_example_plans_are_the_shipped_stacks() -> None:
    from tests.conftest import STACKS

    assert list(site.SHIPPED_STACKS) == STACKS
