"""Run a program, or a program file with a stack file, under the recording mocks."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import resource as resource_runtime
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func

from eks_platform.tools.synth.graph import Graph
from eks_platform.tools.synth.mocks import LiveState, RecordingMocks, RecordingMonitor


def synthesize(
    program: Callable[[], None],
    config: Mapping[str, str],
    *,
    project: str = "eks-platform",
    stack: str = "dev",
    stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]] = {},
    live_clusters: Mapping[str, str] = {},
    live: LiveState | None = None,
) -> Graph:
    """Run `program` with `config` (Pulumi's `ns:key` -> string form) under recording mocks.
    `live_clusters` (name -> Kubernetes version) already run; by default none does. `live`:
    what those clusters hold (node groups, the creator's bootstrap entry)."""
    return contextvars.Context().run(_synthesize, program, dict(config), project, stack,
                                     stack_outputs, live_clusters, live)


class _Warnings(logging.Handler):
    """Collects what the program logs at warning level or above (`pulumi.log.warn`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _without_source_positions() -> Iterator[None]:
    """The SDK walks the Python stack for every registration to tell the Pulumi service where
    in the program a resource was declared. Nothing offline reads it, and it is a quarter of a
    plan's time, so the walk answers an empty trace while the program runs under the mocks."""
    walk = getattr(resource_runtime, "_get_stack_trace", None)
    if walk is None:  # an SDK without the walk: nothing to skip
        yield
        return
    resource_runtime._get_stack_trace = source_pb2.StackTrace
    try:
        yield
    finally:
        resource_runtime._get_stack_trace = walk


def _synthesize(
    program: Callable[[], None], config: dict[str, str], project: str, stack: str,
    stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]],
    live_clusters: Mapping[str, str], live: LiveState | None,
) -> Graph:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Not registered: one per run. Without a parent its level would be NOTSET, i.e. every
    # `log.debug` the SDK makes per registration built a LogRecord only to be dropped.
    logger = logging.Logger(f"{__name__}.program", logging.WARNING)
    warnings = _Warnings()
    logger.addHandler(warnings)
    try:
        region = config.get("aws:region", "us-east-1")
        mocks = RecordingMocks(region, stack_outputs, live_clusters)
        mocks.live = live or LiveState()
        monitor = RecordingMonitor(mocks)
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False,
                                 logger=logger, monitor=monitor)
        # A program that failed mid-run leaves its RPCs and outputs behind, bound to its closed
        # loop: drop them, as the SDK's own `pulumi.runtime.test` does before each run.
        SETTINGS.rpc_manager.clear()
        SETTINGS.outputs.clear()
        set_all_config(config)
        try:
            with _without_source_positions():
                loop.run_until_complete(run_pulumi_func(program))
        except BaseException:
            # The error is raised here once; the program's other outputs that carried it
            # would each report it again when garbage-collected.
            loop.set_exception_handler(lambda _loop, _context: None)
            raise
        root = pulumi.runtime.get_root_resource()
        outputs, secrets = _resolve_outputs(loop, getattr(root, "outputs", {}))
        return Graph(monitor.recorded, outputs, secrets, mocks.invokes, warnings.messages)
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def _resolve_outputs(
    loop: asyncio.AbstractEventLoop, exports: Mapping[str, Any]
) -> tuple[dict[str, Any], set[str]]:
    values: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, value in exports.items():
        output = pulumi.Output.from_input(value)
        values[key] = loop.run_until_complete(output.future())
        if loop.run_until_complete(output.is_secret()):
            secrets.add(key)
    return values, secrets


def stack_name(stack_file: Path) -> str:
    """`stacks/Pulumi.dev.yaml` -> `dev`."""
    name = stack_file.name
    if not (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))):
        raise ValueError(f"{stack_file}: a stack file is named Pulumi.<stack>.yaml")
    return name.removeprefix("Pulumi.").rsplit(".", 1)[0]


def synthesize_program(program_file: Path, stack_file: Path, stack: str | None = None,
                       live_clusters: Mapping[str, str] = {},
                       live: LiveState | None = None) -> Graph:
    """Run a Pulumi program file (e.g. `__main__.py`) with a stack file's config, as
    `pulumi up` would, but under recording mocks."""
    from eks_platform.stack import pulumi_config_values, read_stack_file
    from eks_platform.stack.source import with_secret_placeholders

    placed, secret_keys = with_secret_placeholders(read_stack_file(stack_file))
    config = pulumi_config_values(placed)
    project_file = program_file.resolve().parent / "Pulumi.yaml"
    project = _project_name(project_file) if project_file.exists() else "eks-platform"
    references = _platform_references(config, find_project_root(program_file.resolve().parent))
    graph = synthesize(lambda: _run_file(program_file), config, project=project,
                       stack=stack or stack_name(stack_file), stack_outputs=references,
                       live_clusters=live_clusters, live=live)
    graph.secret_config = secret_keys
    return graph


_REFERENCE = re.compile(r"^[\w.-]+/eks-platform/([\w.-]+)$")


def _platform_references(
    config: Mapping[str, str], root: Path | None
) -> dict[str, tuple[dict[str, Any], set[str]]]:
    """Config values naming `<org>/eks-platform/<stack>` are stack references to this project:
    answer them with the outputs of its own `stacks/Pulumi.<stack>.yaml`, synthesized first."""
    answers: dict[str, tuple[dict[str, Any], set[str]]] = {}
    for value in config.values():
        match = _REFERENCE.match(value)
        if match and root is not None:
            stack_file = root / "stacks" / f"Pulumi.{match.group(1)}.yaml"
            if stack_file.exists():
                graph = synthesize_program(root / "__main__.py", stack_file)
                answers[value] = (graph.outputs, graph.secret_outputs)
    return answers


def _project_name(project_file: Path) -> str:
    import yaml

    document = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    return str(document.get("name", "eks-platform"))


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding this project's Pulumi.yaml and stacks/."""
    for folder in (start, *start.parents):
        if (folder / "stacks").is_dir() and (folder / "Pulumi.yaml").exists():
            return folder
    return None


def _run_file(program_file: Path) -> None:
    import runpy
    import sys

    folder = str(program_file.resolve().parent)
    sys.path.insert(0, folder)
    try:
        runpy.run_path(str(program_file), run_name="__main__")
    finally:
        sys.path.remove(folder)
