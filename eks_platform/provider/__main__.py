"""`python -m eks_platform.provider schema | generate-args [--check]`."""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "schema":
        from eks_platform.provider.host import coverage, schema

        spec = schema()
        print(json.dumps(spec, indent=2))
        print(coverage(spec), file=sys.stderr)
        return 0
    if command == "generate-args":
        from eks_platform.provider.generate import ARGS_FILE, args_source
        from eks_platform.provider.specs import SPECS

        source = args_source(SPECS)
        if "--check" in argv[1:]:
            current = ARGS_FILE.read_text(encoding="utf-8") if ARGS_FILE.exists() else ""
            if current != source:
                print(f"{ARGS_FILE} is out of date: run python -m eks_platform.provider "
                      "generate-args", file=sys.stderr)
                return 1
            return 0
        ARGS_FILE.write_text(source, encoding="utf-8")
        print(f"wrote {ARGS_FILE}")
        return 0
    print("usage: python -m eks_platform.provider schema | generate-args [--check]",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
