"""Ready mocks for unit-testing a program built on eks-platform: no cloud, no Pulumi CLI.

`AwsMocks` is the `pulumi.runtime.Mocks` the offline plan itself runs under: resources get the
computed outputs AWS would give them (a cluster's `certificateAuthority`, `identities`,
`endpoint` and `arn`, roles' and keys' ARNs, node group names), and the data sources the
package reads answer as AWS would (availability zones of the region, EC2 instance types,
caller identity, add-on versions, running clusters). Mocks that do not answer them leave
outputs such as the kubeconfig's certificate as None, and the components fail with
`'NoneType' object is not subscriptable`.

Recipe (pytest; the program is `__main__.py` next to the test, its project `my-project`)::

    import runpy

    import pulumi

    from eks_platform.testing import AwsMocks

    pulumi.runtime.set_mocks(AwsMocks(region="eu-central-1"), project="my-project",
                             stack="test", preview=False)
    pulumi.runtime.set_all_config({"aws:region": "eu-central-1",
                                   "my-project:subnetIds": '["subnet-1", "subnet-2"]'})

    @pulumi.runtime.test
    def test_cluster_is_private():
        program = runpy.run_path("__main__.py")   # the program registers its resources
        cluster = program["cluster"]              # an eks_platform.EksCluster

        def check(private_only):
            assert private_only

        return cluster.cluster.vpc_config.endpoint_public_access.apply(
            lambda public: check(not public))

Config values are strings as the Pulumi CLI passes them (lists and objects as JSON). Each
created resource is also in `AwsMocks.resources` (type, name, inputs), and each data source
call in `AwsMocks.invokes`, for assertions on what the program asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi

from eks_platform.facts.zones import Zone
from eks_platform.tools.synth.mocks import ACCOUNT, DEPLOYER_ROLE, RecordingMocks

__all__ = ["ACCOUNT", "DEPLOYER_ROLE", "AwsMocks", "MockedResource"]


@dataclass(frozen=True)
class MockedResource:
    """One resource the program created under the mocks."""

    type: str
    name: str
    inputs: Mapping[str, Any]


class AwsMocks(RecordingMocks):
    """`pulumi.runtime.Mocks` answering as AWS would, in account `ACCOUNT` (the caller is the
    role `DEPLOYER_ROLE`).

    `region`: the region data sources answer for (zones, ARNs). `live_clusters`: EKS clusters
    that already run, name -> Kubernetes version (the upgrade guard judges a step from them;
    default none). `stack_outputs`: answers to `pulumi.StackReference`s, reference name ->
    (outputs, secret output names). `extra_zones`: opted-in Local or Wavelength Zones."""

    def __init__(
        self, region: str = "us-east-1", *,
        live_clusters: Mapping[str, str] = {},
        stack_outputs: Mapping[str, tuple[dict[str, Any], set[str]]] = {},
        extra_zones: Sequence[Zone] = (),
    ) -> None:
        super().__init__(region, stack_outputs, live_clusters, extra_zones)
        self.resources: list[MockedResource] = []

    def new_resource(
        self, args: pulumi.runtime.MockResourceArgs
    ) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(MockedResource(args.typ, args.name, dict(args.inputs)))
        return super().new_resource(args)

    def of_type(self, type_: str) -> list[MockedResource]:
        """The created resources of one type token, e.g. `aws:eks/cluster:Cluster`."""
        return [r for r in self.resources if r.type == type_]
