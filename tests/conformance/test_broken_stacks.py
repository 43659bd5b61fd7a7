"""Held-out broken stack files (`broken/`, one defect each, of the audit's kinds 1-3, 6 and 9):
each is refused before any resource is registered, with one message naming the key. The
expected start of the message is the file's `# expect:` line, written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from eks_platform.errors import SettingsError
from eks_platform.stack import parse, read_stack_file
from eks_platform.stack.source import decode_pulumi_config, pulumi_config_values

BROKEN = sorted((Path(__file__).parent / "broken").glob("Pulumi.*.yaml"))


def expected(path: Path) -> str:
    [line] = [x for x in path.read_text().splitlines() if x.startswith("# expect: ")]
    return line.removeprefix("# expect: ")


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem.removeprefix("Pulumi."))
def test_broken_stack_file_is_refused_with_one_message_naming_the_key(path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        parse(read_stack_file(path), str(path))
    assert len(info.value.problems) == 1, info.value.problems
    assert info.value.problems[0].startswith(expected(path)), info.value.problems[0]
    assert str(info.value).startswith(f"invalid stack settings in {path}:\n  ")


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem.removeprefix("Pulumi."))
def test_refused_as_pulumi_hands_the_config_to_the_program(path: Path) -> None:
    """`pulumi up` gives the program every scalar as a string (`clusterName: true` -> "true").
    A file refused as it is read (a duplicate key) the Pulumi CLI's YAML reader refuses too."""
    with pytest.raises(SettingsError) as info:
        config = decode_pulumi_config(pulumi_config_values(read_stack_file(path)))
        parse(config, str(path))
    assert len(info.value.problems) == 1, info.value.problems
    want = expected(path)
    key = f"{want.split(' = ')[0]} = " if " = " in want else f"{want.split(': ')[0]}: "
    assert info.value.problems[0].startswith(key), info.value.problems[0]


def test_there_is_a_file_of_each_kind() -> None:
    kinds = {p.stem.removeprefix("Pulumi.").split("-")[0] for p in BROKEN}
    assert kinds == {"1", "2", "3", "6", "9"}
