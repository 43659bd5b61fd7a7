"""The docs site's generated pages, built from the code on every `mkdocs build`.

    .venv/bin/python -m eks_platform.tools.site --out DIR    # write them, to read or diff

The mkdocs hook (`scripts/mkdocs_hooks.py`) adds these pages to the site, so they are never
committed and cannot drift: the configuration reference (the settings models and their
docstrings), the security controls (`stack.security_controls`), and the offline plan of each
shipped example stack, judged on the day the version calendar was taken so that the pages
only change when the code or the calendar does.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from eks_platform.stack import security_controls
from eks_platform.tools.docs import config_reference

if TYPE_CHECKING:
    from eks_platform.tools.synth import Graph

ROOT = Path(__file__).resolve().parents[2]
#: The example stacks the package ships, by name (a user's own stack files are theirs; the
#: tests name the same ones in tests/conftest.py STACKS).
SHIPPED_STACKS = ("dev", "staging", "prod", "automode")
#: The stack whose dependency graph the plan page draws.
GRAPH_STACK = "dev"

CONFIGURATION = "reference/configuration.md"
SECURITY = "reference/security-controls.md"


def plan_page(stack: str) -> str:
    return f"reference/plans/{stack}.md"


SECURITY_INTRO = """\
# Security controls

Generated from `eks_platform/stack/security_controls.py` on each docs build. Each control names
its source (the CIS Amazon EKS Benchmark v1.7.0 as kube-bench encodes it, the EKS Best
Practices Guide, AWS Config's EKS rules, the EKS user guide), what the package does unless told
otherwise, and the [settings](configuration.md) that relax it. `tests/stack/test_security_graph.py`
holds the recorded graph of each shipped stack to every control. Why dev relaxes some of them,
and what to do before deploying, is on the [Security](../security.md) page.

"""


def security_page() -> str:
    return SECURITY_INTRO + security_controls.readme_block() + "\n"


def calendar_day() -> date:
    """The day the EKS version calendar was taken: example plans are judged on it."""
    from eks_platform.facts.versions import load

    return load().taken_on


def plan_markdown(stack: str, text: str, mermaid: str | None) -> str:
    """The page of one shipped stack's plan."""
    lines = [
        f"# Example plan: `{stack}`",
        "",
        f"The offline plan of the shipped stack file `stacks/Pulumi.{stack}.yaml`, generated on "
        "each docs build with",
        "",
        "```sh",
        f".venv/bin/python -m eks_platform plan --stack {stack} --date {calendar_day()}",
        "```",
        "",
        "It runs the program under recording mocks: no AWS account, no Pulumi CLI, nothing "
        "deployed. How to read it is on the [offline plan](../../plan.md) page.",
        "",
        "```text",
        text.rstrip("\n"),
        "```",
    ]
    if mermaid is not None:
        lines += [
            "",
            "## Dependency graph",
            "",
            f"`plan --stack {stack} --format mermaid`: arrows point from a dependency to the "
            "resource that waits for it.",
            "",
            "```mermaid",
            mermaid.rstrip("\n"),
            "```",
        ]
    return "\n".join(lines) + "\n"


def synthesize_stack(stack: str) -> Graph:
    """The recorded graph of a shipped stack, as `plan --stack` records it."""
    from eks_platform.tools.synth import synthesize_program

    return synthesize_program(ROOT / "__main__.py", ROOT / "stacks" / f"Pulumi.{stack}.yaml",
                              stack)


def example_plans(stacks: tuple[str, ...] = SHIPPED_STACKS,
                  graph_of: Callable[[str], Graph] = synthesize_stack) -> dict[str, str]:
    """The text plan (and, for the graph stack, the Mermaid graph) of each shipped stack,
    judged on the calendar's day."""
    from eks_platform.cluster.judgment_day import judged_on
    from eks_platform.tools import plan

    day = calendar_day()
    pages: dict[str, str] = {}
    with judged_on(day):
        for stack in stacks:
            graph = graph_of(stack)
            text = plan.render_text(graph, stack, day=day)
            mermaid = plan.render_mermaid(graph) if stack == GRAPH_STACK else None
            pages[plan_page(stack)] = plan_markdown(stack, text, mermaid)
    return pages


def generated_pages(*, plans: bool = True) -> dict[str, str]:
    """Path under docs/ -> Markdown of every generated page."""
    pages: dict[str, Callable[[], str]] = {CONFIGURATION: config_reference,
                                           SECURITY: security_page}
    built = {path: render() for path, render in pages.items()}
    if plans:
        built.update(example_plans())
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eks_platform.tools.site",
        description="Write the docs site's generated pages (configuration reference, security "
                    "controls, example plans) under DIR, as the mkdocs hook builds them.")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write the pages into (created if missing)")
    args = parser.parse_args(argv)
    for path, text in generated_pages().items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
