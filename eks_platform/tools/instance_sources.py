"""Where EC2 `DescribeInstanceTypes` data comes from: a saved dump, moto's bundled snapshot, or
the live API (boto3, imported only then), each turned into a list of `InstanceTypes[]` elements.
User errors (a bad file, no credentials, an unknown region) are `GenerateError`: one line."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

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

Element = dict[str, Any]
Warn = Callable[[str], None]
#: `region -> object with .client("ec2")`, i.e. a boto3 Session; injectable for tests.
SessionFactory = Callable[[str], Any]


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
