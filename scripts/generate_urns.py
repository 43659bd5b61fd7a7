"""Write the URN list of every shipped stack (`tests/stack/urns/<stack>.txt`).

    .venv/bin/python scripts/generate_urns.py

The lists are what a running stack's state holds: `tests/stack/test_urns.py` fails when a
change of the package renames or reparents a resource of a shipped stack without an alias
from its old URN (Pulumi would delete and recreate it), or adds resources the list does not
have yet (review them, then run this command).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "stack" / "urns"
#: The day the tests judge versions on (tests/conftest.py's JUDGMENT_DAY).
JUDGMENT_DAY = "2026-11-27"


def main() -> int:
    os.environ.setdefault("EKS_PLATFORM_DATE", JUDGMENT_DAY)
    sys.path.insert(0, str(ROOT))
    from eks_platform.tools.synth import synthesize_program

    OUT.mkdir(parents=True, exist_ok=True)
    for stack_file in sorted((ROOT / "stacks").glob("Pulumi.*.yaml")):
        stack = stack_file.name.removeprefix("Pulumi.").removesuffix(".yaml")
        graph = synthesize_program(ROOT / "__main__.py", stack_file)
        urns = sorted(r.urn for r in graph)
        (OUT / f"{stack}.txt").write_text("\n".join(urns) + "\n", encoding="utf-8")
        print(f"{stack}: {len(urns)} URNs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
