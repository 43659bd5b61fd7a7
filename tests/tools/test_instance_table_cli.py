"""The instance table generator's command line: what it writes, and user errors as one line
with a non-zero exit and no traceback."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eks_platform.tools import instance_table as generate
from eks_platform.tools.instance_table import DEFAULT_OUTPUT
from tests.tools.conftest import boto3_session
from tests.tools.test_generate import REPO, SHAPES, element


def test_cli_writes_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "first.json.gz"
    first.write_bytes(gzip.compress(json.dumps(SHAPES["api"]).encode()))
    second = tmp_path / "second.json"
    second.write_text(json.dumps([element("m5.large", ips=99), element("r5.large")]))
    output = tmp_path / "out" / "instance_types.json"

    code = generate.main(["--from-json", str(first), "--from-json", str(second),
                          "--output", str(output)])

    assert code == 0
    data = json.loads(output.read_text())
    assert list(data["instanceTypes"]) == ["m5.large", "r5.large", "t3.micro"]
    assert data["instanceTypes"]["m5.large"][2] == 10  # the first dump wins
    assert data["generatedBy"].endswith(f"--from-json {first} --from-json {second}")
    assert "wrote 3 instance types" in capsys.readouterr().err
    assert not list(output.parent.glob("*.tmp"))



def test_cli_refuses_to_write_an_empty_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps({"InstanceTypes": [{"InstanceType": "m5.large"}]}))
    output = tmp_path / "instance_types.json"
    assert generate.main(["--from-json", str(dump), "--output", str(output)]) == 1
    assert not output.exists()
    assert "no usable instance types" in capsys.readouterr().err



@pytest.mark.parametrize(
    "argv",
    [["--from-moto", "--region", "us-east-1"], ["--from-aws", "--page-size", "2"], []],
    ids=["region-without-aws", "page-size-below-api-minimum", "no-source"],
)
def test_cli_rejects_bad_arguments(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        generate.main(argv)
    assert exit_info.value.code == 2



def test_module_runs_without_pulumi_or_boto3(tmp_path: Path) -> None:
    """`python -m` works, and neither Pulumi nor boto3 is imported for an offline source."""
    output = tmp_path / "instance_types.json"
    probe = (
        "import runpy, sys; sys.argv = ['generate', '--from-moto', '--output', sys.argv[1]];\n"
        "try:\n    runpy.run_module('eks_platform.tools.instance_table', run_name='__main__')\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "roots = {name.split('.')[0] for name in sys.modules}\n"
        "leaked = sorted(roots & {'pulumi', 'boto3', 'botocore'})\n"
        "assert not leaked, leaked\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", probe, str(output)], cwd=REPO, env=env, check=True)
    assert output.read_text() == DEFAULT_OUTPUT.read_text()



@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not JSON (Expecting property name enclosed in double quotes"),
     (b"\x1f\x8b\x08\x00garbage", "dump.json"),
     (b"\xff\xfe\x00", "not UTF-8 JSON text"),
     (b"[1, 2]", "instance type entries must be objects, got int")],
    ids=["bad-json", "bad-gzip", "not-utf8", "bad-shape"],
)
def test_bad_dump_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    dump = tmp_path / "dump.json"
    dump.write_bytes(content)
    output = tmp_path / "out.json"
    assert generate.main(["--from-json", str(dump), "--output", str(output)]) == 1
    line = _one_error_line(capsys)
    assert line.startswith(f"error: {dump}: ") and message in line
    assert not output.exists()



def test_missing_dump_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.json"
    assert generate.main(["--from-json", str(missing), "--output", str(tmp_path / "o")]) == 1
    assert _one_error_line(capsys) == f"error: {missing}: no such file"



def test_unwritable_output_is_one_line(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(SHAPES["list"]))
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert generate.main(["--from-json", str(dump), "--output", str(blocker / "t.json")]) == 1
    assert _one_error_line(capsys).startswith(f"error: cannot write {blocker / 't.json'}")



def test_unknown_region_is_refused_before_any_call(capsys: pytest.CaptureFixture[str]) -> None:
    def no_session(region: str) -> Any:
        raise AssertionError(f"no AWS call expected, got one for {region}")

    assert generate.main(["--from-aws", "--region", "us-east-1", "--region", "mars-north-1"],
                         no_session) == 1
    assert _one_error_line(capsys) == (
        "error: unknown region mars-north-1: not an EC2 region botocore knows "
        "(for example us-east-1)")



def test_from_aws_without_credentials_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    botocore_loader: Any,
) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never ask IMDS
    output = tmp_path / "out.json"
    argv = ["--from-aws", "--region", "us-east-1", "--output", str(output)]
    # The real credential chain of a real session, finding nothing.
    assert generate.main(argv, lambda region: boto3_session(botocore_loader, region)) == 1
    assert _one_error_line(capsys).startswith("error: --from-aws found no AWS credentials")
    assert not output.exists()



def test_aws_refusal_is_one_line_naming_region_and_code(
    capsys: pytest.CaptureFixture[str], botocore_loader: Any,
) -> None:
    from botocore.stub import Stubber

    client = boto3_session(botocore_loader, "eu-west-1").client(
        "ec2", aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(client)
    stubber.add_client_error("describe_instance_types", "UnauthorizedOperation",
                             "You are not authorized to perform this operation.")

    class Session:
        def client(self, service: str, **_: Any) -> Any:
            return client

    with stubber:
        assert generate.main(["--from-aws", "--region", "eu-west-1"], lambda r: Session()) == 1
    assert _one_error_line(capsys) == (
        "error: DescribeInstanceTypes in eu-west-1 failed: UnauthorizedOperation: "
        "You are not authorized to perform this operation.")


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]
