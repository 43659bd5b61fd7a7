"""The instance table generator: dump shapes, conversion, live (moto) fetch, and the CLI.

The committed `instance_types.json` is compared with a fresh generation from moto's bundled
snapshot, so the table can never drift from its declared source.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eks_platform.nodes.maxpods.limits import COLUMNS, InstanceLimits
from eks_platform.tools import instance_sources as sources
from eks_platform.tools import instance_table as generate
from eks_platform.tools.instance_sources import fetch_from_aws, load_dump, merge
from eks_platform.tools.instance_table import DEFAULT_OUTPUT, limits_from_describe, render_table
from tests.tools.conftest import boto3_session

REPO = Path(__file__).resolve().parents[2]


def element(
    name: str, enis: tuple[int, ...] = (3,), ips: int = 10, vcpus: int = 2, **extra: Any
) -> dict[str, Any]:
    """A minimal `InstanceTypes[]` element, shaped like the API's."""
    cards = [{"NetworkCardIndex": i, "MaximumNetworkInterfaces": n} for i, n in enumerate(enis)]
    return {
        "InstanceType": name,
        "Hypervisor": "nitro",
        "BareMetal": False,
        "VCpuInfo": {"DefaultVCpus": vcpus},
        "NetworkInfo": {
            "DefaultNetworkCardIndex": 0,
            "MaximumNetworkInterfaces": sum(enis),
            "Ipv4AddressesPerInterface": ips,
            "NetworkCards": cards,
        },
        **extra,
    }


@pytest.fixture(scope="module")
def moto_elements() -> list[dict[str, Any]]:
    return load_dump(sources.moto_dump_path())


@pytest.fixture(scope="module")
def moto_limits(moto_elements: list[dict[str, Any]]) -> dict[str, InstanceLimits]:
    return limits_from_describe(moto_elements)


# --- loading ------------------------------------------------------------------------------------

SHAPES = {
    "api": {"InstanceTypes": [element("m5.large"), element("t3.micro", (2,), 2)]},
    "list": [element("m5.large"), element("t3.micro", (2,), 2)],
    "keyed": {"m5.large": element("m5.large"), "t3.micro": element("t3.micro", (2,), 2)},
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_load_dump_shapes(tmp_path: Path, shape: str, gzipped: bool) -> None:
    raw = json.dumps(SHAPES[shape]).encode()
    path = tmp_path / ("dump.json.gz" if gzipped else "dump.json")
    path.write_bytes(gzip.compress(raw) if gzipped else raw)
    loaded = load_dump(path)
    assert [e["InstanceType"] for e in loaded] == ["m5.large", "t3.micro"]
    assert loaded[0]["NetworkInfo"]["Ipv4AddressesPerInterface"] == 10


def test_keyed_dump_names_elements_from_keys(tmp_path: Path) -> None:
    unnamed = element("ignored")
    del unnamed["InstanceType"]
    path = tmp_path / "dump.json"
    path.write_text(json.dumps({"c5.large": unnamed}))
    assert load_dump(path)[0]["InstanceType"] == "c5.large"


@pytest.mark.parametrize("data", [{"InstanceTypes": "x"}, {"a": 1}, 3, ["m5.large"]])
def test_load_dump_rejects_unknown_shapes(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError):
        load_dump(path)


# --- conversion, merge, rendering ---------------------------------------------------------------


def test_moto_dump_generates_the_expected_rows(moto_limits: dict[str, InstanceLimits]) -> None:
    assert len(moto_limits) >= 1390
    m5 = moto_limits["m5.large"]
    assert m5.to_row() == [0, [3], 10, "nitro", False, 2, ["x86_64"], 8192, 0, 0, 0]
    assert (m5.default_card_enis, m5.is_nitro, m5.bare_metal, m5.vcpus) == (3, True, False, 2)
    for multi_card in ("p4d.24xlarge", "i7ie.48xlarge"):
        assert len(moto_limits[multi_card].enis_per_card) > 1
    assert moto_limits["p4d.24xlarge"].enis_per_card == (15, 15, 15, 15)


@pytest.mark.parametrize(
    ("name", "architectures", "nvidia", "neuron"),
    [("m6g.large", ("arm64",), 0, 0), ("g5g.xlarge", ("arm64",), 1, 0),
     ("p4d.24xlarge", ("x86_64",), 8, 0), ("inf1.xlarge", ("x86_64",), 0, 1),
     ("trn2.48xlarge", ("x86_64",), 0, 16), ("mac1.metal", ("x86_64_mac",), 0, 0),
     ("dl2q.24xlarge", ("x86_64",), 0, 0)],
)
def test_accelerator_and_architecture_columns_follow_the_snapshot(
    moto_elements: list[dict[str, Any]], moto_limits: dict[str, InstanceLimits],
    name: str, architectures: tuple[str, ...], nvidia: int, neuron: int,
) -> None:
    raw = next(e for e in moto_elements if e["InstanceType"] == name)
    row = moto_limits[name]
    assert row.architectures == architectures == tuple(
        raw["ProcessorInfo"]["SupportedArchitectures"])
    assert row.memory_mib == raw["MemoryInfo"]["SizeInMiB"]
    assert (row.nvidia_gpus, row.neuron_devices) == (nvidia, neuron)


def test_inferentia_without_neuron_info_counts_its_aws_accelerators() -> None:
    inf1 = element("inf1.xlarge", InferenceAcceleratorInfo={"Accelerators": [
        {"Count": 1, "Manufacturer": "AWS", "Name": "Inferentia"}]})
    amd = element("g4ad.xlarge", GpuInfo={"Gpus": [
        {"Count": 1, "Manufacturer": "AMD", "Name": "Radeon Pro V520"}]})
    limits = limits_from_describe([inf1, amd])
    assert limits["inf1.xlarge"].neuron_devices == 1
    assert (limits["g4ad.xlarge"].gpus, limits["g4ad.xlarge"].nvidia_gpus) == (1, 0)


def test_unusable_elements_are_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    no_network = element("x1.large")
    del no_network["NetworkInfo"]
    no_vcpus = element("x2.large")
    del no_vcpus["VCpuInfo"]
    gap = element("x3.large", (2, 2))
    gap["NetworkInfo"]["NetworkCards"][1]["NetworkCardIndex"] = 2
    no_ips = element("x4.large")
    del no_ips["NetworkInfo"]["Ipv4AddressesPerInterface"]
    bad_default = element("x5.large")
    bad_default["NetworkInfo"]["DefaultNetworkCardIndex"] = 1
    no_index = element("x6.large", (2, 2))
    del no_index["NetworkInfo"]["NetworkCards"][0]["NetworkCardIndex"]
    broken = [no_network, no_vcpus, gap, no_ips, bad_default, no_index]

    limits = limits_from_describe([*broken, element("m5.large")])

    assert list(limits) == ["m5.large"]
    err = capsys.readouterr().err
    for name in (e.get("InstanceType") for e in broken):
        assert f"skipping {name}" in err


def test_card_without_network_cards_falls_back_to_the_total() -> None:
    old = element("m1.small")
    del old["NetworkInfo"]["NetworkCards"]
    old["Hypervisor"] = "xen"
    assert limits_from_describe([old])["m1.small"].enis_per_card == (3,)


def test_merge_keeps_the_first_source_for_each_type() -> None:
    first = [element("m5.large", ips=10), element("c5.large")]
    second = [element("m5.large", ips=99), element("r5.large")]
    merged = merge([first, second])
    assert [e["InstanceType"] for e in merged] == ["m5.large", "c5.large", "r5.large"]
    assert merged[0]["NetworkInfo"]["Ipv4AddressesPerInterface"] == 10
    # Order of the sources, not of the calls, decides: swapping them swaps the winner.
    assert merge([second, first])[0]["NetworkInfo"]["Ipv4AddressesPerInterface"] == 99


def test_render_table_is_sorted_valid_json_with_one_type_per_line() -> None:
    limits = limits_from_describe([element("m5.large"), element("c5.large", (4,), 15, 2)])
    text = render_table(limits, "unit test", "cmd")
    data = json.loads(text)
    assert data["generatedBy"] == "cmd"
    assert data["source"] == "unit test"
    assert data["columns"] == list(COLUMNS)
    assert list(data["instanceTypes"]) == ["c5.large", "m5.large"]
    assert InstanceLimits.from_row("m5.large", data["instanceTypes"]["m5.large"]) == (
        limits["m5.large"]
    )
    assert '    "c5.large": [0, [4], 15, "nitro", false, 2, [], 0, 0, 0, 0],\n' in text
    assert text.endswith("}\n")
    assert render_table(dict(reversed(limits.items())), "unit test", "cmd") == text
    assert json.loads(render_table({}, "empty"))["instanceTypes"] == {}


def test_committed_table_matches_a_fresh_generation_from_moto() -> None:
    fresh = generate.table_text(["--from-moto"])
    committed = DEFAULT_OUTPUT.read_text(encoding="utf-8")
    assert committed == fresh, "regenerate: python -m eks_platform.tools.instance_table --from-moto"


# --- live API -----------------------------------------------------------------------------------


@pytest.fixture
def fake_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's in-memory EC2, with fake credentials so nothing can reach real AWS."""
    from moto import mock_aws

    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        yield


class RecordingSessions:
    """A session factory over real boto3 sessions that records every DescribeInstanceTypes."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.pages: list[str] = []

    def __call__(self, region: str) -> Any:
        session = boto3_session(self.loader, region)

        def request(params: dict[str, Any], **_: Any) -> None:
            self.requests.append((region, dict(params)))

        def response(**_: Any) -> None:
            self.pages.append(region)

        session.events.register("provide-client-params.ec2.DescribeInstanceTypes", request)
        session.events.register("after-call.ec2.DescribeInstanceTypes", response)
        return session


def test_fetch_from_moto_api_merges_two_regions(
    fake_aws: None, moto_limits: dict[str, InstanceLimits], botocore_loader: Any
) -> None:
    # moto serializes every type it knows unless filtered: asking for a few keeps this fast.
    wanted = ["m5.large", "p4d.24xlarge", "t3.micro"]
    sessions = RecordingSessions(botocore_loader)

    elements = fetch_from_aws(
        ["eu-west-1", "us-east-1"], sessions, page_size=5, instance_types=wanted
    )

    assert sorted(e["InstanceType"] for e in elements) == wanted  # union, no duplicates
    assert [region for region, _ in sessions.requests] == ["eu-west-1", "us-east-1"]
    assert all(params["MaxResults"] == 5 for _, params in sessions.requests)
    assert sessions.pages == ["eu-west-1", "us-east-1"]
    # Through the wire and back, the rows equal those of moto's own snapshot.
    live = limits_from_describe(elements)
    assert {name: live[name] for name in wanted} == {name: moto_limits[name] for name in wanted}


def test_fetch_follows_next_token_through_every_page(botocore_loader: Any) -> None:
    """moto ignores MaxResults (one page, no NextToken), so paging is checked with botocore's
    Stubber: the real paginator and EC2 model, with canned pages."""
    from botocore.stub import Stubber  # type: ignore[import-untyped]

    client = boto3_session(botocore_loader, "us-west-2").client(
        "ec2", aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(client)
    # The EC2 model allows MaxResults 5..100; the Stubber validates requests against it.
    names = [f"m{size}.large" for size in range(1, 13)]
    pages = [names[:5], names[5:10], names[10:]]
    for number, page in enumerate(pages):
        expected: dict[str, Any] = {"MaxResults": 5}
        if number:
            expected["NextToken"] = f"page-{number}"
        response: dict[str, Any] = {"InstanceTypes": [element(n) for n in page]}
        if number < len(pages) - 1:
            response["NextToken"] = f"page-{number + 1}"
        stubber.add_response("describe_instance_types", response, expected)

    class Session:
        def client(self, service: str, **_: Any) -> Any:
            assert service == "ec2"
            return client

    with stubber:
        elements = fetch_from_aws(["us-west-2"], lambda region: Session(), page_size=5)
    stubber.assert_no_pending_responses()  # all three pages were requested
    assert [e["InstanceType"] for e in elements] == names


# --- command line -------------------------------------------------------------------------------










# --- user errors: one line, non-zero exit, no traceback -----------------------------------------














