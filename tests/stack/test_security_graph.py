"""Every security control of `security_controls.CONTROLS`, held on the recorded graph of every
shipped stack. Policies are parsed and evaluated (`policy_eval`), never matched as text.

Strict stacks are the shipped stacks in `PROD_LIKE` (all but dev: docs/security.md says where dev is
lighter and why). A user's own stacks are held to the same rules by
`plan --policy strict` (`stack/policy.py`), whose verdict on the shipped stacks is checked here.
Expected names and values come from AWS documentation (cited where used), not from the code.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from eks_platform.stack import security_controls
from eks_platform.tools.synth import Graph
from eks_platform.tools.synth.graph import RecordedResource
from eks_platform.tools.synth.mocks import ACCOUNT, DEPLOYER_ROLE
from tests.conftest import PROD_LIKE, STACKS, stack_graph, stack_settings
from tests.policy_eval import Request, decision

ALL_LOG_TYPES = {"api", "audit", "authenticator", "controllerManager", "scheduler"}
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CLUSTER = "aws:eks/cluster:Cluster"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
OUTSIDER = f"arn:aws:iam::{ACCOUNT}:role/someone-else"


def strict(stack: str) -> bool:
    return stack in PROD_LIKE


def _region(graph: Graph) -> str:
    return str(graph.outputs["region"])


def by_arn(graph: Graph, type_: str) -> dict[str, RecordedResource]:
    """Keys and roles by the ARN the mocks gave them (as other resources' inputs name them)."""
    if type_ == KEY:
        prefix = f"arn:aws:kms:{_region(graph)}:{ACCOUNT}:key/"
    else:
        prefix = f"arn:aws:iam::{ACCOUNT}:role/"
    return {prefix + r.name: r for r in graph.of_type(type_)}


def cluster_arn(graph: Graph) -> str:
    name = graph.one(CLUSTER).inputs["name"]
    return f"arn:aws:eks:{_region(graph)}:{ACCOUNT}:cluster/{name}"


def policy(resource: RecordedResource, key: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resource.inputs[key])
    return document


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def key_of(graph: Graph, arn: str) -> RecordedResource:
    keys = by_arn(graph, KEY)
    assert arn in keys, f"{arn} is not a key this stack creates"
    return keys[arn]


def key_users_only_via(graph: Graph, key: RecordedResource) -> None:
    """Shared by every key: the deployer administers (and may delete), nobody else may
    delete or disable it, and administrators get no cryptographic use."""
    text = key.inputs["policy"]
    for action in ("kms:ScheduleKeyDeletion", "kms:DisableKey"):
        assert decision(text, Request(action, principal_arn=DEPLOYER_ROLE)) == "Allow"
        assert decision(text, Request(action, principal_arn=OUTSIDER)) == "Deny"
    assert decision(text, Request("kms:Decrypt", principal_arn=DEPLOYER_ROLE)) == "NotAllowed"


# --- the controls ---------------------------------------------------------------------------

def test_secrets_encryption(stack: str) -> None:
    graph = stack_graph(stack)
    config = graph.one(CLUSTER).inputs["encryptionConfig"]
    assert config["resources"] == ["secrets"]
    key = key_of(graph, config["provider"]["keyArn"])
    assert key.inputs["enableKeyRotation"] is True


def test_kms_key_policy(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    region = _region(graph)
    keys = graph.of_type(KEY)
    # Secrets (unless kmsKeyArn), control-plane logs, flow logs, node volumes (unless awsManaged).
    assert len(keys) == ((settings.kms_key_arn is None) + 1
                         + len(graph.of_type("aws:ec2/flowLog:FlowLog"))
                         + (settings.node_volume_kms_key == "customer"))
    for key in keys:
        key_users_only_via(graph, key)
        admins = next(s for s in statements(policy(key, "policy"))
                      if s["Effect"] == "Allow" and "kms:PutKeyPolicy" in as_list(s["Action"])
                      and "AWS" in s["Principal"] and ":root" not in str(s["Principal"]))
        assert set(as_list(admins["Principal"]["AWS"])) == {DEPLOYER_ROLE,
                                                           *settings.kms_key_admins}
    # The secrets key: the cluster role may decrypt only through EKS in this Region.
    cluster = graph.one(CLUSTER).inputs
    text = key_of(graph, cluster["encryptionConfig"]["provider"]["keyArn"]).inputs["policy"]
    via_eks = {"kms:ViaService": f"eks.{region}.amazonaws.com", "kms:CallerAccount": ACCOUNT}
    role = cluster["roleArn"]
    assert decision(text, Request("kms:Decrypt", principal_arn=role, context=via_eks)) == "Allow"
    assert decision(text, Request("kms:Decrypt", principal_arn=role, context={
        **via_eks, "kms:ViaService": f"s3.{region}.amazonaws.com"})) == "NotAllowed"


def test_control_plane_logs(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    types = set(graph.one(CLUSTER).inputs["enabledClusterLogTypes"])
    assert types == set(settings.logging)
    # CIS EKS 2.1.1: audit logs at least; staging and prod all five.
    assert types >= ({"api", "audit", "authenticator"} | (ALL_LOG_TYPES if strict(stack)
                                                          else set()))


def _logs_key_allows_only(graph: Graph, group: RecordedResource) -> None:
    """The group's key lets the Region's CloudWatch Logs use it for this group, not another
    (CloudWatch Logs user guide, encryption context `aws:logs:arn`)."""
    region = _region(graph)
    text = key_of(graph, group.inputs["kmsKeyId"]).inputs["policy"]
    arn = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group.inputs['name']}"
    service = f"logs.{region}.amazonaws.com"
    context = {"kms:EncryptionContext:aws:logs:arn": arn}
    assert decision(text, Request("kms:GenerateDataKey", service=service,
                                  context=context)) == "Allow"
    other = {"kms:EncryptionContext:aws:logs:arn": arn + "-other"}
    assert decision(text, Request("kms:GenerateDataKey", service=service,
                                  context=other)) == "NotAllowed"


def test_control_plane_log_retention(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    cluster = graph.one(CLUSTER)
    group = next(g for g in graph.of_type(LOG_GROUP)
                 if g.inputs["name"] == f"/aws/eks/{cluster.inputs['name']}/cluster")
    assert group.inputs["retentionInDays"] == settings.log_retention_days
    assert group.inputs["retentionInDays"] >= (365 if strict(stack) else 1)
    assert group.protect is settings.protect
    assert group.urn in cluster.dependencies  # exists before EKS would create it
    _logs_key_allows_only(graph, group)
    if stack == "prod":
        assert group.protect and group.inputs["retentionInDays"] >= 365


def test_private_endpoint(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    vpc = graph.one(CLUSTER).inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is (False if strict(stack) else
                                           settings.endpoint.public_access)


def test_private_nodes(stack: str) -> None:
    graph = stack_graph(stack)
    public = {f"{s.name}-id" for s in graph.of_type("aws:ec2/subnet:Subnet")
              if "kubernetes.io/role/elb" in s.inputs["tags"]}
    for group in graph.of_type("aws:eks/nodeGroup:NodeGroup"):
        assert not public & set(group.inputs["subnetIds"])


def test_network_policy(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    if settings.all_auto_mode:
        # Auto Mode's network policies are the NodeClass's (`networkPolicy`), not the CNI's;
        # the package leaves them at EKS's default, which only a lighter stack may.
        assert not strict(stack)
        return
    if settings.cni.mode == "managed":
        (addon,) = [a for a in graph.of_type("aws:eks/addon:Addon")
                    if a.inputs["addonName"] == "vpc-cni"]
        values = json.loads(addon.inputs["configurationValues"])
    else:
        values = graph.one("kubernetes:helm.sh/v3:Release").inputs["values"]
        # The chart's node agent (which enforces policies) stays on: its default is true.
        assert values.get("nodeAgent", {}).get("enabled", True) is True
    # Both the add-on's configuration schema and the chart take the string "true"/"false".
    assert values["enableNetworkPolicy"] == ("true" if strict(stack) else
                                             str(settings.cni.network_policy).lower())


def test_imdsv2(stack: str) -> None:
    for template in stack_graph(stack).of_type(LAUNCH_TEMPLATE):
        metadata = template.inputs["metadataOptions"]
        assert (metadata["httpTokens"], metadata["httpPutResponseHopLimit"]) == ("required", 1)


def test_node_volume_encryption(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    region = _region(graph)
    for spec in settings.node_groups:
        template = graph.one(LAUNCH_TEMPLATE, f"eks-{spec.name}-lt")
        mappings = template.inputs["blockDeviceMappings"]
        # Bottlerocket: OS on /dev/xvda, data on /dev/xvdb (Bottlerocket README, "Storage");
        # AL2023: one root volume on /dev/xvda.
        devices = {"/dev/xvda", "/dev/xvdb"} if spec.is_bottlerocket else {"/dev/xvda"}
        assert {m["deviceName"] for m in mappings} == devices
        for mapping in mappings:
            ebs = mapping["ebs"]
            assert ebs["encrypted"] == "true"
            if not strict(stack):
                continue
            text = key_of(graph, ebs["kmsKeyId"]).inputs["policy"]
            autoscaling = (f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/"
                           "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
            via_ec2 = {"kms:ViaService": f"ec2.{region}.amazonaws.com",
                       "kms:CallerAccount": ACCOUNT, "kms:GrantIsForAWSResource": "true"}
            assert decision(text, Request("kms:CreateGrant", principal_arn=autoscaling,
                                          context=via_ec2)) == "Allow"
            assert decision(text, Request("kms:CreateGrant", principal_arn=OUTSIDER,
                                          context=via_ec2)) == "NotAllowed"


def _node_policies(graph: Graph, group: str) -> set[str]:
    component = graph.one("eks-platform:nodegroup:ManagedNodeGroup", f"eks-{group}")
    return {r.inputs["policyArn"].rsplit("/", 1)[1] for r in graph.children(component)
            if r.type == ATTACHMENT}


def test_ecr_pull_only(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    for spec in settings.node_groups:
        policies = _node_policies(graph, spec.name)
        assert "AmazonEC2ContainerRegistryPullOnly" in policies
        assert "AmazonEC2ContainerRegistryReadOnly" not in policies


def test_no_cni_policy_on_nodes(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    for spec in settings.node_groups:
        assert ("AmazonEKS_CNI_Policy" in _node_policies(graph, spec.name)) is (
            settings.cni.iam == "nodeRole")
    assert settings.cni.iam != "nodeRole"


def test_ssm_opt_in(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    for spec in settings.node_groups:
        assert ("AmazonSSMManagedInstanceCore" in _node_policies(graph, spec.name)) is spec.ssm
    if strict(stack):
        assert not any(spec.ssm for spec in settings.node_groups)


def _pod_identity_associations(graph: Graph) -> list[tuple[str, str, str]]:
    """(namespace, service account, role ARN) of every association, add-on or resource."""
    found = [("kube-system", a["serviceAccount"], a["roleArn"])
             for addon in graph.of_type("aws:eks/addon:Addon")
             for a in addon.inputs.get("podIdentityAssociations") or []]
    found += [(r.inputs["namespace"], r.inputs["serviceAccount"], r.inputs["roleArn"])
              for r in graph.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")]
    return found


def test_pod_identity_trust(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    roles = by_arn(graph, ROLE)
    associations = _pod_identity_associations(graph)
    assert bool(associations) is (settings.cni.iam == "podIdentity" or settings.karpenter.enabled)
    for namespace, service_account, role_arn in associations:
        text = roles[role_arn].inputs["assumeRolePolicy"]
        (statement,) = statements(json.loads(text))
        assert statement["Principal"] == {"Service": "pods.eks.amazonaws.com"}
        assert set(as_list(statement["Action"])) == {"sts:AssumeRole", "sts:TagSession"}
        # The session tags EKS Pod Identity sets (EKS user guide, "Pod Identity" trust).
        tags = {"aws:SourceAccount": ACCOUNT,
                "aws:RequestTag/eks-cluster-arn": cluster_arn(graph),
                "aws:RequestTag/kubernetes-namespace": namespace,
                "aws:RequestTag/kubernetes-service-account": service_account}
        service = "pods.eks.amazonaws.com"
        assert decision(text, Request("sts:AssumeRole", service=service, context=tags)) == "Allow"
        for key, other in (("aws:RequestTag/kubernetes-service-account", "default"),
                           ("aws:RequestTag/kubernetes-namespace", "default"),
                           ("aws:RequestTag/eks-cluster-arn", cluster_arn(graph) + "-other"),
                           ("aws:SourceAccount", "999999999999")):
            assert decision(text, Request("sts:AssumeRole", service=service,
                                          context={**tags, key: other})) == "NotAllowed"
    # No role anywhere trusts Pod Identity without conditions.
    for role in graph.of_type(ROLE):
        for statement in statements(policy(role, "assumeRolePolicy")):
            if "pods.eks.amazonaws.com" in as_list(statement["Principal"].get("Service", [])):
                assert statement.get("Condition"), role.name


def test_access_entries(stack: str) -> None:
    graph = stack_graph(stack)
    assert graph.one(CLUSTER).inputs["accessConfig"]["authenticationMode"] == "API"
    assert not [r for r in graph if r.type.startswith("kubernetes:core/v1:ConfigMap")
                and "aws-auth" in r.name]


def test_cluster_admin_where_required(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    cluster = graph.one(CLUSTER)
    creator = cluster.inputs["accessConfig"]["bootstrapClusterCreatorAdminPermissions"]
    assert creator is (not settings.admins if settings.cluster_creator_admin is None
                       else settings.cluster_creator_admin)
    if strict(stack):
        assert settings.admins and creator is False
    admins = [a for a in graph.of_type("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
              if a.inputs["policyArn"].endswith("/AmazonEKSClusterAdminPolicy")]
    if stack == "prod":  # only break-glass is cluster-admin
        assert [a.inputs["principalArn"].rsplit("/", 1)[1] for a in admins] == ["break-glass"]
    # Changing the flag later must not replace the cluster (it is read only at creation).
    assert "accessConfig.bootstrapClusterCreatorAdminPermissions" in cluster.ignore_changes


def test_cluster_role_trust(stack: str) -> None:
    graph = stack_graph(stack)
    role = by_arn(graph, ROLE)[graph.one(CLUSTER).inputs["roleArn"]]
    (statement,) = statements(policy(role, "assumeRolePolicy"))
    assert statement["Principal"] == {"Service": "eks.amazonaws.com"}
    # EKS user guide: "Amazon EKS cluster IAM role" (AssumeRole); with Auto Mode
    # (auto-enable-existing.adoc) TagSession too.
    expected = ["sts:AssumeRole", "sts:TagSession"] if stack_settings(stack).auto_mode_on \
        else ["sts:AssumeRole"]
    assert as_list(statement["Action"]) == expected


def test_oidc_provider_only_for_irsa(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    irsa = [r for r in graph.of_type(ROLE) for s in statements(policy(r, "assumeRolePolicy"))
            if "sts:AssumeRoleWithWebIdentity" in as_list(s["Action"])]
    providers = graph.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert len(providers) == int(bool(irsa) or settings.oidc_provider)
    if settings.cni.iam == "podIdentity" and not settings.oidc_provider:
        assert providers == []


def test_vpc_flow_logs(stack: str) -> None:
    graph, settings = stack_graph(stack), stack_settings(stack)
    flow_logs = graph.of_type("aws:ec2/flowLog:FlowLog")
    vpcs = graph.of_type("aws:ec2/vpc:Vpc")
    if not strict(stack) or not vpcs:
        assert len(flow_logs) == (1 if vpcs and settings.vpc and
                                  settings.vpc.flow_logs.enabled else 0)
        return
    assert settings.vpc is not None
    (vpc,), (flow_log,) = vpcs, flow_logs
    inputs = flow_log.inputs
    assert (inputs["vpcId"], inputs["trafficType"], inputs["logDestinationType"]) == (
        f"{vpc.name}-id", "ALL", "cloud-watch-logs")
    group = next(g for g in graph.of_type(LOG_GROUP)
                 if inputs["logDestination"].endswith(f":log-group:{g.inputs['name']}"))
    assert group.inputs["retentionInDays"] == settings.vpc.flow_logs.retention_days >= 365
    assert group.protect is settings.protect
    _logs_key_allows_only(graph, group)
    role = by_arn(graph, ROLE)[inputs["iamRoleArn"]]
    (trust,) = statements(policy(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    (publish,) = [r for r in graph.of_type("aws:iam/rolePolicy:RolePolicy")
                  if r.inputs["role"] == role.name]
    actions = {a for s in statements(policy(publish, "policy")) for a in as_list(s["Action"])}
    assert "logs:PutLogEvents" in actions and "logs:CreateLogGroup" not in actions


def test_every_control_is_held_here() -> None:
    module = sys.modules[__name__]
    for control in security_controls.CONTROLS:
        name = "test_" + control.id.replace("-", "_")
        assert callable(getattr(module, name, None)), f"no graph test for {control.id}"


def test_prod_like_stacks_are_shipped() -> None:
    assert set(STACKS) > PROD_LIKE
