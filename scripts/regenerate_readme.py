"""Rewrite the README's generated blocks: the configuration reference, the security controls
and the dev graph.

    .venv/bin/python scripts/regenerate_readme.py

Tests fail when any block differs from what this writes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from eks_platform.stack import security_controls
from eks_platform.tools.docs import BEGIN, END, config_reference

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(
        prog="scripts/regenerate_readme.py",
        description="Rewrite README.md's generated blocks: the configuration reference, the "
                    "security controls table and the dev stack's dependency graph.",
    ).parse_args(argv)
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = text.index(BEGIN.split("(")[0]), text.index(END) + len(END)
    text = text[:start] + config_reference() + text[end:]
    start = text.index(security_controls.BEGIN)
    end = text.index(security_controls.END) + len(security_controls.END)
    text = text[:start] + security_controls.readme_block() + text[end:]
    mermaid = subprocess.run(
        [sys.executable, "-m", "eks_platform", "plan", "--stack", "dev", "--format", "mermaid"],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout.rstrip() + "\n"
    head, rest = text.split("```mermaid\n", 1)
    text = head + "```mermaid\n" + mermaid + "```" + rest.split("```", 1)[1]
    readme.write_text(text)


if __name__ == "__main__":
    main()
