"""One rule counter for the session's CRD checks, reported at the end of the run."""

from __future__ import annotations

import json
from collections import Counter as CounterType
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.crds import Counter


@pytest.fixture(scope="session")
def crd_counter(request: pytest.FixtureRequest) -> Iterator[Counter]:
    counter = Counter()
    yield counter
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and counter.objects:
        reporter.write_line(f"CRD conformance: {counter}")


# --- the session's conformance tally (graphs.TALLY), printed in the normal test output --------
# Under pytest-xdist each worker counts its own tests: the workers hand their tallies to the
# controller when they finish, and the controller prints the sum.

_XDIST_KEY = "conformance_tally"
_COLLECTED: list[dict[str, int]] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.conformance.graphs import TALLY

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_XDIST_KEY] = json.dumps(dict(TALLY))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    text = getattr(node, "workeroutput", {}).get(_XDIST_KEY)
    if text:
        _COLLECTED.append(json.loads(text))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.conformance.graphs import TALLY, summary

    total: CounterType[str] = CounterType(TALLY)
    for tally in _COLLECTED:
        total.update(tally)
    if total["stacks"]:
        terminalreporter.write_line(summary(total))
