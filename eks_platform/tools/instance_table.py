"""Generate `instance_types.json`, the network table behind the max-pods helper.

Sources are EC2 `DescribeInstanceTypes` data: a saved dump (`--from-json`), moto's bundled
snapshot (`--from-moto`, what the committed table is built from, so CI can regenerate it offline
and check it never drifts), or the live API (`--from-aws`, regions merged).

The IO (files, boto3) stays at the edges; loading, merging, converting and rendering are pure
functions so they can be tested without AWS. Nothing here imports Pulumi, and boto3 is imported
only for `--from-aws`, so regenerating from a dump needs neither.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from eks_platform.nodes.maxpods.limits import COLUMNS, InstanceLimits
from eks_platform.tools.instance_sources import (
    DEFAULT_REGIONS,
    GenerateError,
    SessionFactory,
    Warn,
    fetch_checked,
    load_named_dump,
    merge,
    moto_dump_path,
    moto_source,
)

#: Where the table lives; `table.py` reads it from the same place.
DEFAULT_OUTPUT = Path(__file__).parent.parent / "nodes" / "maxpods" / "instance_types.json"

COMMAND = "python -m eks_platform.tools.instance_table"



def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)



# --- pure transformations -----------------------------------------------------------------------


def _problem(element: Mapping[str, Any]) -> str | None:
    """Why an element cannot become a row, or None if it can."""
    for key in ("InstanceType", "NetworkInfo", "VCpuInfo"):
        if not element.get(key):
            return f"no {key}"
    cards = element["NetworkInfo"].get("NetworkCards") or []
    indexes = [card.get("NetworkCardIndex") for card in cards]
    if not all(isinstance(index, int) for index in indexes):
        return f"network card indexes {indexes} are not all integers"
    # A row keeps ENIs per card positionally, so card indexes must be exactly 0..n-1.
    if sorted(indexes) != list(range(len(cards))):
        return f"network card indexes {sorted(indexes)} are not 0..{len(cards) - 1}"
    return None


def limits_from_describe(
    elements: Iterable[Mapping[str, Any]], warn: Warn = _stderr
) -> dict[str, InstanceLimits]:
    """Convert `InstanceTypes[]` elements, skipping (and reporting) the unusable ones.

    One odd element in a live region must not stop the whole table from being generated.
    """
    limits: dict[str, InstanceLimits] = {}
    for element in elements:
        name = element.get("InstanceType", "<unnamed>")
        problem = _problem(element)
        if problem is not None:
            warn(f"skipping {name}: {problem}")
            continue
        try:
            item = InstanceLimits.from_describe(dict(element))
        except (KeyError, TypeError, ValueError) as error:
            warn(f"skipping {name}: {type(error).__name__}: {error}")
            continue
        if not 0 <= item.default_network_card_index < len(item.enis_per_card):
            warn(f"skipping {name}: default network card {item.default_network_card_index} "
                 f"does not exist")
            continue
        limits.setdefault(item.instance_type, item)
    return limits


def render_table(
    limits: Mapping[str, InstanceLimits], source: str, generated_by: str = COMMAND
) -> str:
    """The table as JSON with one instance type per line, sorted, so diffs stay reviewable."""
    header = {"generatedBy": generated_by, "source": source, "columns": list(COLUMNS)}
    lines = ["{"]
    lines += [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in header.items()]
    rows = [
        f"    {json.dumps(name)}: {json.dumps(limits[name].to_row())}" for name in sorted(limits)
    ]
    if rows:
        lines += ['  "instanceTypes": {', ",\n".join(rows), "  }"]
    else:
        lines.append('  "instanceTypes": {}')
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- command line -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=COMMAND, description="Generate the EC2 instance network table for max-pods."
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--from-json", action="append", metavar="PATH",
        help="saved DescribeInstanceTypes dump (.json or .json.gz); repeat to merge, first wins",
    )
    source.add_argument(
        "--from-moto", action="store_true", help="moto's bundled DescribeInstanceTypes snapshot"
    )
    source.add_argument(
        "--from-aws", action="store_true", help="live DescribeInstanceTypes (needs credentials)"
    )
    parser.add_argument(
        "--region", action="append", metavar="REGION",
        help=f"with --from-aws; repeat, first wins (default: {' '.join(DEFAULT_REGIONS)})",
    )
    parser.add_argument(
        "--page-size", type=int, metavar="N", help="with --from-aws; MaxResults per request, 5..100"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, metavar="PATH",
        help=f"where to write the table (default: {DEFAULT_OUTPUT})",
    )
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.from_aws and (args.region or args.page_size is not None):
        parser.error("--region and --page-size only apply to --from-aws")
    if args.page_size is not None and not 5 <= args.page_size <= 100:
        parser.error("--page-size must be 5..100 (the API's MaxResults range)")
    return args


def _generated_by(args: argparse.Namespace) -> str:
    """The command that reproduces the table; `--output` is left out as it changes no content."""
    words = [COMMAND]
    if args.from_json:
        for path in args.from_json:
            words += ["--from-json", shlex.quote(path)]
    elif args.from_moto:
        words.append("--from-moto")
    else:
        words.append("--from-aws")
        for region in args.region or []:
            words += ["--region", shlex.quote(region)]
    return " ".join(words)


def _build(
    args: argparse.Namespace, warn: Warn, session_factory: SessionFactory | None = None
) -> tuple[str, int]:
    """The table text and its number of instance types."""
    if args.from_json:
        elements = merge(load_named_dump(path) for path in args.from_json)
        source = "DescribeInstanceTypes dump " + ", ".join(args.from_json)
    elif args.from_moto:
        elements = load_named_dump(moto_dump_path())
        source = moto_source()
    else:
        regions = args.region or list(DEFAULT_REGIONS)
        elements = fetch_checked(regions, session_factory, page_size=args.page_size)
        source = f"EC2 DescribeInstanceTypes in {', '.join(regions)} (first region listed wins)"
    limits = limits_from_describe(elements, warn)
    if not limits:
        # Never replace a good table with an empty one.
        raise GenerateError("no usable instance types in the source")
    return render_table(limits, source, _generated_by(args)), len(limits)


def table_text(argv: Sequence[str] | None = None, warn: Warn = _stderr) -> str:
    """What `main` would write for these arguments, without writing it."""
    return _build(_parse(argv), warn)[0]


def write_table(text: str, output: Path) -> None:
    """Write through a temporary file so an interrupted run leaves the old table intact."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    temporary.replace(output)


def main(argv: Sequence[str] | None = None, session_factory: SessionFactory | None = None) -> int:
    """Exit 0 on success, 1 with one `error:` line for a user error, 2 for bad arguments."""
    args = _parse(argv)
    try:
        text, count = _build(args, _stderr, session_factory)
        write_table(text, args.output)
    except (GenerateError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"wrote {count} instance types to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
