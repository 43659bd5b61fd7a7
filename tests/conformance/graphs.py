"""Conformance of a recorded graph: every object and request it implies, by its owner's rules.

- `crd_problems`: each Kubernetes custom resource of the graph (ENIConfig, NodePool,
  EC2NodeClass, and their server-side-apply patches) against the vendored CRD with its CEL rules.
  Built-in kinds (Namespace, ConfigMap patches) have no vendored schema and are not checked.
- `helm_problems`: each `kubernetes:helm.sh/v3:Release` rendered and linted with its exact
  values, namespace and the cluster's Kubernetes version; the custom resources it renders are
  checked against the CRDs as well.
- `request_problems`: each AWS request the resources imply (`requests.py`) against botocore.
- `policy_problems`: each trust, identity, key and queue policy with moto's validator.

Each returns problems (one line each, naming the resource) and adds what it checked to `TALLY`,
which the session prints at the end (`conftest.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from eks_platform.tools.synth import Graph, synthesize_program
from eks_platform.tools.synth.graph import RecordedResource
from tests.conformance import crds
from tests.conformance.botocore_shapes import validate_request
from tests.conformance.helm import chart_name, render_release
from tests.conformance.iam import PolicyKind, validate_policy
from tests.conformance.requests import requests_of
from tests.conformance.summary import TALLY

ROOT = Path(__file__).resolve().parents[2]
#: The varied test stacks (IPv6, China, GovCloud, existing VPC with custom networking,
#: Fargate only, Karpenter with Bottlerocket, Helm CNI adoption), beside the shipped ones.
VARIED_DIR = Path(__file__).resolve().parent / "stacks"
VARIED = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml")
                for p in VARIED_DIR.glob("Pulumi.*.yaml"))



@cache
def varied_graph(name: str) -> Graph:
    """A varied test stack, synthesized once per process."""
    return synthesize_program(ROOT / "__main__.py", VARIED_DIR / f"Pulumi.{name}.yaml")


def _as_sent(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_sent(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_sent(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def custom_objects(graph: Graph) -> Iterator[tuple[RecordedResource, dict[str, Any]]]:
    """(resource, object) of each Kubernetes resource whose kind has a vendored CRD."""
    for resource in graph:
        if not resource.type.startswith("kubernetes:") or "helm.sh" in resource.type:
            continue
        obj = _as_sent(resource.inputs)
        if "Patch" in resource.type.rsplit(":", 1)[-1]:
            obj["kind"] = str(obj.get("kind", "")).removesuffix("Patch")
        if crds.crd_for(obj) is not None:
            yield resource, obj


def crd_problems(graph: Graph) -> list[str]:
    counter = crds.Counter()
    TALLY["kubernetes objects without a vendored schema"] += sum(
        1 for r in graph if r.type.startswith("kubernetes:") and "helm.sh" not in r.type
        and r.custom and crds.crd_for({"apiVersion": r.inputs.get("apiVersion"),
                                       "kind": r.inputs.get("kind")}) is None)
    problems = [f"{r.type} {r.name}: {p}"
                for r, obj in custom_objects(graph)
                for p in crds.validate(obj, counter=counter)]
    TALLY["crd objects"] += counter.objects
    TALLY["cel rules"] += counter.rules
    return problems


def _kube_version(graph: Graph) -> str:
    clusters = graph.of_type("aws:eks/cluster:Cluster")
    version = clusters[0].inputs.get("version") if clusters else None
    return f"v{version}.0" if version else "v1.35.0"


#: Charts not vendored, checked only against the release they go with: `karpenter-crd` holds
#: the same CRDs as the `karpenter` chart's crds/ (both from pkg/apis/crds), which are vendored.
NOT_VENDORED = {"karpenter-crd": "karpenter"}


def _crd_chart_problems(crd: RecordedResource, releases: list[RecordedResource]) -> list[str]:
    partner = NOT_VENDORED[chart_name(str(crd.inputs["chart"]))]
    found = [r for r in releases if chart_name(str(r.inputs["chart"])) == partner]
    TALLY["helm releases not rendered (chart not vendored)"] += 1
    if len(found) != 1:
        return [f"{crd.name}: no single {partner} release to go with it"]
    controller = found[0].inputs
    problems = []
    if crd.inputs.get("version") != controller.get("version"):
        problems.append(f"{crd.name}: version {crd.inputs.get('version')} is not the "
                        f"{partner} release's {controller.get('version')}")
    if crd.inputs.get("namespace") != controller.get("namespace"):
        problems.append(f"{crd.name}: namespace differs from the {partner} release's")
    if crd.inputs.get("values"):
        problems.append(f"{crd.name}: values given to a CRD-only chart")
    if controller.get("skipCrds") is not True:
        problems.append(f"{found[0].name}: installs the CRDs from its crds/ as well (skipCrds)")
    return problems


def helm_problems(graph: Graph) -> list[str]:
    problems: list[str] = []
    counter = crds.Counter()
    releases = graph.of_type("kubernetes:helm.sh/v3:Release")
    for resource in releases:
        i = resource.inputs
        if chart_name(str(i["chart"])) in NOT_VENDORED:
            problems += _crd_chart_problems(resource, releases)
            continue
        release = render_release(
            str(i["chart"]), _as_sent(i.get("values") or {}), name=str(i.get("name")),
            namespace=str(i.get("namespace") or "default"), kube_version=_kube_version(graph),
        )
        if release.chart_version != str(i.get("version", release.chart_version)):
            problems.append(f"{resource.name}: chart {chart_name(str(i['chart']))} "
                            f"{i.get('version')} is not vendored ({release.chart_version} is)")
        problems += [f"{resource.name}: {p}" for p in release.problems()]
        for obj in release.objects:
            if crds.crd_for(obj) is not None:
                problems += [f"{resource.name} renders {obj['kind']}: {p}"
                             for p in crds.validate(obj, counter=counter)]
        TALLY["helm releases"] += 1
        TALLY["helm objects"] += len(release.objects)
    TALLY["crd objects"] += counter.objects
    TALLY["cel rules"] += counter.rules
    return problems


def _missing_unknown(problem: str, unknown: frozenset[str]) -> bool:
    """A required member left out because its value is known only at deploy."""
    return any(problem == f'Missing required parameter in input: "{m}"' for m in unknown)


def request_problems(graph: Graph) -> tuple[list[str], list[str]]:
    """(problems, types not mapped) of every AWS resource of the graph."""
    problems, unmapped = [], []
    for resource in graph:
        if not resource.custom or not resource.type.startswith("aws:"):
            continue
        requests = requests_of(resource)
        if requests is None:
            unmapped.append(resource.type)
            continue
        for request in requests:
            TALLY["aws requests"] += 1
            TALLY[f"op {request.service}.{request.operation}"] += 1
            problems += [f"{resource.name} {request.service}.{request.operation}: {p}"
                         for p in validate_request(request.service, request.operation,
                                                   request.params)
                         if not _missing_unknown(p, request.unknown)]
    return problems, sorted(set(unmapped))


def policies(graph: Graph) -> Iterator[tuple[str, str, PolicyKind]]:
    """(where, document, kind) of every policy document the graph writes."""
    for r in graph:
        i = r.inputs
        if r.type == "aws:iam/role:Role":
            yield f"{r.name} trust", str(i["assumeRolePolicy"]), "trust"
            for policy in i.get("inlinePolicies") or []:
                yield f"{r.name} inline {policy.get('name')}", str(policy["policy"]), "identity"
        elif r.type in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"):
            yield r.name, str(i["policy"]), "identity"
        elif r.type in ("aws:kms/key:Key", "aws:sqs/queuePolicy:QueuePolicy") and i.get("policy"):
            yield r.name, str(i["policy"]), "resource"


def policy_problems(graph: Graph) -> list[str]:
    problems = []
    for where, document, kind in policies(graph):
        TALLY["policies"] += 1
        TALLY["policy statements"] += len(json.loads(document).get("Statement") or [])
        problems += [f"{where} ({kind}): {p}" for p in validate_policy(document, kind)]
    return problems
