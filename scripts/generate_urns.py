"""Write the URN list of every shipped stack (`tests/stack/urns/<stack>.txt`).

    .venv/bin/python scripts/generate_urns.py [--prune]

A list holds every URN a running stack of that file may have in its state: the current ones,
and earlier ones that a resource still answers to through an alias (kept, so the test keeps
proving the alias). `tests/stack/test_urns.py` fails when a change renames or re-parents a
resource without an alias from a listed URN (Pulumi would delete and recreate it), and when
the plan has URNs the list lacks (review them, then run this command). `--prune` drops the
earlier URNs, once no running stack can still hold them.
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

    prune = "--prune" in sys.argv[1:]
    OUT.mkdir(parents=True, exist_ok=True)
    for stack_file in sorted((ROOT / "stacks").glob("Pulumi.*.yaml")):
        stack = stack_file.name.removeprefix("Pulumi.").removesuffix(".yaml")
        graph = synthesize_program(ROOT / "__main__.py", stack_file)
        path = OUT / f"{stack}.txt"
        aliased = {a for aliases in graph.alias_urns.values() for a in aliases}
        earlier = set() if prune or not path.exists() else {
            u for u in path.read_text(encoding="utf-8").split() if u in aliased}
        urns = sorted({r.urn for r in graph} | earlier)
        path.write_text("\n".join(urns) + "\n", encoding="utf-8")
        print(f"{stack}: {len(urns)} URNs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
