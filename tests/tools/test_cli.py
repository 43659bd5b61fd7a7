"""`python -m eks_platform max-pods`: the calculator's flags, its output format, its errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eks_platform.nodes.maxpods import known_instance_types
from eks_platform.tools.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eks_platform", "max-pods", *args],
                          capture_output=True, text=True, check=False)


def test_one_type_prints_just_the_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["max-pods", "--instance-type", "m5.large", "--cni-version", "1.19.0"]) == 0
    assert capsys.readouterr().out == "29\n"


@pytest.mark.parametrize(("flags", "expected"), [
    ([], "29"),                                   # eni-max-pods.txt: m5.large 29
    (["--cni-prefix-delegation-enabled"], "110"),  # 3 * 9 * 16 + 2 = 434, capped at 110
])
def test_cni_version_has_a_default(capsys: pytest.CaptureFixture[str], flags: list[str],
                                   expected: str) -> None:
    """Without --cni-version: a current CNI (prefix delegation works), not an error."""
    assert main(["max-pods", "--instance-type", "m5.large", *flags]) == 0
    assert capsys.readouterr().out == f"{expected}\n"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--cni-prefix-delegation-enabled"], "110"),
        (["--cni-prefix-delegation-enabled", "--show-max-allowed"], "434"),
        (["--cni-custom-networking-enabled"], "20"),
        (["--cni-max-eni", "2"], "20"),
        (["--cni-max-eni", "2", "--cni-custom-networking-enabled"], "11"),
    ],
)
def test_calculator_flags(capsys: pytest.CaptureFixture[str], flags: list[str],
                          expected: str) -> None:
    main(["max-pods", "--instance-type", "m5.large", "--cni-version", "1.19.0", *flags])
    assert capsys.readouterr().out.strip() == expected


def test_several_types_print_tab_separated_lines(capsys: pytest.CaptureFixture[str]) -> None:
    main(["max-pods", "--instance-type", "m5.large", "--instance-type", "t3.medium",
          "--cni-version", "1.19.0"])
    assert capsys.readouterr().out == "m5.large\t29\nt3.medium\t17\n"


def test_all_prints_every_known_type(capsys: pytest.CaptureFixture[str]) -> None:
    main(["max-pods", "--all", "--cni-version", "1.19.0"])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == known_instance_types()
    assert "m5.large\t29" in lines


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--instance-type", "m5.lage", "--cni-version", "1.19.0"], "did you mean m5.large"),
        (["--instance-type", "m5.large", "--cni-version", "latest"], "invalid CNI version"),
        (["--instance-type", "m5.large", "--cni-version", "1.9", "--cni-max-eni", "0"],
         "at least 1"),
        (["--cni-version", "1.9"], "at least one --instance-type"),
        (["--all", "--instance-type", "m5.large", "--cni-version", "1.9"], "not both"),
    ],
)
def test_errors_exit_non_zero_with_one_line(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert fragment in result.stderr


def test_max_pods_never_imports_pulumi() -> None:
    code = ("import sys; from eks_platform.tools.cli import main; "
            "main(['max-pods', '--all', '--cni-version', '1.19.0']); "
            "assert 'pulumi' not in sys.modules and 'pydantic' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


# --- plan: every user error is one line on stderr and a non-zero exit ---------------------------

ROOT = Path(__file__).resolve().parents[2]


def plan_error(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["plan", *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return status, captured.err


@pytest.fixture
def in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_project")
def test_plan_unknown_stack(capsys: pytest.CaptureFixture[str]) -> None:
    files = (ROOT / "stacks").glob("Pulumi.*.yaml")
    stacks = ", ".join(sorted(p.name.split(".")[1] for p in files))
    assert plan_error(capsys, "--stack", "nope") == (
        2, f"plan: unknown stack 'nope': no stacks/Pulumi.nope.yaml (available stacks: {stacks})"
           "\n")


@pytest.mark.usefixtures("in_project")
def test_plan_missing_and_misnamed_files(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    missing = tmp_path / "Pulumi.gone.yaml"
    assert plan_error(capsys, "--config-file", str(missing)) == (
        2, f"plan: no such stack file: {missing}\n")
    misnamed = tmp_path / "stack.yaml"
    misnamed.write_text("config: {}\n", encoding="utf-8")
    assert plan_error(capsys, "--config-file", str(misnamed)) == (
        2, f"plan: {misnamed}: a stack file is named Pulumi.<stack>.yaml\n")


@pytest.mark.usefixtures("in_project")
def test_plan_bad_format_and_missing_program(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    assert plan_error(capsys, "--stack", "dev", "--format", "xml") == (
        2, "eks-platform plan: argument --format: invalid choice: 'xml' "
           "(choose from 'text', 'json', 'mermaid', 'dot')\n")
    program = tmp_path / "nope.py"
    assert plan_error(capsys, "--stack", "dev", "--program", str(program)) == (
        2, f"plan: no such program: {program}\n")


@pytest.mark.usefixtures("in_project")
def test_plan_stack_file_that_is_not_text(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    binary = tmp_path / "Pulumi.bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00config")
    # Exit 1, like every other settings error.
    assert plan_error(capsys, "--config-file", str(binary)) == (
        1, f"invalid stack settings in {binary}:\n  not UTF-8 text: byte 0xff at line 1, "
           "column 1 cannot be decoded; save the file as UTF-8\n")


@pytest.mark.usefixtures("in_project")
def test_plan_unknown_region_names_the_file_and_key(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.moon.yaml"
    stack.write_text("config:\n  aws:region: moon-north-1\n", encoding="utf-8")
    status, err = plan_error(capsys, "--config-file", str(stack))
    assert status == 1
    assert err.startswith(f"invalid stack settings in {stack}:\n")
    assert 'aws:region = "moon-north-1": unknown AWS region; known: ' in err


@pytest.mark.usefixtures("in_project")
def test_plan_program_failures_are_one_line(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.dev.yaml"
    stack.write_text((ROOT / "stacks" / "Pulumi.dev.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n", encoding="utf-8")
    assert plan_error(capsys, "--config-file", str(stack), "--program", str(broken)) == (
        2, f"plan: {broken}, line 1: invalid syntax\n")
    failing = tmp_path / "failing.py"
    failing.write_text("raise RuntimeError('boom\\nsecond line')\n", encoding="utf-8")
    assert plan_error(capsys, "--config-file", str(stack), "--program", str(failing)) == (
        2, f"plan: the program {failing} failed: RuntimeError: boom second line "
           "(--traceback shows where)\n")
    with pytest.raises(RuntimeError, match="boom"):
        main(["plan", "--config-file", str(stack), "--program", str(failing), "--traceback"])


def test_instance_types_any_case_each_printed_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["max-pods", "--instance-type", "M5.Large", "--instance-type", "m5.xlarge",
          "--instance-type", "m5.large", "--cni-version", "1.19.0"])
    assert capsys.readouterr().out == "m5.large\t29\nm5.xlarge\t58\n"


def test_a_misspelt_type_in_capitals_still_gets_suggestions() -> None:
    result = run("--instance-type", "M5.LARGEE", "--cni-version", "1.19.0")
    assert result.returncode == 2
    assert result.stderr.startswith(
        "max-pods: unknown instance type 'm5.largee'; did you mean m5.large")


def test_help_names_the_console_script_and_says_what_it_does() -> None:
    from eks_platform.tools.cli import build_parser

    help_text = build_parser().format_help()
    assert help_text.startswith("usage: eks-platform ")
    assert "max-pods-calculator.sh" in help_text and "without AWS" in help_text


@pytest.mark.parametrize("command", ["max-pods", "plan"])
def test_every_flag_has_help(command: str) -> None:
    from eks_platform.tools.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    subparser = sub.choices[command]  # type: ignore[index]
    undocumented = [a.option_strings for a in subparser._actions
                    if a.option_strings and not a.help]
    assert undocumented == []


def test_plan_runs_from_any_directory_given_the_project(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import ROOT

    monkeypatch.chdir(tmp_path)
    assert main(["plan", "--project", str(ROOT), "--stack", "staging"]) == 0
    assert capsys.readouterr().out.startswith("Plan for stack 'staging': ")
