"""`eks_platform.testing`: the shipped library example (`examples/compose`) unit-tested the way
a user would test their own program, with public API only: `pulumi.runtime.set_mocks` with
`AwsMocks`, `pulumi.runtime.set_all_config` and `@pulumi.runtime.test`."""

from __future__ import annotations

import asyncio
import json
import runpy
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from eks_platform.testing import ACCOUNT, DEPLOYER_ROLE, AwsMocks
from tests.conftest import ROOT

PROGRAM = ROOT / "examples" / "compose" / "__main__.py"
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]


@pytest.fixture
def mocks() -> Iterator[AwsMocks]:
    """As the recipe in `eks_platform.testing` sets them up (values of Pulumi.dev.yaml).
    A fresh event loop: the suite's other synthesis runs leave the thread without one, which a
    user's own test process would not do."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    aws_mocks = AwsMocks(region="eu-central-1")
    pulumi.runtime.set_mocks(aws_mocks, project="eks-compose", stack="dev", preview=False)
    pulumi.runtime.set_all_config({
        "aws:region": "eu-central-1",
        "eks-compose:subnetIds": json.dumps(SUBNETS),
        "eks-compose:admin": "arn:aws:iam::111122223333:role/team-admins",
    })
    yield aws_mocks
    loop.close()
    asyncio.set_event_loop(None)


def test_compose_runs_under_the_public_mocks(mocks: AwsMocks) -> None:
    seen: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[untyped-decorator]  # the SDK leaves it untyped
    def run() -> pulumi.Output[Any]:
        program = runpy.run_path(str(PROGRAM))
        cluster, apps = program["cluster"], program["apps"]
        return pulumi.Output.all(
            cluster.cluster_name, cluster.endpoint, cluster.certificate_authority_data,
            cluster.oidc_issuer_url, cluster.kubeconfig, apps.max_pods,
            cluster.cluster.vpc_config.endpoint_public_access,
        ).apply(lambda values: seen.update(zip(
            ("name", "endpoint", "ca", "issuer", "kubeconfig", "max_pods", "public"), values,
            strict=True)))

    run()
    assert seen["name"] == "team-cluster"
    assert seen["endpoint"] == "https://team-cluster.gr7.eu-central-1.eks.amazonaws.com"
    assert seen["issuer"].startswith("https://oidc.eks.eu-central-1.amazonaws.com/id/")
    assert "team-cluster" in seen["kubeconfig"] and seen["ca"] in seen["kubeconfig"]
    # Prefix delegation: c5.xlarge's 4 ENIs * 14 * 16 + 2 is far above 110, the calculator's
    # cap for nodes of at most 30 vCPUs.
    assert seen["max_pods"] == 110
    (cluster,) = mocks.of_type("aws:eks/cluster:Cluster")
    assert cluster.inputs["vpcConfig"]["subnetIds"] == SUBNETS
    assert len(mocks.of_type("aws:eks/nodeGroup:NodeGroup")) == 2
    assert {r.inputs["addonName"] for r in mocks.of_type("aws:eks/addon:Addon")} == {
        "vpc-cni", "kube-proxy", "coredns"}
    assert seen["public"] is False
    assert "aws:index/getCallerIdentity:getCallerIdentity" in {t for t, _ in mocks.invokes}
    # The key policies name the caller the mocks answer for, as administrator.
    keys = mocks.of_type("aws:kms/key:Key")
    assert keys and all(DEPLOYER_ROLE in key.inputs["policy"] for key in keys)
    assert DEPLOYER_ROLE.startswith(f"arn:aws:iam::{ACCOUNT}:role/")


def test_the_mocks_are_pulumi_mocks() -> None:
    assert isinstance(AwsMocks(), pulumi.runtime.Mocks)
