"""Build the API reference from the docstrings with pdoc (HTML, one page per module).

    .venv/bin/python scripts/api_docs.py            # writes docs/api/ (not committed)
    .venv/bin/python scripts/api_docs.py --out DIR

CI builds it on every run, so an import error or a broken docstring fails the build instead
of a stale page. The modules are the public ones: what `eks_platform` re-exports lives there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_MODULES = (
    "eks_platform.cluster.component",
    "eks_platform.nodes.nodegroup",
    "eks_platform.addons.component",
    "eks_platform.cluster.service_account_role",
    "eks_platform.addons.vpc_cni_helm",
    "eks_platform.nodes.fargate",
    "eks_platform.network.vpc",
    "eks_platform.platform",
    "eks_platform.stack",
    "eks_platform.addons.cni",
    "eks_platform.nodes.maxpods",
    "eks_platform.component",
    "eks_platform.errors",
    "eks_platform.karpenter.component",
    "eks_platform.karpenter.settings",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "api",
                        help="output folder (default: docs/api)")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "pdoc", *PUBLIC_MODULES, "--docformat", "markdown",
               "-o", str(args.out)]
    result = subprocess.run(command, check=False)
    if result.returncode == 0:
        print(f"API reference: {args.out / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
