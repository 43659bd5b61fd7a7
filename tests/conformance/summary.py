"""The session's conformance tally (`graphs.TALLY`), printed in the normal test output.

The hooks are imported by the top-level `tests/conftest.py`, which the pytest-xdist controller
loads (it collects nothing, so it never loads `tests/conformance/conftest.py`). Each worker
counts its own tests and hands its tally to the controller when it finishes; the controller
(or a run without xdist) prints the sum.
"""

from __future__ import annotations

import json
from collections import Counter as CounterType
from typing import Any

import pytest

#: What the session checked: stacks, objects, CEL rules, releases, requests, policies, ...
TALLY: CounterType[str] = CounterType()
_XDIST_KEY = "conformance_tally"
_COLLECTED: list[dict[str, int]] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_XDIST_KEY] = json.dumps(dict(TALLY))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    text = getattr(node, "workeroutput", {}).get(_XDIST_KEY)
    if text:
        _COLLECTED.append(json.loads(text))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    total: CounterType[str] = CounterType(TALLY)
    for tally in _COLLECTED:
        total.update(tally)
    if total["stacks"]:
        terminalreporter.write_line(summary(total))


def summary(tally: CounterType[str]) -> str:
    ops = sorted(k.removeprefix("op ") for k in tally if k.startswith("op "))
    return (
        f"conformance: {tally['stacks']} stacks; CRDs: {tally['crd objects']} objects, "
        f"{tally['cel rules']} CEL rules checked ("
        f"{tally['kubernetes objects without a vendored schema']} built-in or unvendored "
        f"objects not schema-checked); Helm: {tally['helm releases']} releases "
        f"rendered and linted ({tally['helm objects']} objects; "
        f"{tally['helm releases not rendered (chart not vendored)']} karpenter-crd releases "
        "matched to their controller release); botocore: "
        f"{tally['aws requests']} requests of {len(ops)} operations checked; IAM: "
        f"{tally['policies']} policies ({tally['policy statements']} statements) checked"
    )
