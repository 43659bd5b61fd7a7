"""Entry point of the eks-platform plugin: `python plugin <engine address>`, as Pulumi's Python
language host runs a source plugin. Serves the components as `eks-platform:index:*`, at the
version in the repository's pyproject.toml (the version the generated SDKs carry)."""

import sys
from pathlib import Path

# The package is the repository this folder lives in (a git tag or a local path).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eks_platform.provider.host import serve

if __name__ == "__main__":
    serve()
