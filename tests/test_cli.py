"""`python -m eks_platform max-pods`: the calculator's flags, its output format, its errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eks_platform.cli import main
from eks_platform.maxpods import known_instance_types


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eks_platform", "max-pods", *args],
                          capture_output=True, text=True, check=False)


def test_one_type_prints_just_the_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["max-pods", "--instance-type", "m5.large", "--cni-version", "1.19.0"]) == 0
    assert capsys.readouterr().out == "29\n"


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
        (["--instance-type", "m5.large"], "--cni-version"),
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
    code = ("import sys; from eks_platform.cli import main; "
            "main(['max-pods', '--all', '--cni-version', '1.19.0']); "
            "assert 'pulumi' not in sys.modules and 'pydantic' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
