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
import gzip
import importlib.util
import json
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .limits import COLUMNS, InstanceLimits

#: Where the table lives; `table.py` reads it from the same place.
DEFAULT_OUTPUT = Path(__file__).with_name("instance_types.json")

#: Moto's `DescribeInstanceTypes` snapshot, relative to the `moto` package directory.
MOTO_DUMP = Path("ec2", "resources", "instance_types.json.gz")

#: Commercial regions enabled by default in every account (opt-in regions would fail with
#: AuthFailure unless enabled). Order matters: the first region listing a type wins.
DEFAULT_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
)

COMMAND = "python -m eks_platform.maxpods.generate"

Element = dict[str, Any]
Warn = Callable[[str], None]
#: `region -> object with .client("ec2")`, i.e. a boto3 Session; injectable for tests.
SessionFactory = Callable[[str], Any]


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class GenerateError(Exception):
    """A user error (bad file, no credentials, unknown region): one line, no traceback."""


# --- loading ------------------------------------------------------------------------------------


def parse_dump(data: Any) -> list[Element]:
    """The `InstanceTypes[]` elements of a dump in any of the shapes we meet in practice.

    `{"InstanceTypes": [...]}` is what the API and `aws ec2 describe-instance-types` return, a
    bare list is that array saved alone, and `{type: element}` is moto's bundled snapshot.
    """
    if isinstance(data, dict) and isinstance(data.get("InstanceTypes"), list):
        items: list[Any] = data["InstanceTypes"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict) and all(isinstance(v, dict) for v in data.values()):
        # The key is authoritative only when the element does not name itself.
        items = [{"InstanceType": key, **value} for key, value in data.items()]
    else:
        raise ValueError(
            "not a DescribeInstanceTypes dump: expected {'InstanceTypes': [...]}, "
            "a list of instance types, or an object keyed by instance type"
        )
    bad = [item for item in items if not isinstance(item, dict)]
    if bad:
        raise ValueError(f"instance type entries must be objects, got {type(bad[0]).__name__}")
    return list(items)


def load_dump(path: str | os.PathLike[str]) -> list[Element]:
    """Read a dump file, gzipped or not (sniffed from the magic bytes, not the suffix)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return parse_dump(json.loads(raw))


def load_named_dump(path: str | os.PathLike[str]) -> list[Element]:
    """`load_dump`, with every failure one `GenerateError` line that names the file."""
    try:
        return load_dump(path)
    except FileNotFoundError:
        raise GenerateError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GenerateError(f"{path}: is a directory, not a dump file") from None
    except json.JSONDecodeError as error:
        raise GenerateError(f"{path}: not JSON ({error})") from None
    except UnicodeDecodeError:
        raise GenerateError(f"{path}: not UTF-8 JSON text") from None
    except (OSError, EOFError, ValueError) as error:
        raise GenerateError(f"{path}: {error}") from None


def moto_dump_path() -> Path:
    """Moto's bundled snapshot, found without importing moto (which drags in botocore)."""
    spec = importlib.util.find_spec("moto")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("moto is not installed (pip install 'eks-platform[test]')")
    path = Path(next(iter(spec.submodule_search_locations)), MOTO_DUMP)
    if not path.is_file():
        raise FileNotFoundError(f"moto has no bundled instance types at {path}")
    return path


def moto_source() -> str:
    """Names the moto version, so a moto upgrade shows up as a diff of the table."""
    try:
        moto_version = version("moto")
    except PackageNotFoundError:  # pragma: no cover - find_spec already found it
        moto_version = "unknown"
    where = f"moto/{MOTO_DUMP.as_posix()}"
    return f"moto {moto_version} bundled DescribeInstanceTypes snapshot ({where})"


# --- live API -----------------------------------------------------------------------------------


def _boto3_session(region: str) -> Any:
    import boto3  # type: ignore[import-untyped]  # no stubs installed; only --from-aws needs it

    return boto3.session.Session(region_name=region)


def fetch_region(
    region: str,
    session_factory: SessionFactory | None = None,
    *,
    page_size: int | None = None,
    instance_types: Sequence[str] | None = None,
) -> list[Element]:
    """All `InstanceTypes[]` of one region, following `NextToken` through every page."""
    client = (session_factory or _boto3_session)(region).client("ec2")
    params: dict[str, Any] = {}
    if instance_types:
        params["InstanceTypes"] = list(instance_types)
    if page_size is not None:
        params["PaginationConfig"] = {"PageSize": page_size}
    elements: list[Element] = []
    for page in client.get_paginator("describe_instance_types").paginate(**params):
        elements.extend(page.get("InstanceTypes", []))
    return elements


def fetch_from_aws(
    regions: Sequence[str],
    session_factory: SessionFactory | None = None,
    *,
    page_size: int | None = None,
    instance_types: Sequence[str] | None = None,
) -> list[Element]:
    """Union of the regions' instance types; for a type in several regions the first one wins.

    Each region only lists the types it offers, so no single region has them all.
    """
    return merge(
        fetch_region(r, session_factory, page_size=page_size, instance_types=instance_types)
        for r in regions
    )


def unknown_regions(regions: Sequence[str], known: Iterable[str]) -> list[str]:
    known_set = set(known)
    return [region for region in regions if region not in known_set]


def known_ec2_regions() -> list[str]:
    """EC2 regions of every partition in botocore's bundled endpoint data (no network)."""
    import botocore.session  # type: ignore[import-untyped]

    session = botocore.session.get_session()
    return sorted({region for partition in session.get_available_partitions()
                   for region in session.get_available_regions("ec2", partition)})


def fetch_checked(
    regions: Sequence[str],
    session_factory: SessionFactory | None = None,
    *,
    page_size: int | None = None,
) -> list[Element]:
    """`fetch_from_aws` with AWS failures turned into one `GenerateError` line each."""
    try:
        from botocore.exceptions import (  # type: ignore[import-untyped]
            BotoCoreError,
            ClientError,
            NoCredentialsError,
        )
    except ImportError:
        raise GenerateError("--from-aws needs boto3: pip install boto3") from None
    unknown = unknown_regions(regions, known_ec2_regions())
    if unknown:
        raise GenerateError(f"unknown region {', '.join(unknown)}: not an EC2 region botocore "
                            f"knows (for example {DEFAULT_REGIONS[0]})")
    sources = []
    for region in regions:
        try:
            sources.append(fetch_region(region, session_factory, page_size=page_size))
        except NoCredentialsError:
            raise GenerateError(
                "--from-aws found no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or use --from-moto / --from-json offline)") from None
        except ClientError as error:
            details = error.response.get("Error", {})
            raise GenerateError(
                f"DescribeInstanceTypes in {region} failed: {details.get('Code', 'error')}: "
                f"{details.get('Message', error)}") from None
        except BotoCoreError as error:
            raise GenerateError(f"DescribeInstanceTypes in {region} failed: {error}") from None
    return merge(sources)


# --- pure transformations -----------------------------------------------------------------------


def merge(sources: Iterable[Iterable[Mapping[str, Any]]]) -> list[Element]:
    """Concatenate sources, keeping the first element seen for each instance type.

    First-wins (rather than last-wins or a field-wise union) keeps the result a function of the
    order the caller chose, so regenerating gives the same table. Elements without an
    `InstanceType` pass through for `limits_from_describe` to report.
    """
    seen: set[str] = set()
    merged: list[Element] = []
    for source in sources:
        for element in source:
            name = element.get("InstanceType")
            if isinstance(name, str):
                if name in seen:
                    continue
                seen.add(name)
            merged.append(dict(element))
    return merged


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
