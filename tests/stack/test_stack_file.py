"""File-level mistakes in a stack file: each one message, exit status 1, no traceback, no
class name of the implementation. Checked through the CLI (`eks-platform plan`), through
`read_stack_file`/`parse`, and through the program's own path (`__main__.py` with the config
as the Pulumi CLI hands it: strings)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from eks_platform import EksClusterArgs
from eks_platform.stack import SettingsError, parse, read_stack_file
from eks_platform.tools.cli import main
from eks_platform.tools.synth import synthesize_program
from tests.conftest import ROOT, STACKS

HEAD = "config:\n  aws:region: us-west-2\n"
GROUPS = "  eks-platform:nodeGroups:\n    - name: a\n      instanceTypes: [m5.large]\n"

#: (file text, the one problem line). Messages are what a reader needs, written here by hand.
FILE_CASES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "the file is empty: a stack file needs a top-level config: key with the "
                   "settings indented under it (aws:region: ...)"),
    "comments-only": (b"# dev stack\n", "the file is empty: a stack file needs a top-level "
                      "config: key with the settings indented under it (aws:region: ...)"),
    "no-config-root": (b"aws:region: us-west-2\neks-platform:clusterName: x\n",
                       "no config: at the top of the file (found aws:region, "
                       "eks-platform:clusterName at the top); a stack file needs a top-level "
                       "config: key with the settings indented under it (aws:region: ...)"),
    "empty-config": (b"config:\n", "config: is empty; it needs at least aws:region"),
    "unclosed-list": ((HEAD + "  eks-platform:logging: [api, audit\n").encode(),
                      "YAML syntax error at line 4, column 1: expected ',' or ']', but got "
                      "'<stream end>', while parsing a flow sequence opened at line 3, column "
                      "25; close the list's [ with ] (or quote a value with a comma)"),
    "tab": ((HEAD + "\teks-platform:protect: true\n").encode(),
            "YAML syntax error at line 3, column 1: found character '\\t' that cannot start "
            "any token; indent with spaces: YAML does not allow tabs (line 3: "
            "'eks-platform:protect: true')"),
    "colon-in-value": ((HEAD + "  eks-platform:clusterName: team: a\n").encode(),
                       "YAML syntax error at line 3, column 33: mapping values are not allowed "
                       "here; quote a value that contains ': ', or check the indentation of "
                       "this key (line 3: 'eks-platform:clusterName: team: a')"),
    "latin-1": ((HEAD + "  eks-platform:clusterName: caf\xe9\n").encode("latin-1"),
                "not UTF-8 text: byte 0xe9 at line 3, column 32 cannot be decoded; save the "
                "file as UTF-8"),
    "duplicate-top-level": (
        (HEAD + "  eks-platform:tags:\n    environment: dev\n    cost-center: platform\n"
         + GROUPS + "  eks-platform:tags:\n    environment: dev\n").encode(),
        "eks-platform:tags: written twice, on lines 3 and 9; YAML keeps only the last, so "
        "merge them into one"),
    "duplicate-nested": (
        (HEAD + GROUPS + "      maxSize: 3\n      maxSize: 4\n").encode(),
        "eks-platform:nodeGroups[0].maxSize: written twice, on lines 6 and 7; YAML keeps only "
        "the last, so merge them into one"),
}


def write(tmp_path: Path, data: bytes, stack: str = "mine") -> Path:
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_bytes(data)
    return path


def plan(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    status = main(["plan", "--config-file", str(path)])
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return status, captured.err


@pytest.mark.parametrize("case", FILE_CASES)
def test_file_mistakes_through_read_stack_file(case: str, tmp_path: Path) -> None:
    data, line = FILE_CASES[case]
    path = write(tmp_path, data)
    with pytest.raises(SettingsError) as info:
        read_stack_file(path)
    assert info.value.problems == [line]


@pytest.mark.parametrize("case", ["empty", "no-config-root", "unclosed-list", "latin-1",
                                  "duplicate-top-level"])
def test_file_mistakes_through_the_cli(case: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    data, line = FILE_CASES[case]
    path = write(tmp_path, data)
    assert plan(capsys, path) == (1, f"invalid stack settings in {path}:\n  {line}\n")


def test_duplicates_are_all_listed(tmp_path: Path) -> None:
    text = (HEAD + "  aws:region: us-east-1\n  eks-platform:vpc:\n    cidr: 10.0.0.0/16\n"
            "    flowLogs: {enabled: true, enabled: false}\n")
    with pytest.raises(SettingsError) as info:
        read_stack_file(write(tmp_path, text.encode()))
    assert info.value.problems == [
        "aws:region: written twice, on lines 2 and 3; YAML keeps only the last, so merge them "
        "into one",
        "eks-platform:vpc.flowLogs.enabled: written twice, on lines 6 and 6; YAML keeps only "
        "the last, so merge them into one"]


def test_the_shipped_stacks_have_no_duplicate_keys() -> None:
    for stack in STACKS:
        read_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")


# --- mistakes in the settings themselves -----------------------------------------------------

BASE: dict[str, Any] = {
    "aws:region": "us-west-2",
    "eks-platform:nodeGroups": [{"name": "a", "instanceTypes": ["m5.large"]}],
}


def problems(**changes: Any) -> list[str]:
    config = copy.deepcopy(BASE) | {f"eks-platform:{k}": v for k, v in changes.items()}
    with pytest.raises(SettingsError) as info:
        parse(config, "stacks/Pulumi.test.yaml")
    return info.value.problems


def test_unquoted_version_as_yaml_types_it_and_as_the_pulumi_cli_passes_it() -> None:
    assert problems(kubernetesVersion=1.3) == [
        'eks-platform:kubernetesVersion = 1.3: quote the version, e.g. "1.35": YAML reads 1.30 '
        "as the number 1.3"]
    assert problems(kubernetesVersion="1.3") == [
        'eks-platform:kubernetesVersion = "1.3": YAML reads an unquoted 1.30 as the number 1.3: '
        'quote the version, "1.30"']


def test_key_typos_get_a_suggestion_at_every_level() -> None:
    (top,) = problems(nodeGroup=[])
    assert top.startswith("eks-platform:nodeGroup: unknown key; did you mean nodeGroups? "
                          "allowed keys here: addons, admins,")
    (nested,) = problems(vpc={"flowLog": {}})
    assert nested == ("eks-platform:vpc.flowLog: unknown key; did you mean flowLogs? allowed "
                      "keys here: availabilityZones, cidr, flowLogs, natGateways, podCidr, "
                      "transitGatewayId")
    missing, in_list = problems(nodeGroups=[{"name": "a", "instanceType": ["m5.large"]}])
    assert missing == "eks-platform:nodeGroups[0].instanceTypes: required key is missing"
    assert in_list.startswith("eks-platform:nodeGroups[0].instanceType: unknown key; did you "
                              "mean instanceTypes? allowed keys here:")
    (snake,) = problems(node_groups=[])
    assert snake.startswith("eks-platform:node_groups: unknown key; did you mean nodeGroups?")
    (nothing_close,) = problems(zzz=1)
    assert nothing_close.startswith("eks-platform:zzz: unknown key; allowed keys here:")


def test_a_misspelt_region_is_pointed_at() -> None:
    config = {k: v for k, v in BASE.items() if k != "aws:region"} | {"aws:regoin": "us-west-2"}
    with pytest.raises(SettingsError) as info:
        parse(config, "stacks/Pulumi.test.yaml")
    assert info.value.problems == ["aws:regoin: unknown key; did you mean aws:region?",
                                   "aws:region: required key is missing"]


def test_no_class_names_where_a_mapping_is_expected() -> None:
    assert problems(vpc={"flowLogs": 3}) == [
        "eks-platform:vpc.flowLogs = 3: must be a mapping of keys to values (an object)"]
    assert problems(endpoint="private") == [
        'eks-platform:endpoint = "private": must be a mapping of keys to values (an object)']
    with pytest.raises(SettingsError) as info:
        EksClusterArgs(name="x", region="us-west-2", endpoint=3,
                       subnet_ids=["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"])
    assert info.value.problems == [
        "EksClusterArgs.endpoint = 3: must be a mapping of keys to values (an object)"]


def test_an_empty_config_says_so() -> None:
    with pytest.raises(SettingsError) as info:
        parse({}, "stacks/Pulumi.test.yaml")
    assert info.value.problems == ["no settings: the stack's config is empty; it needs at least "
                                   "aws:region and the eks-platform: keys"]


def test_setting_mistakes_through_the_cli(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    dev = yaml.safe_load((ROOT / "stacks" / "Pulumi.dev.yaml").read_text(encoding="utf-8"))
    dev["config"]["eks-platform:nodeGroup"] = dev["config"].pop("eks-platform:nodeGroups")
    text = yaml.safe_dump(dev).replace("config:\n", "config:\n  eks-platform:kubernetesVersion: "
                                       "1.30\n  eks-platform:vpc:\n    flowLogs: 3\n", 1)
    text = text.replace("  eks-platform:vpc:\n    availabilityZones", "  eks-platform:x: 1\n"
                        "  eks-platform:vpcc:\n    availabilityZones")
    path = write(tmp_path, text.encode())
    status, err = plan(capsys, path)
    lines = err.splitlines()
    assert status == 1 and lines[0] == f"invalid stack settings in {path}:"
    assert '  eks-platform:kubernetesVersion = "1.3": YAML reads an unquoted 1.30 as the number ' \
           '1.3: quote the version, "1.30"' in lines
    assert "  eks-platform:vpc.flowLogs = 3: must be a mapping of keys to values (an object)" \
        in lines
    assert any(line.startswith("  eks-platform:nodeGroup: unknown key; did you mean nodeGroups?")
               for line in lines)
    assert "Settings" not in err


def test_through_the_program_as_pulumi_up_runs_it(tmp_path: Path) -> None:
    """`__main__.py` reads the config as the Pulumi CLI hands it (strings): same messages."""
    path = write(tmp_path, (HEAD + GROUPS + "  eks-platform:kubernetesVersion: 1.30\n"
                            "  eks-platform:vpc:\n    flowLog: {}\n").encode())
    with pytest.raises(pulumi.RunError) as info:
        synthesize_program(ROOT / "__main__.py", path)
    message = str(info.value)
    assert ('eks-platform:kubernetesVersion = "1.3": YAML reads an unquoted 1.30 as the number '
            '1.3: quote the version, "1.30"') in message
    assert "eks-platform:vpc.flowLog: unknown key; did you mean flowLogs?" in message
