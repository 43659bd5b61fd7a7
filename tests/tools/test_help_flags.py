"""Every command answers `--help` with its usage and changes nothing (run in-process: argparse
prints the usage and exits 0 before any work)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from eks_platform.tools import cli, docs, site
from tests.conftest import ROOT

COMMANDS: dict[str, tuple[Callable[[list[str]], int], list[str]]] = {
    "site": (site.main, ["--help"]),
    "docs": (docs.main, ["--help"]),
    "max-pods": (cli.main, ["max-pods", "--help"]),
}


def _help(name: str, capsys: pytest.CaptureFixture[str]) -> str:
    main, argv = COMMANDS[name]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code in (0, None)
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_prints_usage_and_writes_nothing(name: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in (ROOT / "docs").rglob("*"))
    readme = (ROOT / "README.md").read_bytes()
    out = _help(name, capsys)
    assert out.startswith("usage: ")
    assert "# Configuration reference" not in out
    assert (ROOT / "README.md").read_bytes() == readme
    assert sorted(p.name for p in (ROOT / "docs").rglob("*")) == before


def test_max_pods_help_names_the_default_cni_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert "default 1.18.0" in " ".join(_help("max-pods", capsys).split())
