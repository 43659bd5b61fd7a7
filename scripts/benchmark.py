"""Wall time and memory of the command line against its targets.

    .venv/bin/python scripts/benchmark.py [--skip-tests]

Measures, each command in a fresh interpreter (the same Python that runs this script):
  (a) `python -m eks_platform max-pods --instance-type m5.large --cni-version 1.19.2`,
      median of 10 runs, target < 0.3 s;
  (b) `python -m eks_platform max-pods --all --cni-version 1.19.2`, median of 10, < 1 s;
  (c) `python -m eks_platform plan --stack dev`, median of 3, < 3 s, and its peak RSS < 300 MB;
  (d) the test suite, `python -m pytest -q -p no:cacheprovider`, one run (skip with
      --skip-tests), < 20 s on an idle machine.
Prints measured vs target with PASS/FAIL (a command that exits non-zero fails its row, and
its output's tail is printed); exits 1 when a target is missed or a command fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float
    exit_code: int
    output_tail: str


@dataclass(frozen=True)
class Row:
    name: str
    measured: float
    target: float
    unit: str
    detail: str
    exit_code: int = 0

    @property
    def passed(self) -> bool:
        return self.exit_code == 0 and self.measured < self.target


def run_once(args: Sequence[str]) -> Run:
    """One child process: wall time and its own peak RSS (wait4 reports that child's rusage,
    unlike RUSAGE_CHILDREN, which keeps the maximum over every child so far)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(args), cwd=ROOT, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        tail = ""
        if process.returncode != 0:
            out.seek(0)
            err.seek(0)
            tail = (out.read() + err.read()).decode(errors="replace")[-1500:]
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(seconds, usage.ru_maxrss / scale, process.returncode, tail)


FAILURES: list[str] = []


def median_run(args: Sequence[str], times: int) -> tuple[float, float, int]:
    """Median wall time, peak RSS over the runs, and the first non-zero exit status."""
    runs = [run_once(args) for _ in range(times)]
    failed = [r for r in runs if r.exit_code != 0]
    if failed:
        FAILURES.append(f"$ {' '.join(args)}  (exit {failed[0].exit_code})\n"
                        f"{failed[0].output_tail}")
    return (statistics.median(r.seconds for r in runs), max(r.max_rss_mb for r in runs),
            failed[0].exit_code if failed else 0)


def measure(skip_tests: bool) -> list[Row]:
    components = [PYTHON, "-m", "eks_platform"]
    rows: list[Row] = []

    one = [*components, "max-pods", "--instance-type", "m5.large", "--cni-version", "1.19.2"]
    seconds, _, code = median_run(one, 10)
    rows.append(Row("max-pods m5.large", seconds, 0.3, "s", "median of 10", code))

    every = [*components, "max-pods", "--all", "--cni-version", "1.19.2"]
    seconds, _, code = median_run(every, 10)
    rows.append(Row("max-pods --all", seconds, 1.0, "s", "median of 10", code))

    plan = [*components, "plan", "--stack", "dev"]
    seconds, rss, code = median_run(plan, 3)
    rows.append(Row("plan --stack dev", seconds, 3.0, "s", "median of 3", code))
    rows.append(Row("plan --stack dev peak RSS", rss, 300.0, "MB", "max of 3 runs", code))

    if not skip_tests:
        tests = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        seconds, _, code = median_run(tests, 1)
        rows.append(Row("test suite", seconds, 20.0, "s", "one run", code))
    return rows


def table(rows: Sequence[Row]) -> str:
    header = ("measurement", "measured", "target", "result", "")
    cells = [header] + [
        (r.name, f"{r.measured:.3f} {r.unit}" if r.unit == "s" else f"{r.measured:.0f} {r.unit}",
         f"< {r.target:g} {r.unit}", "PASS" if r.passed else "FAIL",
         r.detail + (f"; exit status {r.exit_code}" if r.exit_code else ""))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths[:-1]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-tests", action="store_true", help="skip the test-suite run")
    args = parser.parse_args(argv)
    rows = measure(args.skip_tests)
    print(f"python: {PYTHON} ({sys.version.split()[0]}), cpus: {os.cpu_count()}")
    print(table(rows))
    for failure in FAILURES:
        print(f"\nfailed: {failure}", file=sys.stderr)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
