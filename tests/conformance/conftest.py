"""One rule counter for the session's CRD checks, reported at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.crds import Counter


@pytest.fixture(scope="session")
def crd_counter(request: pytest.FixtureRequest) -> Iterator[Counter]:
    counter = Counter()
    yield counter
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and counter.objects:
        reporter.write_line(f"CRD conformance: {counter}")

