"""Availability zones: which ones EKS can use, and a stable choice among them.

Zone names (`us-east-1a`) map to different physical zones in each account; zone IDs
(`use1-az1`) do not, and EKS refuses a few zone IDs for control-plane subnets. The region
table (`zones.json`) is generated from EC2 `DescribeAvailabilityZones` answers:

    python -m eks_platform.facts.zones --from-moto   # moto's bundled answers (offline, committed)
    python -m eks_platform.facts.zones --from-aws    # the live API, regions enabled in the account

The choice itself (`choose_zones`) is pure, so the offline plan and the deploy-time choice
(from `aws.get_availability_zones`, filtered to `zone-type = availability-zone`) agree.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: Zone IDs EKS refuses for cluster (control plane) subnets, by region. Written by hand:
#: use1-az3, usw1-az2 and cac1-az3 come from the EKS user guide, "Amazon EKS VPC and subnet
#: requirements and considerations" (network-reqs.html#network-requirements-subnets), which
#: names them as zones whose subnets can't be used to create a cluster
#: (UnsupportedAvailabilityZoneException). cnn1-az4 comes from eksctl's `zoneIDsToAvoid`
#: (pkg/az/az.go, eksctl issue #3916), not from the user guide.
EKS_REFUSED_ZONE_IDS: Mapping[str, frozenset[str]] = {
    "us-east-1": frozenset({"use1-az3"}),
    "us-west-1": frozenset({"usw1-az2"}),
    "ca-central-1": frozenset({"cac1-az3"}),
    "cn-north-1": frozenset({"cnn1-az4"}),
}

#: The zone type of a standard Availability Zone (others: `local-zone`, `wavelength-zone`).
STANDARD_ZONE_TYPE = "availability-zone"

DATA_FILE = Path(__file__).with_name("zones.json")
COMMAND = "python -m eks_platform.facts.zones"


@dataclass(frozen=True, slots=True)
class Zone:
    """One zone as DescribeAvailabilityZones reports it."""

    name: str
    zone_id: str
    zone_type: str = STANDARD_ZONE_TYPE


def _zone_id_order(zone: Zone) -> tuple[str, int, str]:
    """`use1-az10` after `use1-az9`: AWS numbers new zones upward, so this order only grows
    at its end."""
    match = re.fullmatch(r"(.*-az)(\d+)", zone.zone_id)
    if match is None:
        return (zone.zone_id, -1, zone.zone_id)
    return (match.group(1), int(match.group(2)), zone.zone_id)


def usable_zones(zones: Iterable[Zone], region: str) -> list[Zone]:
    """Standard availability zones of `region` that EKS accepts, ordered by zone ID."""
    refused = EKS_REFUSED_ZONE_IDS.get(region, frozenset())
    return sorted((z for z in zones
                   if z.zone_type == STANDARD_ZONE_TYPE and z.zone_id not in refused),
                  key=_zone_id_order)


def choose_zones(zones: Iterable[Zone], count: int, region: str) -> list[Zone]:
    """The first `count` usable zones by zone ID: no Local or Wavelength Zones, none that EKS
    refuses, and a choice that stays put when AWS adds a zone to the region."""
    if count < 1:
        raise ValueError(f"zone count must be at least 1, got {count}")
    usable = usable_zones(zones, region)
    if count > len(usable):
        listed = ", ".join(f"{z.name} ({z.zone_id})" for z in usable) or "none"
        raise ValueError(f"region {region} has {len(usable)} availability zones EKS can use, "
                         f"fewer than the {count} asked for: {listed}")
    return usable[:count]


def zones_from_lists(names: Sequence[str], zone_ids: Sequence[str],
                     zone_type: str = STANDARD_ZONE_TYPE) -> list[Zone]:
    """Zones from `aws.get_availability_zones()`'s parallel `names` and `zone_ids` lists."""
    if len(names) != len(zone_ids):
        raise ValueError(f"{len(names)} zone names but {len(zone_ids)} zone IDs")
    return [Zone(n, i, zone_type) for n, i in zip(names, zone_ids, strict=True)]


# --- the generated table ------------------------------------------------------------------------


@cache
def _table() -> dict[str, tuple[Zone, ...]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {region: tuple(Zone(z["name"], z["zoneId"], z["zoneType"]) for z in zones)
            for region, zones in data["regions"].items()}


def known_regions() -> list[str]:
    return sorted(_table())


def region_zones(region: str) -> tuple[Zone, ...] | None:
    """The zones of `region` from the generated table, or None when it is not in it."""
    return _table().get(region)


def table_from_answers(answers: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, Any]:
    """`{region: DescribeAvailabilityZones()["AvailabilityZones"]}` -> the JSON document."""
    regions = {
        region: sorted(({"name": z["ZoneName"], "zoneId": z["ZoneId"],
                         "zoneType": z.get("ZoneType", STANDARD_ZONE_TYPE)} for z in zones),
                       key=lambda z: z["name"])
        for region, zones in answers.items()
    }
    return {"regions": dict(sorted(regions.items()))}


def render(table: Mapping[str, Any], source: str) -> str:
    """The JSON file: one zone per line, so that a regenerated table diffs by zone."""
    regions = ",\n".join(
        f"  {json.dumps(region)}: [\n" + ",\n".join(f"   {json.dumps(z)}" for z in zones) + "\n  ]"
        for region, zones in table["regions"].items())
    return (f'{{\n "generatedBy": {json.dumps(f"{COMMAND} {source}")},\n'
            f' "regions": {{\n{regions}\n }}\n}}\n')


def moto_answers() -> dict[str, list[dict[str, str]]]:
    """moto's bundled zone data, shaped as DescribeAvailabilityZones answers (the very data
    moto's fake EC2 answers from; reading it directly skips 38 fake clients)."""
    from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

    return {region: [{"ZoneName": z.name, "ZoneId": z.zone_id, "ZoneType": z.zone_type}
                     for z in zones]
            for region, zones in RegionsAndZonesBackend.zones.items()}


ClientFactory = Callable[[str], Any]


def aws_answers(client_for: ClientFactory) -> dict[str, list[dict[str, Any]]]:
    """Live answers for every region enabled in the account, Local/Wavelength Zones included
    (so that the table shows their types), through `client_for(region)` (an EC2 client)."""
    regions = client_for("us-east-1").describe_regions()["Regions"]
    return {r["RegionName"]: client_for(r["RegionName"]).describe_availability_zones(
                AllAvailabilityZones=True)["AvailabilityZones"]
            for r in regions}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-moto", action="store_true", help="moto's bundled zone data")
    source.add_argument("--from-aws", action="store_true",
                        help="DescribeAvailabilityZones with the default credentials")
    parser.add_argument("--output", type=Path, default=DATA_FILE, metavar="PATH")
    args = parser.parse_args(argv)
    if args.from_moto:
        answers: Mapping[str, Iterable[Mapping[str, Any]]] = moto_answers()
        flag = "--from-moto"
    else:
        try:
            import boto3
            from botocore.exceptions import BotoCoreError, ClientError

            session = boto3.Session()
            answers = aws_answers(lambda region: session.client("ec2", region_name=region))
        except (BotoCoreError, ClientError) as error:
            print(f"{COMMAND}: cannot read zones from AWS: {error}", file=sys.stderr)
            return 1
        flag = "--from-aws"
    text = render(table_from_answers(answers), flag)
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"{COMMAND}: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
