"""Day-2 edits of the shipped stacks, planned before and after (shared by the edit tests).

Each edit is a change a platform engineer makes to a stack file; `edited(stack, name)` is the
plan of the stack with that edit (one synthesis, cached), and `changes(stack, name)` what
`plan --diff` says `pulumi up` would do, against the shipped stack's cached plan. Edits that
touch disjoint resources share one synthesis.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from eks_platform.tools.plan.diff import Diff, diff, planned
from eks_platform.tools.synth import Graph, synthesize_program

ROOT = Path(__file__).resolve().parents[2]
NS = "eks-platform"
_WORK = Path(tempfile.mkdtemp(prefix="eks-platform-edits-"))

Config = dict[str, Any]


def _group(config: Config, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(g for g in config[f"{NS}:nodeGroups"] if g["name"] == name)
    return found


def _dev_reorder_and_narrow(config: Config) -> None:
    # SPOT types reordered; the Karpenter pool `general` loses its only >30 vCPU size.
    _group(config, "general")["instanceTypes"] = ["m5.large", "t3.large", "t3a.large"]
    pool = next(p for p in config[f"{NS}:karpenter"]["nodePools"] if p["name"] == "general")
    pool["instanceSizes"] = ["large", "xlarge", "2xlarge"]


def _dev_tag(config: Config) -> None:
    config[f"{NS}:tags"]["owner"] = "team-platform"


def _dev_helm(config: Config) -> None:
    config[f"{NS}:cni"] = {**config[f"{NS}:cni"], "mode": "helm",
                           "helm": {"chartVersion": "1.22.4", "adoptExisting": True}}
    del config[f"{NS}:addons"]["vpcCni"]


def _prod_admin_first_reorder_min(config: Config) -> None:
    config[f"{NS}:admins"].insert(0, {"principalArn": "arn:aws:iam::444455556666:role/auditors",
                                      "accessPolicy": "View"})
    config[f"{NS}:nodeGroups"].reverse()
    _group(config, "workers")["minSize"] = 8


def _prod_drop_first_admin_and_upgrade(config: Config) -> None:
    del config[f"{NS}:admins"][0]
    config[f"{NS}:kubernetesVersion"] = "1.36"


def _staging_managed(config: Config) -> None:
    cni = {k: v for k, v in config[f"{NS}:cni"].items() if k != "helm"}
    config[f"{NS}:cni"] = {**cni, "mode": "managed"}


def _staging_range_first(config: Config) -> None:
    config[f"{NS}:endpoint"]["privateAccessCidrs"].insert(0, "10.100.8.0/24")


EDITS: dict[tuple[str, str], Callable[[Config], None]] = {
    ("dev", "reorder-spot+narrow-pool"): _dev_reorder_and_narrow,
    ("dev", "tag"): _dev_tag,
    ("dev", "managed-to-helm"): _dev_helm,
    ("prod", "admin-first+reorder-groups+min-size"): _prod_admin_first_reorder_min,
    ("prod", "drop-first-admin+version"): _prod_drop_first_admin_and_upgrade,
    ("staging", "range-first"): _staging_range_first,
    ("staging", "helm-to-managed"): _staging_managed,
}


def stack_config(stack: str) -> Config:
    path = ROOT / "stacks" / f"Pulumi.{stack}.yaml"
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    config: Config = document["config"]
    return config


def write_stack(stack: str, config: Config, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": config}, sort_keys=False), encoding="utf-8")
    return path


def edited_file(stack: str, edit: str) -> Path:
    config = copy.deepcopy(stack_config(stack))
    EDITS[(stack, edit)](config)
    return write_stack(stack, config, _WORK / edit)


@cache
def edited(stack: str, edit: str) -> Graph:
    return synthesize_program(ROOT / "__main__.py", edited_file(stack, edit), stack)


def changes(before: Graph, after: Graph, stack: str) -> Diff:
    return diff(planned(before, stack), planned(after, stack))
