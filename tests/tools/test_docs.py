"""The README's configuration reference is the settings model's, and its commands work."""

from __future__ import annotations

import subprocess
import sys

from eks_platform.tools.docs import BEGIN, END, config_reference
from tests.conftest import ROOT


def test_readme_config_reference_matches_the_model() -> None:
    readme = (ROOT / "README.md").read_text()
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    assert readme[start:end] == config_reference(), "run: python -m eks_platform.tools.docs"


def test_reference_lists_nested_keys() -> None:
    reference = config_reference()
    for key in ("eks-platform:nodeGroups[].instanceTypes", "eks-platform:cni.prefixDelegation",
                "eks-platform:addons.vpcCni.resolveConflictsOnUpdate", "aws:region"):
        assert f"`{key}`" in reference


def test_readme_max_pods_examples() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "--instance-type m5.large --cni-version 1.19.2\n29\n" in readme
    result = subprocess.run(
        [sys.executable, "-m", "eks_platform", "max-pods", "--instance-type", "m5.large",
         "--instance-type", "m5.8xlarge", "--cni-version", "1.19.2",
         "--cni-prefix-delegation-enabled"], capture_output=True, text=True, check=True)
    assert result.stdout in readme


def test_package_exports_are_static_and_complete() -> None:
    import eks_platform

    assert eks_platform.__all__ == sorted(eks_platform._EXPORTS)
    for name in eks_platform.__all__:
        assert getattr(eks_platform, name) is not None


def test_readme_mermaid_is_the_dev_stacks_plan() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```mermaid\n", 1)[1].split("```", 1)[0]
    from eks_platform.tools import plan
    from tests.conftest import stack_graph

    assert block == plan.render_mermaid(stack_graph("dev")).rstrip() + "\n", \
        "regenerate the README's mermaid block: .venv/bin/python scripts/regenerate_readme.py"
