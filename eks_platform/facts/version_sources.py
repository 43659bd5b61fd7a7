"""Where the EKS version calendar comes from, and the command that regenerates it
(`python -m eks_platform.facts.versions`): the hand-typed snapshot of the user guide's release
calendar, or EKS's DescribeClusterVersions (`includeAll`, so ended versions keep their dates)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from eks_platform.facts.versions import (
    COLUMNS,
    COMMAND,
    DATA,
    SNAPSHOT,
    VersionDates,
    Warn,
    minor_key,
    render,
)

# --- sources ------------------------------------------------------------------------------------


def parse_snapshot(text: str) -> tuple[list[VersionDates], str, date]:
    """Rows, source and day taken of the hand-typed calendar (`# taken:`/`# source:` lines)."""
    meta: dict[str, str] = {}
    rows: list[VersionDates] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            key, sep, value = line.lstrip("# ").partition(":")
            if sep and key in ("taken", "source"):
                meta[key] = value.strip()
            continue
        if not line:
            continue
        fields = [field.strip() for field in line.split(",")]
        try:
            minor_key(fields[0])
            rows.append(VersionDates(fields[0], *(date.fromisoformat(f) for f in fields[1:4])))
        except (TypeError, ValueError, IndexError) as error:
            raise ValueError(f"snapshot line {number}: {raw!r}: {error}") from None
    missing = [key for key in ("taken", "source") if key not in meta]
    if missing or not rows:
        raise ValueError(f"snapshot needs '# taken:' and '# source:' lines and rows; "
                         f"missing {missing or 'rows'}")
    return rows, meta["source"], date.fromisoformat(meta["taken"])


def _utc_day(value: Any) -> date:
    """API timestamps are instants (e.g. 2025-11-25T16:00-08:00); the calendar's day is UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    return datetime.fromisoformat(str(value)).astimezone(UTC).date()


def rows_from_describe(items: Iterable[Mapping[str, Any]], warn: Warn) -> list[VersionDates]:
    """`clusterVersions[]` of standard EKS clusters; entries without all three dates are skipped."""
    rows: list[VersionDates] = []
    for item in items:
        name = item.get("clusterVersion", "<unnamed>")
        if item.get("clusterType", "eks") != "eks":
            continue
        missing = [f for f in COLUMNS if not item.get(f)]
        if missing:
            warn(f"skipping {name}: no {', '.join(missing)}")
            continue
        rows.append(VersionDates(str(name), *(_utc_day(item[f]) for f in COLUMNS)))
    return rows


def fetch_cluster_versions(region: str, session_factory: Any = None) -> list[dict[str, Any]]:
    """Every `clusterVersions[]` entry, ended versions included, through all pages."""
    if session_factory is None:
        import boto3  # type: ignore[import-untyped]  # only --from-aws needs boto3

        session_factory = boto3.session.Session
    client = session_factory(region_name=region).client("eks")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("describe_cluster_versions").paginate(includeAll=True):
        items.extend(page.get("clusterVersions", []))
    return items


# --- command line -------------------------------------------------------------------------------


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def build(argv: Sequence[str] | None = None, warn: Warn = _stderr, today: date | None = None,
          session_factory: Any = None) -> tuple[str, argparse.Namespace]:
    """The table text these arguments produce, without writing it."""
    parser = argparse.ArgumentParser(prog=COMMAND, description="Generate the EKS version table.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-snapshot", nargs="?", const=str(SNAPSHOT), metavar="CSV",
                        help="the hand-typed user guide calendar (default: the bundled one)")
    source.add_argument("--from-aws", action="store_true",
                        help="EKS DescribeClusterVersions (needs credentials)")
    parser.add_argument("--region", default="us-east-1", help="with --from-aws")
    parser.add_argument("--output", type=Path, default=DATA, metavar="PATH")
    args = parser.parse_args(argv)
    if args.from_aws:
        items = fetch_cluster_versions(args.region, session_factory)
        rows, taken = rows_from_describe(items, warn), today or datetime.now(UTC).date()
        source_text = f"EKS DescribeClusterVersions (includeAll) in {args.region}"
        generated_by = f"{COMMAND} --from-aws --region {args.region}"
    else:
        path = Path(args.from_snapshot)
        rows, source_text, taken = parse_snapshot(path.read_text(encoding="utf-8"))
        bundled = path.resolve() == SNAPSHOT.resolve()
        generated_by = f"{COMMAND} --from-snapshot" + ("" if bundled else f" {path}")
    if not rows:
        raise ValueError("no versions with all three dates in the source")
    return render(rows, source_text, taken, generated_by), args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        text, args = build(argv)
    except Exception as error:  # the edge: any failure (file, parse, AWS) is one line, no trace
        print(f"error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    temporary = args.output.with_name(args.output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    temporary.replace(args.output)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
