"""`EksCluster` through the library: the stack file's messages, one CNI, what it exposes to
other stacks, its OIDC provider on demand and its keys' administrators."""

from __future__ import annotations

import json

import pulumi
import pytest

from eks_platform import (
    EksAddon,
    EksAddonArgs,
    EksCluster,
    EksClusterArgs,
    ServiceAccountRole,
    SettingsError,
)
from eks_platform.tools.synth import synthesize
from tests.clusters import demo_cluster
from tests.stack.test_settings import BASE, error_for

OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"


def test_cluster_args_reject_what_the_stack_file_rejects() -> None:
    with pytest.raises(SettingsError) as info:
        EksClusterArgs(name="bad name!", region="mars-1", kubernetes_version="1.20",
                       subnet_ids=["nope"])
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid arguments to EksClusterArgs:"
    keys = [line.split(" = ")[0].strip() for line in lines[1:]]
    assert keys == ["EksClusterArgs.region", "EksClusterArgs.kubernetes_version",
                    "EksClusterArgs.name", "EksClusterArgs.subnet_ids"]
    # Same words as the stack file's message for the same value.
    stack = error_for({**BASE, "aws:region": "mars-1"}).splitlines()[1]
    assert lines[1].split(" = ", 1)[1] == stack.split(" = ", 1)[1]



def test_a_second_cni_is_refused() -> None:
    def program() -> None:
        cluster = demo_cluster()
        EksAddon("vpc-cni", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))
        with pytest.raises(ValueError, match="exactly one may be on"):
            EksAddon("vpc-cni-2", EksAddonArgs(cluster=cluster, addon_name="vpc-cni"))

    synthesize(program, {"aws:region": "us-east-1"})



def test_cluster_exposes_what_other_stacks_need() -> None:
    def program() -> None:
        cluster = demo_cluster()
        assert isinstance(cluster, EksCluster)
        for output in (cluster.cluster_name, cluster.endpoint, cluster.oidc_provider_arn,
                       cluster.cluster_security_group_id, cluster.kubeconfig):
            assert isinstance(output, pulumi.Output)
        assert cluster.region == "us-east-1" and cluster.kubernetes_version == "1.34"

    synthesize(program, {"aws:region": "us-east-1"})


def test_oidc_provider_only_on_demand() -> None:
    def without() -> None:
        demo_cluster()

    def irsa_role() -> None:
        cluster = demo_cluster()
        ServiceAccountRole.for_cluster("app", cluster, namespace="apps",
                                       service_account="app", mode="irsa")

    def asked() -> None:
        demo_cluster(oidc_provider=True)

    config = {"aws:region": "us-east-1"}
    assert synthesize(without, config).of_type(OIDC) == []
    assert len(synthesize(irsa_role, config).of_type(OIDC)) == 1
    assert len(synthesize(asked, config).of_type(OIDC)) == 1


def test_key_admins_include_the_deployer_and_the_configured_ones() -> None:
    extra = "arn:aws:iam::123456789012:role/break-glass"

    def program() -> None:
        cluster: EksCluster = demo_cluster(kms_key_admins=[extra])
        pulumi.export("node_volume_key", cluster.node_volume_key_arn())

    graph = synthesize(program, {"aws:region": "us-east-1"})
    for key in graph.of_type("aws:kms/key:Key"):
        statements = json.loads(key.inputs["policy"])["Statement"]
        (admins,) = [s for s in statements if s.get("Sid") == "KeyAdministrators"]
        assert sorted(admins["Principal"]["AWS"]) == [
            extra, "arn:aws:iam::123456789012:role/plan-deployer"]
    assert graph.outputs["node_volume_key"].endswith(":key/demo-node-volumes")
