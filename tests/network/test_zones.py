"""Zones: the generated table matches moto's data, and the choice EKS can live with."""

from __future__ import annotations

from pathlib import Path

import pytest
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

from eks_platform.facts import zones
from eks_platform.facts.zones import Zone, choose_zones, region_zones, usable_zones


def moto_zones(region: str) -> list[Zone]:
    return [Zone(z.name, z.zone_id, z.zone_type) for z in RegionsAndZonesBackend.zones[region]]


def test_committed_table_is_what_the_generator_writes_from_moto(tmp_path: Path) -> None:
    output = tmp_path / "zones.json"
    assert zones.main(["--from-moto", "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == zones.DATA_FILE.read_text(encoding="utf-8"), (
        "zones.json is stale: run `python -m eks_platform.facts.zones --from-moto`")


@pytest.mark.parametrize("region", ["us-east-1", "us-west-2", "ap-northeast-1", "eu-west-1"])
def test_table_holds_each_region_as_moto_answers_it(region: str) -> None:
    table = region_zones(region)
    assert table is not None
    assert sorted(table, key=lambda z: z.name) == sorted(moto_zones(region), key=lambda z: z.name)


def test_unknown_region_is_not_in_the_table() -> None:
    assert region_zones("moon-north-1") is None
    assert "us-east-1" in zones.known_regions()


def test_us_east_1_never_gets_use1_az3_and_is_ordered_by_zone_id() -> None:
    # moto's us-east-1: a=az6 b=az1 c=az2 d=az4 e=az3 f=az5; the EKS user guide refuses az3.
    chosen = choose_zones(moto_zones("us-east-1"), 3, "us-east-1")
    assert [(z.name, z.zone_id) for z in chosen] == [
        ("us-east-1b", "use1-az1"), ("us-east-1c", "use1-az2"), ("us-east-1d", "use1-az4")]
    assert all(z.zone_id != "use1-az3" for z in usable_zones(moto_zones("us-east-1"), "us-east-1"))


def test_choice_does_not_move_when_the_region_grows() -> None:
    before = [Zone("r-1a", "r1-az2"), Zone("r-1b", "r1-az1"), Zone("r-1c", "r1-az3")]
    grown = [*before, Zone("r-1d", "r1-az4"), Zone("r-1e", "r1-az10")]
    assert choose_zones(grown, 3, "r-1") == choose_zones(before, 3, "r-1")
    assert [z.zone_id for z in usable_zones(grown, "r-1")] == [
        "r1-az1", "r1-az2", "r1-az3", "r1-az4", "r1-az10"]


def test_local_and_wavelength_zones_are_never_chosen() -> None:
    region = [Zone("us-west-2a", "usw2-az1"), Zone("us-west-2-lax-1a", "usw2-lax1-az1",
                                                   "local-zone"),
              Zone("us-west-2-wl1-las-wlz-1", "usw2-wl1-las-wlz1", "wavelength-zone"),
              Zone("us-west-2b", "usw2-az2")]
    assert [z.name for z in choose_zones(region, 2, "us-west-2")] == ["us-west-2a", "us-west-2b"]


def test_too_many_zones_is_a_clear_error_naming_region_count_and_zones() -> None:
    with pytest.raises(ValueError) as error:
        choose_zones(moto_zones("us-west-1"), 3, "us-west-1")
    # moto's us-west-1: a=usw1-az3, b=usw1-az1; the EKS user guide refuses usw1-az2 anyway.
    assert str(error.value) == (
        "region us-west-1 has 2 availability zones EKS can use, fewer than the 3 asked for: "
        "us-west-1b (usw1-az1), us-west-1a (usw1-az3)")


def test_zero_zones_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least 1, got 0"):
        choose_zones(moto_zones("us-east-2"), 0, "us-east-2")


def test_zones_from_the_data_source_lists() -> None:
    assert zones.zones_from_lists(["a", "b"], ["x-az1", "x-az2"]) == [
        Zone("a", "x-az1"), Zone("b", "x-az2")]
    with pytest.raises(ValueError, match="2 zone names but 1 zone IDs"):
        zones.zones_from_lists(["a", "b"], ["x-az1"])


def test_from_aws_reads_every_enabled_region_with_local_zones() -> None:
    class FakeEc2:
        def __init__(self, region: str) -> None:
            self.region = region

        def describe_regions(self) -> dict[str, object]:
            return {"Regions": [{"RegionName": "us-west-2"}]}

        def describe_availability_zones(self, **kwargs: object) -> dict[str, object]:
            assert kwargs == {"AllAvailabilityZones": True}
            return {"AvailabilityZones": [
                {"ZoneName": "us-west-2b", "ZoneId": "usw2-az1", "ZoneType": "availability-zone"},
                {"ZoneName": "us-west-2-lax-1a", "ZoneId": "usw2-lax1-az1",
                 "ZoneType": "local-zone"}]}

    table = zones.table_from_answers(zones.aws_answers(FakeEc2))
    assert table == {"regions": {"us-west-2": [
        {"name": "us-west-2-lax-1a", "zoneId": "usw2-lax1-az1", "zoneType": "local-zone"},
        {"name": "us-west-2b", "zoneId": "usw2-az1", "zoneType": "availability-zone"}]}}


def test_from_aws_without_credentials_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    output = tmp_path / "zones.json"
    assert zones.main(["--from-aws", "--output", str(output)]) == 1
    assert capsys.readouterr().err == (
        "python -m eks_platform.facts.zones: cannot read zones from AWS: Unable to locate "
        "credentials\n")
    assert not output.exists()


def test_unwritable_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "missing-dir" / "zones.json"
    assert zones.main(["--from-moto", "--output", str(output)]) == 1
    assert capsys.readouterr().err == (
        f"python -m eks_platform.facts.zones: cannot write {output}: No such file or directory\n")
