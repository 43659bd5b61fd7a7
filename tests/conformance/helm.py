"""Render and lint a Helm chart with Helm's own Go code (PyPI `helm-python-sdk`), offline.

`render_release(chart, values, name=..., namespace=..., kube_version=...)` returns what a
`helm install` of that release would create, and what is wrong with it:

- `objects`: every rendered manifest document (templates only; `crds` holds the chart's CRDs,
  which Helm installs from `crds/` without rendering),
- `lint`: `helm lint --strict` messages for the same values, namespace and kube version,
- `warnings`: what Helm printed while coalescing the values with the chart's defaults (a
  table given where the chart has a scalar, or the reverse: Helm drops such a value, and says
  so only on stderr),
- `unknown_keys`: values keys that are not in the chart's values.yaml *and* change nothing in
  the rendered output (Helm ignores them silently: usually a misspelt or outdated key). A key
  under a free-form map that the chart renders whole (env, annotations, nodeSelector) changes
  the output and is not reported,
- `render_error`: Helm's error when the templates fail (a `required` or `fail` call).

Rendering takes milliseconds (about 5 ms for aws-vpc-cni, 15 ms for Karpenter, lint 30-100 ms),
so a release is rendered when asked; results are still cached per process on their inputs,
so a session's tests can share one render per release. Treat results as read-only.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import helm_python
import yaml
from helm_python import _native

from tests.conformance import VENDORED

CHART_DIR = VENDORED / "charts"
#: Helm's default for `helm template` when no cluster is asked; the stacks pin their own.
DEFAULT_KUBE_VERSION = "v1.35.0"
_SEVERITY = {0: "UNKNOWN", 1: "INFO", 2: "WARNING", 3: "ERROR"}


@dataclass(frozen=True)
class Release:
    """A chart rendered for one release, with everything Helm and the checks found."""

    chart: str
    chart_version: str
    name: str
    namespace: str
    kube_version: str
    objects: tuple[dict[str, Any], ...]
    crds: tuple[dict[str, Any], ...]
    lint: tuple[str, ...]
    warnings: tuple[str, ...]
    unknown_keys: tuple[str, ...]
    render_error: str | None
    render_seconds: float

    def problems(self) -> list[str]:
        """Everything that should fail a test: render error, lint warnings and errors, Helm's
        value warnings and unknown keys, each as one line naming the chart."""
        where = f"{self.chart} {self.chart_version} release {self.namespace}/{self.name}"
        out = [f"{where}: render failed: {self.render_error}"] if self.render_error else []
        out += [f"{where}: lint {m}" for m in self.lint if not m.startswith("[INFO]")]
        out += [f"{where}: helm: {w}" for w in self.warnings]
        out += [
            f"{where}: values key {k!r} is not in the chart's values.yaml and changes nothing"
            for k in self.unknown_keys
        ]
        return out

    def get(self, kind: str, name: str) -> dict[str, Any]:
        """The rendered object of that kind and name."""
        for obj in self.objects:
            if obj.get("kind") == kind and (obj.get("metadata") or {}).get("name") == name:
                return obj
        raise KeyError(f"{self.chart} renders no {kind} {name!r}")


def chart_name(reference: str) -> str:
    """The chart name of a Helm chart reference: `karpenter` for
    `oci://public.ecr.aws/karpenter/karpenter`, `aws-vpc-cni` for `eks/aws-vpc-cni`."""
    return reference.rstrip("/").rsplit("/", 1)[-1]


def vendored_chart(name: str, version: str | None = None) -> Path:
    """The vendored chart (`aws-vpc-cni`, `karpenter`, or a reference such as
    `oci://public.ecr.aws/karpenter/karpenter`), checked against `version` if given."""
    name = chart_name(name)
    candidates = [
        *sorted(CHART_DIR.glob(f"{name}-*.tgz")),
        *([CHART_DIR / name] if (CHART_DIR / name / "Chart.yaml").exists() else []),
    ]
    for path in candidates:
        chart = _load(str(path))
        if chart.name == name and (version is None or chart.version == version.lstrip("v")):
            return path
    found = [f"{_load(str(p)).name} {_load(str(p)).version}" for p in candidates]
    raise LookupError(f"no vendored chart {name} {version or ''}; vendored: {found}")


#: libyaml's loader when PyYAML has it: ten times faster on the CRDs' large documents.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_documents(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=_YAML_LOADER))


@cache
def _chart_crds(path: str) -> tuple[dict[str, Any], ...]:
    """The chart's CRDs (from `crds/`), parsed once per process."""
    crds = _load(path).crds
    return tuple(d for c in crds for d in _yaml_documents(c["data"]) if isinstance(d, dict))


@cache
def _load(path: str) -> helm_python.Chart:
    if path.endswith(".tgz"):
        return helm_python.Chart.load_archive(Path(path).read_bytes())
    return helm_python.Chart.load(path)


@contextlib.contextmanager
def _stderr_lines() -> Iterator[list[str]]:
    """Lines written to file descriptor 2 inside the block (Helm's Go `log` writes there)."""
    lines: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield lines
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            lines += sink.read().decode(errors="replace").splitlines()


def _helm_message(line: str) -> str:
    """Helm's stderr line without the Go log's date and time prefix."""
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[0].count("/") == 2 and parts[1].count(":") == 2:
        return parts[2]
    return line


def _render_raw(
    chart: helm_python.Chart,
    values: Mapping[str, Any],
    name: str,
    namespace: str,
    kube_version: str,
) -> dict[str, str]:
    """`helm template` of the chart. helm-python-sdk 0.2's `Chart.render` does not take the
    kube version (`.Capabilities.KubeVersion`) although its native render call does."""
    opts = {
        "name": name,
        "namespace": namespace,
        "is_install": True,
        "kube_version": kube_version,
    }
    rendered = _native.call_string(
        "helm_render", chart._raw(), json.dumps(values), json.dumps(opts)
    )
    manifests: dict[str, str] = json.loads(rendered)
    return manifests


def _documents(manifests: Mapping[str, str]) -> list[dict[str, Any]]:
    objects = []
    for path in sorted(manifests):
        if not path.endswith((".yaml", ".yml", ".json")):
            continue
        for doc in _yaml_documents(manifests[path]):
            if isinstance(doc, dict) and doc:
                objects.append(doc)
    return objects


def _missing_from_defaults(
    values: Mapping[str, Any], defaults: Any, path: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Paths of values keys that the chart's values.yaml does not have."""
    out = []
    for key, value in values.items():
        here = (*path, str(key))
        if not isinstance(defaults, Mapping) or key not in defaults:
            out.append(here)
        elif isinstance(value, Mapping) and isinstance(defaults[key], Mapping):
            out += _missing_from_defaults(value, defaults[key], here)
    return out


def _without(values: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    trimmed = copy.deepcopy(dict(values))
    node: Any = trimmed
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return trimmed


def unknown_values_keys(
    chart: helm_python.Chart,
    values: Mapping[str, Any],
    *,
    name: str = "release",
    namespace: str = "default",
    kube_version: str = DEFAULT_KUBE_VERSION,
) -> list[str]:
    """Dotted values keys that are not in the chart's defaults and that Helm ignores.

    A key missing from values.yaml is kept only if removing it changes the rendered output
    (the chart reads it, e.g. a free-form `env` or `nodeSelector` map it renders whole).
    Without a successful render, every key missing from values.yaml is reported.
    """
    candidates = _missing_from_defaults(values, chart.values)
    if not candidates:
        return []
    with _stderr_lines():
        try:
            full = _render_raw(chart, values, name, namespace, kube_version)
        except helm_python.HelmError:
            return [".".join(p) for p in candidates]
        unknown = []
        for path in candidates:
            try:
                trimmed = _render_raw(chart, _without(values, path), name, namespace, kube_version)
            except helm_python.HelmError:
                continue  # removing the key breaks the render: the chart needs it
            if trimmed == full:
                unknown.append(".".join(path))
    return sorted(unknown)


def _lint(
    path: str, values: Mapping[str, Any], namespace: str, kube_version: str
) -> tuple[str, ...]:
    with _stderr_lines():
        report = helm_python.lint(
            path, dict(values), strict=True, namespace=namespace, kube_version=kube_version
        )
    messages = [
        f"[{_SEVERITY.get(int(m.get('severity', 0)), 'UNKNOWN')}] {m.get('path', '')}: "
        f"{m.get('error', '')}"
        for m in report.get("messages") or []
    ]
    messages += [f"[ERROR] {e}" for e in report.get("errors") or []]
    return tuple(messages)


_RELEASES: dict[tuple[str, str, str, str, str, bool], Release] = {}


def render_release(
    chart: Path | str,
    values: Mapping[str, Any] | None = None,
    *,
    name: str,
    namespace: str,
    kube_version: str = DEFAULT_KUBE_VERSION,
    lint: bool = True,
) -> Release:
    """Render, lint and check one release of a chart: a chart directory or .tgz (a Path), or
    a vendored chart's name or reference (a str, as a Helm Release's `chart` input has it).
    Cached per process on all its inputs."""
    path = str(chart if isinstance(chart, Path) else vendored_chart(chart))
    values = dict(values or {})
    frozen = json.dumps(values, sort_keys=True, default=str)
    key = (path, frozen, name, namespace, kube_version, lint)
    if key not in _RELEASES:
        _RELEASES[key] = _render_release(path, values, name, namespace, kube_version, lint)
    return _RELEASES[key]


def _render_release(
    path: str,
    values: dict[str, Any],
    name: str,
    namespace: str,
    kube_version: str,
    lint: bool,
) -> Release:
    chart = _load(path)
    error = None
    start = time.perf_counter()
    with _stderr_lines() as stderr:
        try:
            manifests = _render_raw(chart, values, name, namespace, kube_version)
        except helm_python.HelmError as exc:
            manifests, error = {}, str(exc)
    seconds = time.perf_counter() - start
    lint_messages = _lint(path, values, namespace, kube_version) if lint else ()
    return Release(
        chart=chart.name,
        chart_version=chart.version,
        name=name,
        namespace=namespace,
        kube_version=kube_version,
        objects=tuple(_documents(manifests)),
        crds=_chart_crds(path),
        lint=lint_messages,
        warnings=tuple(_helm_message(line) for line in stderr if line.strip()),
        unknown_keys=tuple(
            unknown_values_keys(
                chart, values, name=name, namespace=namespace, kube_version=kube_version
            )
        ),
        render_error=error,
        render_seconds=seconds,
    )
