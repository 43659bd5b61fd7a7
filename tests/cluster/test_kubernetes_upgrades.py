"""Day 2 in the product: versions judged on a pinned day, an explicit support type on every
cluster, node groups that follow the cluster, the upgrade guard against a mocked live cluster,
node repair, update strategy and zonal shift, and the plan of an upgrade.

Expected dates come from the EKS user guide's release calendar (1.31's extended support ended
2026-11-26, 1.33 left standard support 2026-07-29, 1.34 leaves it 2026-12-02, 1.36 reached EKS
2026-06-02); field names and bounds from botocore's EKS service model. The judgment day is
pinned to 2026-11-27 by tests/conftest.py.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    EksClusterArgs,
    ManagedNodeGroup,
    ManagedNodeGroupArgs,
    SettingsError,
)
from eks_platform.cluster.judgment_day import ENV_VAR, judgment_day, parse_day
from eks_platform.cluster.upgrade import guard_message, upgrade_refusal
from eks_platform.cluster.version_guard import UpgradeRefusedError
from eks_platform.stack import parse
from eks_platform.tools import plan
from eks_platform.tools.cli import main
from eks_platform.tools.plan_cli import synthesize_upgrade
from eks_platform.tools.synth import Graph, synthesize, synthesize_program
from tests.aws_models import service_model
from tests.clusters import SUBNETS, demo_cluster
from tests.conftest import ROOT, STACKS, stack_graph, stack_settings
from tests.stack.test_settings import BASE, SOURCE, error_for

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
GET_CLUSTERS = "aws:eks/getClusters:getClusters"
GET_CLUSTER = "aws:eks/getCluster:getCluster"
GET_ADDON_VERSION = "aws:eks/getAddonVersion:getAddonVersion"
REGION = {"aws:region": "us-east-1"}


def eks_shape(name: str) -> Any:
    return service_model("eks").shape_for(name)


def config(**changes: Any) -> dict[str, Any]:
    """BASE without a version, plus `eks-platform:<key>` changes."""
    result = {k: v for k, v in copy.deepcopy(BASE).items()
              if k != "eks-platform:kubernetesVersion"}
    result.update({f"eks-platform:{k}": v for k, v in changes.items()})
    return result


# --- settings: judged on the day ----------------------------------------------------------------


def test_1_31_is_refused_with_its_end_of_extended_support() -> None:
    for support_type in ("STANDARD", "EXTENDED"):
        message = error_for(config(kubernetesVersion="1.31", supportType=support_type))
        assert ('eks-platform:kubernetesVersion = "1.31": Kubernetes 1.31 reached the end of '
                "extended support on 2026-11-26 (standard support ended 2025-11-26)") in message
        assert "judged on 2026-11-27" in message


def test_a_version_in_extended_support_needs_support_type_extended() -> None:
    message = error_for(config(kubernetesVersion="1.33"))
    assert ('eks-platform:kubernetesVersion = "1.33": Kubernetes 1.33 left standard support on '
            "2026-07-29 and is in extended support until 2027-07-29") in message
    assert "Set supportType: EXTENDED to accept that cost" in message
    assert "use a version in standard support: 1.34, 1.35, 1.36" in message
    accepted = parse(config(kubernetesVersion="1.33", supportType="EXTENDED"), SOURCE)
    assert (accepted.kubernetes_version, accepted.support_type) == ("1.33", "EXTENDED")
    # The library's Args judge the same way.
    with pytest.raises(SettingsError, match=r"EksClusterArgs\.kubernetes_version = \"1\.33\""):
        EksClusterArgs(name="demo", region="us-east-1", kubernetes_version="1.33",
                       subnet_ids=SUBNETS)
    assert EksClusterArgs(name="demo", region="us-east-1", kubernetes_version="1.33",
                          support_type="EXTENDED", subnet_ids=SUBNETS).support_type == "EXTENDED"


def test_support_type_takes_botocores_values() -> None:
    assert eks_shape("SupportType").enum == ["STANDARD", "EXTENDED"]
    message = error_for(config(supportType="extended"))
    assert "eks-platform:supportType = \"extended\": Input should be 'STANDARD' or 'EXTENDED'" \
        in message


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-11-27", "1.36"),
    ("2026-06-01", "1.35"),  # the day before 1.36 reached EKS
    ("2025-11-01", "1.34"),
])
def test_default_version_is_the_newest_in_standard_support_on_the_day(
        day: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, day)
    assert parse(config(), SOURCE).kubernetes_version == expected
    assert parse(config(kubernetesVersion="default"), SOURCE).kubernetes_version == expected


def test_the_judgment_day_is_the_environment_else_today_in_utc() -> None:
    assert judgment_day() == date(2026, 11, 27)  # conftest's pin
    assert judgment_day({ENV_VAR: "2027-03-01"}) == date(2027, 3, 1)
    before = datetime.now(UTC).date()
    assert judgment_day({}) in {before, datetime.now(UTC).date()}
    with pytest.raises(ValueError, match=r"^EKS_PLATFORM_DATE: '27/11/2026' is not a day in "
                                         r"the form YYYY-MM-DD$"):
        judgment_day({ENV_VAR: "27/11/2026"})
    with pytest.raises(ValueError, match="is not a day"):
        parse_day("2026-02-30")


# --- every cluster, every stack -----------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_every_cluster_has_an_explicit_support_type_and_zonal_shift(stack: str) -> None:
    settings = stack_settings(stack)
    for cluster in stack_graph(stack).of_type(CLUSTER):
        assert cluster.inputs["upgradePolicy"] == {"supportType": settings.support_type}
        assert cluster.inputs["zonalShiftConfig"] == {"enabled": settings.zonal_shift}
    # botocore's CreateCluster takes these two structures under these names.
    members = eks_shape("CreateClusterRequest").members
    assert set(members["upgradePolicy"].members) == {"supportType"}
    assert set(members["zonalShiftConfig"].members) == {"enabled"}


def test_a_library_cluster_gets_standard_support_and_no_zonal_shift_by_default() -> None:
    graph = synthesize(lambda: _cluster("1.35"), REGION)
    inputs = graph.one(CLUSTER).inputs
    assert inputs["upgradePolicy"] == {"supportType": "STANDARD"}
    assert inputs["zonalShiftConfig"] == {"enabled": False}


def test_shipped_stacks_are_on_supported_versions() -> None:
    raw = {s: yaml.safe_load((ROOT / "stacks" / f"Pulumi.{s}.yaml").read_text())["config"]
           for s in ("dev", "staging", "prod")}
    for stack in ("dev", "staging"):
        assert raw[stack].get("eks-platform:kubernetesVersion", "default") == "default"
        assert stack_settings(stack).kubernetes_version == "1.36"
    prod = raw["prod"]
    assert prod["eks-platform:kubernetesVersion"] == "1.35"  # standard support to 2027-03-27
    assert prod["eks-platform:supportType"] == "STANDARD"
    assert prod["eks-platform:zonalShift"] is True
    assert stack_graph("prod").warnings == []


# --- node groups ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_every_node_group_follows_the_clusters_version(stack: str) -> None:
    graph = stack_graph(stack)
    cluster = graph.one(CLUSTER)
    for group in graph.of_type(NODE_GROUP):
        assert group.inputs["version"] == cluster.inputs["version"]
        assert cluster.urn in group.dependencies
        assert group.inputs["nodeRepairConfig"] == {"enabled": True}


def _cluster(version: str) -> None:
    demo_cluster(kubernetes_version=version)


def _compose(**group: Any) -> None:
    cluster = demo_cluster(kubernetes_version="1.35")
    EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
    ManagedNodeGroup("apps", ManagedNodeGroupArgs(
        cluster=cluster, name="apps", instance_types=["m5.large"], **group))


def test_node_group_version_is_the_clusters_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the string asked for: what EKS reports, so the group waits for the control plane."""
    from eks_platform.tools.synth import mocks

    real = mocks.fake_state

    def reporting(type_: str, name: str, inputs: dict[str, Any], region: str) -> dict[str, Any]:
        state = real(type_, name, inputs, region)
        if type_ == CLUSTER:
            state["version"] = "1.35-reported"
        return state

    monkeypatch.setattr(mocks, "fake_state", reporting)
    graph = synthesize(_compose, REGION)
    assert graph.one(NODE_GROUP).inputs["version"] == "1.35-reported"


def test_node_repair_and_update_strategy_per_group() -> None:
    graph = synthesize(lambda: _compose(node_repair=False, update_strategy="MINIMAL",
                                        max_unavailable="25%"), REGION)
    inputs = graph.one(NODE_GROUP).inputs
    assert inputs["nodeRepairConfig"] == {"enabled": False}
    assert inputs["updateConfig"] == {"maxUnavailablePercentage": 25, "updateStrategy": "MINIMAL"}
    count = synthesize(lambda: _compose(max_unavailable=3), REGION).one(NODE_GROUP)
    assert count.inputs["updateConfig"] == {"maxUnavailable": 3, "updateStrategy": "DEFAULT"}
    members = eks_shape("NodegroupUpdateConfig").members
    assert set(inputs["updateConfig"]) | {"maxUnavailable"} <= set(members)
    assert members["updateStrategy"].enum == ["DEFAULT", "MINIMAL"]
    assert set(eks_shape("NodeRepairConfig").members) >= {"enabled"}


def test_max_unavailable_is_a_count_or_a_percentage_within_botocores_bounds() -> None:
    count, percent = eks_shape("NonZeroInteger"), eks_shape("PercentCapacity")
    low, high = percent.metadata["min"], percent.metadata["max"]
    assert (count.metadata["min"], low, high) == (1, 1, 100)

    def group(value: Any) -> dict[str, Any]:
        node_group = {**BASE["eks-platform:nodeGroups"][0], "maxUnavailable": value}
        return config(nodeGroups=[node_group])

    for good, expected in [(1, 1), ("3", 3), (high, high), (f"{low}%", "1%"), ("100%", "100%")]:
        assert parse(group(good), SOURCE).node_groups[0].max_unavailable == expected
    for bad in (0, "0%", f"{high + 1}%", 101, "a%", True, 2.5):
        assert ("eks-platform:nodeGroups[0].maxUnavailable = " in error_for(group(bad)))
    assert ('give a number of nodes or a percentage, each from 1 to 100, e.g. 3 or "25%"'
            in error_for(group("0%")))
    bad_strategy = {**BASE["eks-platform:nodeGroups"][0], "updateStrategy": "SURGE"}
    assert "'DEFAULT' or 'MINIMAL'" in error_for(config(nodeGroups=[bad_strategy]))


# --- the upgrade guard against a mocked live cluster ----------------------------------------------


def _refused(live: str, desired: str, **extra: Any) -> tuple[str, Graph]:
    """The guard's message, and the graph of what was registered before it refused."""
    messages: list[str] = []

    def program() -> None:
        with pytest.raises(UpgradeRefusedError) as info:
            demo_cluster(kubernetes_version=desired, **extra)
        messages.append(str(info.value))

    graph = synthesize(program, REGION, live_clusters={"demo": live})
    return messages[0], graph


def test_a_live_cluster_two_minors_behind_is_refused_before_any_change() -> None:
    message, graph = _refused("1.34", "1.36")
    assert message == (
        "upgrade guard of cluster demo: the cluster runs Kubernetes 1.34 and the stack asks for "
        "1.36: EKS upgrades one minor version at a time. Set kubernetesVersion to 1.35 and "
        "apply, then continue one minor at a time (1.34 -> 1.35 -> 1.36)")
    assert [r for r in graph if r.custom] == []  # nothing registered, so nothing changes
    assert [token for token, _ in graph.invokes] == [GET_CLUSTERS, GET_CLUSTER]
    assert graph.invokes[1][1]["name"] == "demo"


def test_a_downgrade_is_refused() -> None:
    message, _ = _refused("1.36", "1.35")
    assert "the cluster runs Kubernetes 1.36 and the stack asks for 1.35: EKS cannot downgrade" \
        in message


def test_the_next_step_in_extended_support_says_so() -> None:
    message, _ = _refused("1.32", "1.34")
    assert message.endswith(". 1.33 is in extended support on 2026-11-27: set supportType: "
                            "EXTENDED while the cluster passes through it")
    # With EXTENDED the intermediate step needs nothing more than the guard's own message.
    assert guard_message("1.32", "1.34", date(2026, 11, 27), "EXTENDED") == \
        upgrade_refusal("1.32", "1.34")


def test_a_live_cluster_one_minor_behind_plans_with_add_ons_for_the_new_version() -> None:
    def program() -> None:
        cluster = demo_cluster(kubernetes_version="1.36")
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy",
                                            version="latest"))

    graph = synthesize(program, REGION, live_clusters={"demo": "1.35", "other": "1.30"})
    assert graph.one(CLUSTER).inputs["version"] == "1.36"
    lookups = [args for token, args in graph.invokes if token == GET_ADDON_VERSION]
    assert {(a["addonName"], a["kubernetesVersion"], a["mostRecent"]) for a in lookups} == {
        ("vpc-cni", "1.36", False), ("kube-proxy", "1.36", True)}
    assert graph.warnings == []


def test_a_new_cluster_asks_only_whether_it_exists() -> None:
    graph = synthesize(lambda: _cluster("1.35"), REGION)
    assert [t for t, _ in graph.invokes if t.startswith("aws:eks/getCluster")] == [GET_CLUSTERS]


def test_leaving_standard_support_soon_is_a_program_warning() -> None:
    graph = synthesize(lambda: _cluster("1.34"), REGION)
    days = (date(2026, 12, 2) - date(2026, 11, 27)).days
    assert graph.warnings == [
        f"cluster demo: Kubernetes 1.34 leaves standard support on 2026-12-02, in {days} days "
        "(judged on 2026-11-27); after that EKS upgrades the control plane to the next version "
        "by itself (supportType STANDARD). Upgrade to 1.35 before then"]


# --- the plan -------------------------------------------------------------------------------------


def test_plan_prints_the_day_it_judged_by_and_the_warnings(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = plan.render_text(stack_graph("prod"), "prod", day=date(2026, 11, 27))
    assert "Kubernetes version (judged on 2026-11-27; EKS version calendar taken 2026-11-27" \
        in out
    assert ("  platform-prod: Kubernetes 1.35, supportType STANDARD: in standard support; "
            "standard support ends 2027-03-27, extended support ends 2028-03-27") in out
    assert "warning:" not in out
    # --date reaches the program: its warning is judged on that day too.
    assert main(["plan", "--stack", "prod", "--date", "2027-02-01"]) == 0
    out = capsys.readouterr().out
    assert "(judged on 2027-02-01;" in out
    assert ("  warning: cluster platform-prod: Kubernetes 1.35 leaves standard support on "
            "2027-03-27, in 54 days (judged on 2027-02-01)") in out


def test_plan_from_version_lists_the_steps_in_order() -> None:
    graph = synthesize_upgrade(ROOT / "__main__.py", ROOT / "stacks" / "Pulumi.prod.yaml",
                               "prod", "1.34")
    out = plan.render_text(graph, "prod", from_version="1.34")
    section = out.split("Upgrade from Kubernetes 1.34", 1)[1].split("\n\n", 1)[0]
    steps = [line.split(". ", 1)[1] for line in section.splitlines()
             if line[:7].strip().rstrip(".").isdigit()]
    names = [step.split("  [", 1)[0].strip() for step in steps]
    assert names == ["cluster", "add-on eks-pod-identity-agent", "add-on kube-proxy",
                     "add-on vpc-cni", "node group system", "node group workers",
                     "add-on aws-ebs-csi-driver", "add-on coredns"]
    assert "[update in place] version 1.34 -> 1.35" in steps[0]
    assert "[unchanged] stays at v1.19.2-eksbuild.1" in steps[3]  # pinned in the stack file
    assert "at most 1 node unavailable" in steps[4]
    assert "at most 3 nodes unavailable" in steps[5]  # maxUnavailable: 3 in the stack file
    assert all("[replace]" not in step for step in steps)

    upgrade = plan.to_json(graph, "prod", from_version="1.34")["kubernetes"]["upgrade"]
    assert [(u["cluster"], u["from"], u["to"]) for u in upgrade] == [
        ("platform-prod", "1.34", "1.35")]
    assert [s["resource"] for s in upgrade[0]["steps"]] == names


def test_plan_from_version_refuses_what_the_guard_refuses(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "prod", "--from-version", "1.33"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "upgrade guard of cluster platform-prod: the cluster runs Kubernetes 1.33 and the stack "
        "asks for 1.35: EKS upgrades one minor version at a time. Set kubernetesVersion to 1.34")


@pytest.mark.parametrize("stack", STACKS)
def test_an_upgrade_changes_only_the_resources_the_steps_name(stack: str, tmp_path: Path) -> None:
    """Plan the stack at the minor before its version and at its version (both offered on the
    pinned day): only the cluster's and the node groups' `version` change, and the add-on
    lookups ask for the new version. This backs the plan's "every other resource" line."""
    new_version = stack_settings(stack).kubernetes_version
    major, minor = new_version.split(".")
    old_version = f"{major}.{int(minor) - 1}"
    stack_file = ROOT / "stacks" / f"Pulumi.{stack}.yaml"
    document = yaml.safe_load(stack_file.read_text())
    graphs = {}
    for version in (old_version, new_version):
        folder = tmp_path / version
        folder.mkdir()
        document["config"]["eks-platform:kubernetesVersion"] = version
        document["config"]["eks-platform:supportType"] = "EXTENDED"  # whatever the old one
        (folder / stack_file.name).write_text(yaml.safe_dump(document))
        graphs[version] = synthesize_program(ROOT / "__main__.py", folder / stack_file.name)
    old = {r.urn: r.inputs for r in graphs[old_version]}
    new = {r.urn: r.inputs for r in graphs[new_version]}
    assert old.keys() == new.keys()
    types = {r.urn: r.type for r in graphs[new_version]}
    changed = {(types[urn], key) for urn in new for key in new[urn]
               if new[urn][key] != old[urn].get(key)}
    groups = {(NODE_GROUP, "version")} if stack_settings(stack).node_groups else set()
    assert changed == {(CLUSTER, "version"), *groups}
    # The stack file's supportType reaches the cluster through EksPlatform.
    assert graphs[new_version].one(CLUSTER).inputs["upgradePolicy"] == {"supportType": "EXTENDED"}
    lookups = {v: {a["kubernetesVersion"] for t, a in g.invokes if t == GET_ADDON_VERSION}
               for v, g in graphs.items()}
    if stack_settings(stack).all_auto_mode:  # no managed add-on: nothing to look up
        assert lookups == {old_version: set(), new_version: set()}
    else:
        assert lookups == {old_version: {old_version}, new_version: {new_version}}


def test_the_platform_refuses_before_registering_its_vpc(tmp_path: Path) -> None:
    """EksPlatform runs the guard before its VPC, and only once for the cluster."""
    from eks_platform import EksPlatform
    from eks_platform.platform import EksPlatformArgs
    from eks_platform.stack import parse, read_stack_file
    from eks_platform.tools.synth import synthesize_program
    from tests.conftest import ROOT

    config = {**read_stack_file(ROOT / "stacks" / "Pulumi.prod.yaml"),
              "eks-platform:kubernetesVersion": "1.36"}
    settings = parse(config, "Pulumi.prod.yaml")

    def program() -> None:
        with pytest.raises(UpgradeRefusedError, match=r"runs Kubernetes 1\.34 and the stack asks"):
            EksPlatform("eks", EksPlatformArgs(settings=settings, stack="prod"))

    refused = synthesize(program, {"aws:region": "us-east-1"},
                         live_clusters={"platform-prod": "1.34"})
    assert [r for r in refused if r.custom] == []
    stack_file = tmp_path / "Pulumi.prod.yaml"
    stack_file.write_text(yaml.safe_dump({"config": config}))
    graph = synthesize_program(ROOT / "__main__.py", stack_file,
                               live_clusters={"platform-prod": "1.35"})
    assert [token for token, _ in graph.invokes].count(GET_CLUSTERS) == 1
