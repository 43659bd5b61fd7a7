"""The recorded resource graph of every stack in stacks/: types, inputs, parents, order."""

from __future__ import annotations

import base64
import email
import json
import tomllib
from typing import Any

import pytest
import yaml

from eks_platform.addons.cni import HELM_CHART as CNI_CHART
from eks_platform.tools.synth import Graph, RecordedResource
from eks_platform.tools.synth.mocks import ACCOUNT
from tests.aws_models import service_model
from tests.conftest import (
    STACKS,
    stack_graph,
    stack_settings,
)

CLUSTER = "aws:eks/cluster:Cluster"
NODEGROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
RELEASE = "kubernetes:helm.sh/v3:Release"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def addon(graph: Graph, name: str) -> RecordedResource:
    found = [r for r in graph.of_type(ADDON) if r.inputs["addonName"] == name]
    assert len(found) == 1, f"{len(found)} {name} add-ons"
    return found[0]


def launch_template_of(graph: Graph, group: RecordedResource) -> RecordedResource:
    parent = graph.by_urn[group.parent]
    return next(r for r in graph.children(parent) if r.type == LAUNCH_TEMPLATE)


def max_pods_in_user_data(ami_type: str, user_data_b64: str) -> int:
    text = base64.b64decode(user_data_b64).decode()
    if ami_type.startswith("BOTTLEROCKET"):
        value: int = tomllib.loads(text)["settings"]["kubernetes"]["max-pods"]
        return value
    message = email.message_from_string(text)
    parts = [p for p in message.walk() if p.get_content_type() == "application/node.eks.aws"]
    assert len(parts) == 1
    node_config: dict[str, Any] = yaml.safe_load(str(parts[0].get_payload()))
    assert node_config["kind"] == "NodeConfig"
    pods: int = node_config["spec"]["kubelet"]["config"]["maxPods"]
    return pods


def test_every_stack_is_covered() -> None:
    assert {"dev", "staging", "prod"} <= set(STACKS)


def test_every_child_has_a_parent_inside_the_platform(stack: str) -> None:
    graph = stack_graph(stack)
    platform = graph.one("eks-platform:platform:EksPlatform")
    assert platform.parent.endswith("::pulumi:pulumi:Stack::eks-platform-" + stack)
    inside = {r.urn for r in graph.descendants(platform)}
    assert inside == {r.urn for r in graph} - {platform.urn}


def test_cluster_inputs(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    cluster = graph.one(CLUSTER)
    inputs = cluster.inputs
    assert inputs["version"] == settings.kubernetes_version
    assert inputs["vpcConfig"]["endpointPrivateAccess"] is True
    assert inputs["vpcConfig"]["endpointPublicAccess"] is settings.endpoint.public_access
    assert inputs["accessConfig"]["authenticationMode"] == "API"
    assert inputs["encryptionConfig"]["resources"] == ["secrets"]
    assert {"api", "audit", "authenticator"} <= set(inputs["enabledClusterLogTypes"])
    assert inputs["bootstrapSelfManagedAddons"] is settings.bootstrap_self_managed_addons
    assert cluster.protect is settings.protect
    assert inputs["deletionProtection"] is settings.protect_deletion
    assert graph.by_urn[cluster.parent].type == "eks-platform:cluster:EksCluster"


def test_kms_keys_rotate_and_are_protected_with_the_cluster(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    keys = graph.of_type("aws:kms/key:Key")
    assert keys
    for key in keys:
        assert key.inputs["enableKeyRotation"] is True
        assert key.inputs["deletionWindowInDays"] == 30
        assert key.protect is settings.protect
    secrets = graph.one("aws:kms/key:Key", "eks-secrets")
    assert graph.one(CLUSTER).inputs["encryptionConfig"]["provider"]["keyArn"].endswith(
        secrets.name)


def test_oidc_provider_only_where_irsa_uses_it(stack: str) -> None:
    graph = stack_graph(stack)
    roles = [r for r in graph.of_type("aws:iam/role:Role")
             if "AssumeRoleWithWebIdentity" in r.inputs["assumeRolePolicy"]]
    providers = graph.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert len(providers) == (1 if roles or stack_settings(stack).oidc_provider else 0)
    assert ("oidcProviderArn" in graph.outputs) is bool(providers)
    for oidc in providers:
        assert oidc.inputs["clientIdLists"] == ["sts.amazonaws.com"]
        assert oidc.inputs["url"].startswith("https://oidc.eks.")
        assert len(oidc.inputs["thumbprintLists"]) == 1


def test_admins_get_access_entries_with_their_own_policy_and_scope(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    # STANDARD entries are people; Karpenter's node role has an EC2_LINUX one.
    # The deployer's own entry (when EKS does not make it admin) is tested on its own.
    entries = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
               if e.inputs["type"] == "STANDARD" and not e.name.endswith("-deployer")]
    associations = [a for a in graph.of_type(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
        if not a.name.endswith("-deployer")]
    assert sorted(e.inputs["principalArn"] for e in entries) == sorted(
        a.principal_arn for a in settings.admins)
    by_principal = {a.inputs["principalArn"]: a.inputs for a in associations}
    assert len(by_principal) == len(associations)
    for admin in settings.admins:
        association = by_principal[admin.principal_arn]
        # Names from the EKS user guide's access policy reference.
        name = {"ClusterAdmin": "AmazonEKSClusterAdminPolicy", "Admin": "AmazonEKSAdminPolicy",
                "AdminView": "AmazonEKSAdminViewPolicy", "Edit": "AmazonEKSEditPolicy",
                "View": "AmazonEKSViewPolicy"}[admin.access_policy]
        assert association["policyArn"] == f"arn:aws:eks::aws:cluster-access-policy/{name}"
        scope = association["accessScope"]
        if admin.namespaces:
            assert scope == {"type": "namespace", "namespaces": sorted(admin.namespaces)}
        else:
            assert scope == {"type": "cluster"}
    assert not [r for r in graph if "ConfigMap" in r.type and "aws-auth" in r.name]


def test_kubeconfig_is_a_secret_using_get_token(stack: str) -> None:
    graph = stack_graph(stack)
    assert "kubeconfig" in graph.secret_outputs
    config = json.loads(graph.outputs["kubeconfig"])
    exec_ = config["users"][0]["user"]["exec"]
    assert exec_["command"] == "aws"
    assert exec_["args"][:2] == ["eks", "get-token"]
    assert stack_settings(stack).region in exec_["args"]


def test_created_vpc_spans_azs_with_load_balancer_tags(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    if settings.vpc is None:
        pytest.skip("stack uses existing subnets")
    subnets = graph.of_type("aws:ec2/subnet:Subnet")
    public = [s for s in subnets if "kubernetes.io/role/elb" in s.inputs["tags"]]
    private = [s for s in subnets if "kubernetes.io/role/internal-elb" in s.inputs["tags"]]
    zones = settings.vpc.availability_zones
    assert len(public) == len(private) == zones >= 2
    assert len({s.inputs["availabilityZone"] for s in private}) == zones
    assert all(s.inputs.get("mapPublicIpOnLaunch") is False for s in public)
    nats = graph.of_type("aws:ec2/natGateway:NatGateway")
    assert len(nats) == (1 if settings.vpc.nat_gateways == "single" else zones)
    cluster_subnets = graph.one(CLUSTER).inputs["vpcConfig"]["subnetIds"]
    assert sorted(cluster_subnets) == sorted(f"{s.name}-id" for s in private)















# --- add-ons and order -----------------------------------------------------------------------

def test_exactly_one_cni(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    managed = [r for r in graph.of_type(ADDON) if r.inputs["addonName"] == "vpc-cni"]
    releases = [r for r in graph.of_type(RELEASE) if r.inputs["chart"] == CNI_CHART]
    if settings.all_auto_mode:  # EKS user guide, eks-add-ons: redundant on Auto Mode compute
        assert (len(managed), len(releases)) == (0, 0)
        return
    assert (len(managed), len(releases)) == ((1, 0) if settings.cni.mode == "managed" else (0, 1))


def test_deploy_order(stack: str) -> None:
    graph = stack_graph(stack)
    settings = stack_settings(stack)
    if settings.all_auto_mode:  # nothing to order: no node group, no node add-on
        assert not graph.of_type(NODEGROUP) and not graph.of_type(ADDON)
        return
    cni = (addon(graph, "vpc-cni") if settings.cni.mode == "managed"
           else next(r for r in graph.of_type(RELEASE) if r.inputs["chart"] == CNI_CHART))
    kube_proxy, coredns = addon(graph, "kube-proxy"), addon(graph, "coredns")
    groups = graph.of_type(NODEGROUP)
    assert groups
    for group in groups:
        assert graph.depends_on(group, cni)
        assert graph.depends_on(group, kube_proxy)
        assert graph.depends_on(coredns, group)
        assert not graph.depends_on(group, coredns)
    assert not graph.depends_on(cni, coredns)
    assert not graph.depends_on(kube_proxy, groups[0])


def test_both_cni_modes_are_used_across_stacks() -> None:
    assert {stack_settings(s).cni.mode for s in STACKS} == {"managed", "helm"}


def test_stack_coverage_asked_for_by_the_design() -> None:
    groups = [g for s in STACKS for g in stack_settings(s).node_groups]
    assert any(len(g.instance_types) >= 2 for g in groups)
    assert any(g.is_bottlerocket for g in groups)
    assert any(stack_settings(s).cni.prefix_delegation for s in STACKS)
    prod = stack_settings("prod")
    assert prod.protect and not prod.endpoint.public_access
    assert any(g.capacity_type == "SPOT" for g in stack_settings("dev").node_groups)


# --- AWS's own vocabulary --------------------------------------------------------------------

EKS_MODEL = service_model("eks")
ENUMS = {
    ("amiType",): "AMITypes", ("capacityType",): "CapacityTypes",
    ("resolveConflictsOnCreate",): "ResolveConflicts",
    ("resolveConflictsOnUpdate",): "ResolveConflicts",
}


def enum(shape_name: str) -> list[str]:
    shape: Any = EKS_MODEL.shape_for(shape_name)
    return list(shape.enum)


def test_enum_strings_are_valid_in_botocore(stack: str) -> None:
    graph = stack_graph(stack)
    for resource in graph:
        for (key,), shape in ENUMS.items():
            if resource.type.startswith("aws:eks/") and key in resource.inputs:
                assert resource.inputs[key] in enum(shape), (resource.name, key)
        if resource.type == NODEGROUP:
            for taint in resource.inputs.get("taints", []):
                assert taint["effect"] in enum("TaintEffect")
    cluster = graph.one(CLUSTER).inputs
    assert set(cluster["enabledClusterLogTypes"]) <= set(enum("LogType"))
    assert cluster["accessConfig"]["authenticationMode"] in enum("AuthenticationMode")
    assert cluster["kubernetesNetworkConfig"]["ipFamily"] in enum("IpFamily")
    for entry in graph.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation"):
        assert entry.inputs["accessScope"]["type"] in enum("AccessScopeType")


def test_every_managed_policy_arn_exists(stack: str) -> None:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    # moto's copy of the AWS-managed policies carries each policy's IAM path.
    known = {f"arn:aws:iam::aws:policy{p['Path']}{name}"
             for name, p in json.loads(aws_managed_policies_data).items()}
    graph = stack_graph(stack)
    arns = {r.inputs["policyArn"] for r in graph.of_type(ATTACHMENT)}
    # Policies the stack creates itself (Karpenter's controller) are in its own account.
    own = {a for a in arns if f":{ACCOUNT}:" in a}
    assert len(own) == len(graph.of_type("aws:iam/policy:Policy"))
    assert arns - own
    assert arns - own <= known, sorted(arns - own - known)


def test_fargate_only_cluster_runs_coredns_on_fargate(tmp_path: Any) -> None:
    from eks_platform.tools.synth import synthesize_program
    from tests.conftest import ROOT

    stack_file = tmp_path / "Pulumi.fargate.yaml"
    stack_file.write_text(yaml.safe_dump({"config": {
        "aws:region": "eu-west-1",
        "eks-platform:vpc": {"availabilityZones": 2, "natGateways": "single"},
        "eks-platform:fargateProfiles": [{"name": "system", "selectors": [
            {"namespace": "kube-system"}, {"namespace": "default"}]}],
    }}))
    graph = synthesize_program(ROOT / "__main__.py", stack_file)
    assert graph.of_type(NODEGROUP) == []
    profile = graph.one("aws:eks/fargateProfile:FargateProfile")
    assert {"namespace": "kube-system"} in profile.inputs["selectors"]
    coredns = addon(graph, "coredns")
    assert json.loads(coredns.inputs["configurationValues"])["computeType"] == "Fargate"
    assert graph.depends_on(coredns, profile)
    role = graph.by_urn[profile.parent]
    policies = {r.inputs["policyArn"] for r in graph.children(role) if r.type == ATTACHMENT}
    assert policies == {"arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"}
    # No EC2 node, so no node-volume key (the secrets, logs and flow-logs keys remain).
    keys = {k.name for k in graph.of_type("aws:kms/key:Key")}
    assert keys == {"eks-secrets", "eks-logs", "eks-net-flow-logs-logs"}


def test_nodes_wait_for_nat_routes_but_the_control_plane_does_not(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    if settings.vpc is None:
        pytest.skip("stack uses existing subnets")
    associations = [r for r in graph.of_type(
        "aws:ec2/routeTableAssociation:RouteTableAssociation") if "private" in r.name]
    nats = graph.of_type("aws:ec2/natGateway:NatGateway")
    # The default routes through NAT are their own resources: nodes wait for each of them.
    nat_routes = [r for r in graph.of_type("aws:ec2/route:Route") if "natGatewayId" in r.inputs]
    assert len(nat_routes) == len(associations) == settings.vpc.availability_zones
    for group in graph.of_type(NODEGROUP):
        assert all(graph.depends_on(group, a) for a in associations)
        assert all(graph.depends_on(group, n) for n in nats)
        assert all(graph.depends_on(group, r) for r in nat_routes)
    cluster = graph.one(CLUSTER)
    assert not any(graph.depends_on(cluster, n) for n in nats)


def test_route_tables_carry_no_inline_routes(stack: str) -> None:
    """The provider overwrites the routes other resources add to a table with inline routes
    (aws.ec2.RouteTable docs): every route here is an aws.ec2.Route."""
    graph = stack_graph(stack)
    assert [t.name for t in graph.of_type("aws:ec2/routeTable:RouteTable")
            if t.inputs.get("routes")] == []


def test_vpc_cni_waits_for_the_pod_identity_agent_only_with_a_pod_identity_role(
        stack: str) -> None:
    """The agent hands out Pod Identity credentials; an IRSA CNI has no reason to wait."""
    graph = stack_graph(stack)
    addons = {a.inputs["addonName"]: a for a in graph.of_type(ADDON)}
    if "vpc-cni" not in addons or "eks-pod-identity-agent" not in addons:
        return
    pod_identity = "podIdentityAssociations" in addons["vpc-cni"].inputs
    assert graph.depends_on(addons["vpc-cni"], addons["eks-pod-identity-agent"]) is pod_identity


def test_the_deployer_may_act_in_the_cluster_it_sends_kubernetes_objects_to(stack: str) -> None:
    """API authentication authorises only access entries: where EKS does not make the creator
    admin and the stack talks to the Kubernetes API, the identity running `pulumi up` gets an
    explicit cluster-admin entry, and the Kubernetes provider waits for it."""
    from eks_platform.tools.synth.mocks import DEPLOYER_ROLE

    graph, settings = stack_graph(stack), stack_settings(stack)
    providers = graph.of_type("pulumi:providers:kubernetes")
    assert bool(providers) == bool(settings.kubernetes_api_users)
    deployer = [e for e in graph.of_type("aws:eks/accessEntry:AccessEntry")
                if e.inputs["principalArn"] == DEPLOYER_ROLE]
    if settings.creator_is_admin or not providers:
        assert deployer == []
        return
    (entry,) = deployer
    association = graph.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                            entry.name)
    assert association.inputs["policyArn"] == \
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    assert association.inputs["accessScope"] == {"type": "cluster"}
    assert graph.depends_on(providers[0], association)


def test_a_deployer_listed_among_the_admins_gets_no_second_entry() -> None:
    from eks_platform import EksAddon, EksAddonArgs, SelfManagedVpcCni, SelfManagedVpcCniArgs
    from eks_platform.addons.cni import CniSettings
    from eks_platform.tools.synth import synthesize
    from eks_platform.tools.synth.mocks import DEPLOYER_ROLE
    from tests.clusters import demo_cluster

    def program() -> None:
        cluster = demo_cluster(
            cni=CniSettings(mode="helm", iam="nodeRole"),
            admins=[{"principalArn": DEPLOYER_ROLE, "accessPolicy": "ClusterAdmin"}],
            endpoint={"privateAccessCidrs": ["10.0.0.0/24"]})
        assert not cluster.args.creator_is_admin
        SelfManagedVpcCni("cni", SelfManagedVpcCniArgs(cluster=cluster))
        EksAddon("kube-proxy", EksAddonArgs(cluster=cluster, addon_name="kube-proxy"))

    graph = synthesize(program, {"aws:region": "us-east-1"})
    (entry,) = graph.of_type("aws:eks/accessEntry:AccessEntry")
    assert entry.inputs["principalArn"] == DEPLOYER_ROLE
    (association,) = graph.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert graph.depends_on(graph.one("pulumi:providers:kubernetes"), association)
