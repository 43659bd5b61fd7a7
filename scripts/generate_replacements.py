"""Regenerate `eks_platform/facts/replacements.json`: which inputs of each resource type the
package creates force a replacement, as the bridged provider decides it.

    .venv/bin/python scripts/generate_replacements.py --tf-source PATH [--output FILE] [--check]

PATH is a checkout (or a partial copy keeping the repository layout) of
hashicorp/terraform-provider-aws. For every AWS resource type in `TF_RESOURCES` whose Go file is
present under PATH, the script parses the resource's schema literal (SDKv2
`map[string]*schema.Schema{...}` or Plugin Framework `schema.Schema{Attributes: ...}`) with a
brace walker and records every attribute marked `ForceNew: true` (or given a plain
`RequiresReplace()` plan modifier), nested blocks included, under its Pulumi input path
(camelCase, pluralised where pulumi-aws pluralises, resolved against the installed pulumi_aws
SDK). Types whose file is absent from PATH keep their entry from the existing JSON, unchanged,
and the run says so: a partial copy refreshes only what it holds.

What a schema flag cannot say - replacements decided in CustomizeDiff or ModifyPlan code, the
per-resource `region` rule, the pulumi-aws patch fields, the Kubernetes provider's rules - is kept
here by hand in `CONDITIONAL_RULES`, `PATCH_FIELDS` and `KUBERNETES_TYPES`, each with the source
file it was read from; for hand rules on AWS files an `anchor` (a code fragment) is looked up in
the checkout to record the line, and a rule whose anchor is missing is reported for review.

`--check` regenerates in memory and exits 1 when the committed JSON differs (the `generated` date
aside).
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = ROOT / "eks_platform" / "facts" / "replacements.json"
COMMAND = "python scripts/generate_replacements.py --tf-source PATH"
SCHEMA_VERSION = 1

TF_REPOSITORY = "hashicorp/terraform-provider-aws"
#: What is known of the upstream version pulumi-aws 7.51.1 bridges (see the report in the JSON).
UPSTREAM_NOTE = (
    "pulumi-aws 7.51.1 builds terraform-provider-aws from its `upstream` git submodule plus the "
    "patches in pulumi-aws/patches; the submodule commit is not in the stored sources and the "
    "stored pulumi-aws provider/go.mod is an older copy, so the exact upstream tag could not be "
    "pinned. Pulumi PR #6392 (2026-05-22) moved pulumi-aws to upstream v6.46.0 and 7.51.1 is "
    "later, so the bridged upstream is v6.46.0 or newer. Each type records the stored copy of "
    "its file that was read; inputs the installed SDK has but that copy lacks are listed as "
    "`unverified` (newer than the copy) instead of being guessed."
)


@dataclass(frozen=True)
class TfSource:
    """Where a Pulumi resource type's Terraform schema lives."""

    resource: str
    file: str
    #: Which stored copy was read (commit, or the store's id when no commit was given).
    stored: str
    #: Parse the first schema literal after this text (default: the first in the file).
    anchor: str | None = None
    regional: bool = True


EKS, EC2, IAM = "internal/service/eks", "internal/service/ec2", "internal/service/iam"
TF_RESOURCES: Mapping[str, TfSource] = {
    "aws:cloudwatch/eventRule:EventRule": TfSource(
        "aws_cloudwatch_event_rule", "internal/service/events/rule.go",
        "0cdab4ae09a963535e03dde0bff4784afe8e3517"),
    "aws:cloudwatch/eventTarget:EventTarget": TfSource(
        "aws_cloudwatch_event_target", "internal/service/events/target.go",
        "0762c41e2027fcd3cb8340d3e6886c6975fc0a59"),
    "aws:cloudwatch/logGroup:LogGroup": TfSource(
        "aws_cloudwatch_log_group", "internal/service/logs/group.go",
        "0073593e7d6993ba482409f4dc35438daaa79bb3"),
    "aws:ec2/eip:Eip": TfSource(
        "aws_eip", f"{EC2}/ec2_eip.go", "01606926a0c0ab9174aec440f976a48b0baee722"),
    "aws:ec2/flowLog:FlowLog": TfSource(
        "aws_flow_log", f"{EC2}/vpc_flow_log.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39"),
    "aws:ec2/internetGateway:InternetGateway": TfSource(
        "aws_internet_gateway", f"{EC2}/vpc_internet_gateway.go",
        "08923b68b5ad6fcfdd38362fb5247e39a9b07add"),
    "aws:ec2/launchTemplate:LaunchTemplate": TfSource(
        "aws_launch_template", f"{EC2}/ec2_launch_template.go",
        "025e4f81cab8553cb052aebfcc5987e2aa8c702a"),
    "aws:ec2/natGateway:NatGateway": TfSource(
        "aws_nat_gateway", f"{EC2}/vpc_nat_gateway.go",
        "04088eaa54948421bf1ef7494ae2b2c01d9243e3"),
    "aws:ec2/route:Route": TfSource(
        "aws_route", f"{EC2}/vpc_route.go", "0128541e0711766f28540143a9d73738aced60aa"),
    "aws:ec2/routeTable:RouteTable": TfSource(
        "aws_route_table", f"{EC2}/vpc_route_table.go",
        "022092419b7cda11527df3c6b51cbfe1876c1722"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": TfSource(
        "aws_route_table_association", f"{EC2}/vpc_route_table_association.go",
        "0be71beb458ad8875e0acc5c91519c0ceeb214aa"),
    "aws:ec2/subnet:Subnet": TfSource(
        "aws_subnet", f"{EC2}/vpc_subnet.go", "00cda125a19d31754cb0d073cf551264c57955cb"),
    "aws:ec2/tag:Tag": TfSource(
        "aws_ec2_tag", f"{EC2}/tag.go",
        "not in the store; read from the pre-v4 aws/resource_aws_ec2_tag.go found by code "
        "search"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": TfSource(
        "aws_default_security_group", f"{EC2}/vpc_default_security_group.go",
        "01f431114674c27cf790fafb67ac274bf8f765e1"),
    "aws:ec2/vpc:Vpc": TfSource(
        "aws_vpc", f"{EC2}/vpc_.go", "00081ce41cc691433ac19bf42227cdabffd0454d"),
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": TfSource(
        "aws_vpc_ipv4_cidr_block_association", f"{EC2}/vpc_ipv4_cidr_block_association.go",
        "01606926a0c0ab9174aec440f976a48b0baee722"),
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": TfSource(
        "aws_ec2_transit_gateway_vpc_attachment", f"{EC2}/transitgateway_vpc_attachment.go",
        "08923b68b5ad6fcfdd38362fb5247e39a9b07add"),
    "aws:eks/accessEntry:AccessEntry": TfSource(
        "aws_eks_access_entry", f"{EKS}/access_entry.go",
        "01f431114674c27cf790fafb67ac274bf8f765e1"),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": TfSource(
        "aws_eks_access_policy_association", f"{EKS}/access_policy_association.go",
        "01f431114674c27cf790fafb67ac274bf8f765e1"),
    "aws:eks/addon:Addon": TfSource(
        "aws_eks_addon", f"{EKS}/addon.go", "00a35305dc1b297a6fcdecdfbba33f1e63c3da39"),
    "aws:eks/cluster:Cluster": TfSource(
        "aws_eks_cluster", f"{EKS}/cluster.go",
        "store id 4997342113 (no commit given; header 'Copyright IBM Corp. 2014, 2026')"),
    "aws:eks/fargateProfile:FargateProfile": TfSource(
        "aws_eks_fargate_profile", f"{EKS}/fargate_profile.go",
        "1455913b0c86ad67c9ffb9593ad446bab5d52a8f"),
    "aws:eks/nodeGroup:NodeGroup": TfSource(
        "aws_eks_node_group", f"{EKS}/node_group.go",
        "012e0a32f0686212f447447fd3d81c3d0ce256ad"),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": TfSource(
        "aws_eks_pod_identity_association", f"{EKS}/pod_identity_association.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39"),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": TfSource(
        "aws_iam_openid_connect_provider", f"{IAM}/openid_connect_provider.go",
        "01606926a0c0ab9174aec440f976a48b0baee722", regional=False),
    "aws:iam/policy:Policy": TfSource(
        "aws_iam_policy", f"{IAM}/policy.go", "01ccd9a2d118a3e81a9649759bf14303526dc9e6",
        regional=False),
    "aws:iam/role:Role": TfSource(
        "aws_iam_role", f"{IAM}/role.go", "0040ea6911af00bea2cca6dbb14e86829826ad8e",
        regional=False),
    "aws:iam/rolePolicy:RolePolicy": TfSource(
        "aws_iam_role_policy", f"{IAM}/role_policy.go",
        "02f97af85f89a04e8ed89f5e8b64a9a67f3cfe07", regional=False),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": TfSource(
        "aws_iam_role_policy_attachment", f"{IAM}/role_policy_attachment.go",
        "04c79849dbe7fbe76c3054b364357bcdaade9ac5", regional=False),
    "aws:kms/alias:Alias": TfSource(
        "aws_kms_alias", "internal/service/kms/alias.go",
        "01c08000ddb14181b5bd19201d8fca311dc570e4"),
    "aws:kms/key:Key": TfSource(
        "aws_kms_key", "internal/service/kms/key.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39"),
    "aws:sqs/queue:Queue": TfSource(
        "aws_sqs_queue", "internal/service/sqs/queue.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39"),
    "aws:sqs/queuePolicy:QueuePolicy": TfSource(
        "aws_sqs_queue_policy", "internal/service/sqs/queue_policy.go",
        "0148137dc6fb802b97b74036846777ab15c0f9ad"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": TfSource(
        "aws_vpc_security_group_ingress_rule", f"{EC2}/vpc_security_group_ingress_rule.go",
        "00a322094b4b9ade8a81b244345dbcf4b52ee8d6"),
}

REGION_FILE = "internal/provider/sdkv2/region.go"
#: Every regional resource gets this rule (terraform-provider-aws v6 per-resource Region).
REGION_RULE: Mapping[str, Any] = {
    "field": "region",
    "rule": "regionChanged",
    "note": "Changing `region` replaces the resource, except going from unset to the "
            "provider's region or back (interceptor forceNewIfRegionChanges).",
    "file": REGION_FILE,
    "anchor": "return d.ForceNew(names.AttrRegion)",
    "function": "forceNewIfRegionChanges",
}

#: Replacements decided in code, not by a schema flag. `rule` names the test
#: `eks_platform.facts.replacements` evaluates; `params` feed it.
CONDITIONAL_RULES: Mapping[str, Sequence[Mapping[str, Any]]] = {
    "aws:eks/cluster:Cluster": [
        {
            "field": "encryptionConfig",
            "rule": "removed",
            "note": "Removing envelope encryption replaces the cluster (it cannot be disabled); "
                    "adding it is an update (AssociateEncryptionConfig).",
            "file": f"{EKS}/cluster.go",
            "anchor": 'customdiff.ForceNewIfChange("encryption_config"',
            "function": "resourceCluster (CustomizeDiff)",
        },
        {
            "field": "computeConfig.nodeRoleArn",
            "rule": "eksComputeNodeRole",
            "note": "With computeConfig set before and after: replaces when an existing node "
                    "role changes to another value; setting a first role is an update, and so is "
                    "unsetting it when Auto Mode is disabled or nodePools is emptied in the same "
                    "change (validateAutoModeComputeConfigCustomizeDiff).",
            "file": f"{EKS}/cluster.go",
            "anchor": 'diff.ForceNew("compute_config.0.node_role_arn")',
            "function": "validateAutoModeComputeConfigCustomizeDiff",
        },
    ],
    "aws:ec2/vpc:Vpc": [
        {
            "field": "instanceTenancy",
            "rule": "changedExcept",
            "params": {"default": "default", "allowed": [["dedicated", "default"]]},
            "note": "Any tenancy change replaces the VPC except dedicated -> default "
                    "(resourceVPCCustomizeDiff).",
            "file": f"{EC2}/vpc_.go",
            "anchor": 'diff.ForceNew("instance_tenancy")',
            "function": "resourceVPCCustomizeDiff",
        },
        {
            "field": "cidrBlock",
            "rule": "ignoredWhenSet",
            "params": {"other": "ipv4NetmaskLength"},
            "note": "cidrBlock is ForceNew, but when ipv4NetmaskLength is set the block comes "
                    "from IPAM and a cidrBlock diff is cleared (resourceVPCCustomizeDiff).",
            "file": f"{EC2}/vpc_.go",
            "anchor": "return diff.Clear(names.AttrCIDRBlock)",
            "function": "resourceVPCCustomizeDiff",
        },
    ],
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": [
        {
            "field": "cidrBlock",
            "rule": "ignoredWhenSet",
            "params": {"other": "ipv4NetmaskLength"},
            "note": "cidrBlock is ForceNew, but when ipv4NetmaskLength is set the block comes "
                    "from IPAM and a cidrBlock diff is cleared (CustomizeDiff).",
            "file": f"{EC2}/vpc_ipv4_cidr_block_association.go",
            "anchor": "return diff.Clear(names.AttrCIDRBlock)",
            "function": "resourceVPCIPv4CIDRBlockAssociation (CustomizeDiff)",
        },
    ],
    "aws:ec2/subnet:Subnet": [
        {
            "field": "ipv6CidrBlock",
            "rule": "changedWhenOldTrue",
            "params": {"other": "assignIpv6AddressOnCreation"},
            "note": "Changing ipv6CidrBlock replaces the subnet when it was created with "
                    "assignIpv6AddressOnCreation = true; otherwise it is an update "
                    "(customdiff.ForceNewIf on ipv6_cidr_block).",
            "file": f"{EC2}/vpc_subnet.go",
            "anchor": 'customdiff.ForceNewIf("ipv6_cidr_block"',
            "function": "resourceSubnet (CustomizeDiff)",
        },
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [
        {
            "field": "cidrIpv4",
            "rule": "sourceKindChanged",
            "params": {"fields": ["cidrIpv4", "cidrIpv6", "prefixListId",
                                  "referencedSecurityGroupId"]},
            "note": "Changing which source attribute is set (cidrIpv4, cidrIpv6, prefixListId, "
                    "referencedSecurityGroupId) replaces the rule; changing its value is an "
                    "update (ModifyPlan: \"you cannot change the rule's source type\").",
            "file": f"{EC2}/vpc_security_group_ingress_rule.go",
            "anchor": "response.RequiresReplace = []path.Path{path.Root(old), path.Root(new)}",
            "function": "resourceSecurityGroupIngressRule.ModifyPlan",
        },
    ],
}

#: Fields added by pulumi-aws patches on top of upstream (their schema is in the patch).
PATCH_FIELDS: Mapping[str, Mapping[str, str]] = {
    "aws:eks/cluster:Cluster": {
        "defaultAddonsToRemoves": "pulumi/pulumi-aws patches/0008-Add-EKS-cluster-default_"
                                  "addons_to_remove.patch (Optional list, not ForceNew; the "
                                  "add-ons are removed once, at create)",
    },
}

#: Facts that could not be read from a source copy that has the field; kept as notes so the
#: plan can say why a field is `unverified`.
NOTES: Mapping[str, Sequence[str]] = {
    "aws:eks/cluster:Cluster": [
        "`version` is an update (UpdateClusterVersion), never a replacement: a lower version "
        "is sent as an update too, and EKS refuses it (outside its own rollback offer).",
        "Fields newer than the copy read (control-plane egress mode, kube-apiserver, "
        "kube-controller-manager and kube-scheduler configs, Outposts etcd settings and "
        "spread levels) are `unverified`. A third-party write-up of upstream main "
        "(2026-08-14) reports outpostConfig.etcdInstanceType and the two spreadLevel fields as "
        "ForceNew, and a CUSTOMER_ROUTED -> AWS_MANAGED change of "
        "vpcConfig.controlPlaneEgressMode as replacing; not confirmed from source here.",
        "In this copy vpcConfig.subnetIds and securityGroupIds are updatable (older providers "
        "had them ForceNew) and remoteNetworkConfig is updatable (older copies had it and its "
        "cidrs ForceNew).",
    ],
    "aws:eks/nodeGroup:NodeGroup": [
        "`version` and `releaseVersion` and the launch template `version` are updates "
        "(UpdateNodegroupVersion); the launch template id/name replace.",
    ],
    "aws:eks/addon:Addon": [
        "namespaceConfig is newer than the copy read: `unverified` (EKS only sets an add-on's "
        "namespace at create, so expect a replacement).",
    ],
    "aws:ec2/launchTemplate:LaunchTemplate": [
        "Every launch-template-data change creates a new template version in place "
        "(CreateLaunchTemplateVersion); only the name replaces.",
    ],
    "aws:ec2/tag:Tag": [
        "internal/service/ec2's aws_ec2_tag file is not in the stored sources; resource_id and "
        "key ForceNew, value updatable were read from the pre-v4 aws/resource_aws_ec2_tag.go.",
    ],
}

#: Pulumi Kubernetes provider rules (pulumi/pulumi-kubernetes, provider/pkg/provider):
#: `Diff` uses `.metadata.name`/`.metadata.namespace` for Patch resources and
#: `forceNewProperties(gvk)` otherwise (only metadata for kinds without a table entry, which
#: is every CRD kind); the Helm Release diff uses `.name`/`.namespace`; `DiffConfig` decides
#: the provider's own replacement.
K8S_SOURCE: Mapping[str, Any] = {
    "repository": "pulumi/pulumi-kubernetes",
    "sdk": "pulumi-kubernetes 4.34.2",
    "files": {
        "provider/pkg/provider/provider.go": "010f5d8e95e3cc9a384442e8239310d51fdc052e "
                                             "(Diff, DiffConfig)",
        "provider/pkg/provider/diff.go": "00302beb58ae08591f0c8b0b065871c50ba35250 "
                                         "(forceNewProperties, metadataForceNewProperties)",
        "provider/pkg/provider/helm_release.go": "store id 1330796469 (helmReleaseProvider.Diff)",
    },
}
_CR_NOTES = [
    "Custom resources replace on metadata.name or metadata.namespace (diff.go has no table "
    "entry for CRD kinds). For a namespaced kind an unset namespace equals \"default\"; a "
    "cluster-scoped kind's namespace is ignored. A name equal to the previous generateName "
    "result does not replace.",
]
_PATCH_NOTES = [
    "Patch resources replace only on metadata.name or metadata.namespace; every other change "
    "is a server-side-apply update (kinds.IsPatchResource in Diff).",
]
KUBERNETES_TYPES: Mapping[str, Mapping[str, Any]] = {
    **{token: {"replaceOn": ["metadata.name", "metadata.namespace"], "notes": _CR_NOTES}
       for token in ("kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig",
                     "kubernetes:karpenter.sh/v1:NodePool",
                     "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")},
    **{token: {"replaceOn": ["metadata.name", "metadata.namespace"], "notes": _PATCH_NOTES}
       for token in ("kubernetes:apps/v1:DaemonSetPatch",
                     "kubernetes:core/v1:ServiceAccountPatch",
                     "kubernetes:core/v1:ConfigMapPatch",
                     "kubernetes:rbac.authorization.k8s.io/v1:ClusterRolePatch",
                     "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch")},
    "kubernetes:helm.sh/v3:Release": {
        "replaceOn": ["name", "namespace"],
        "optionalComputed": ["name"],
        "notes": [
            "A Release replaces on `name` or `namespace` (forceNewFields in "
            "helmReleaseProvider.Diff); chart, version, values and the rest are helm upgrades. "
            "An unset name keeps the previous (auto) name (adoptOldNameIfUnnamed); an unset "
            "namespace is the provider's default namespace.",
        ],
    },
    "pulumi:providers:kubernetes": {
        "replaceOn": [],
        "conditional": [
            {
                "field": "kubeconfig",
                "rule": "kubernetesProvider",
                "note": "DiffConfig: a changed clusterIdentifier (set before and after) "
                        "replaces; a set, unchanged clusterIdentifier suppresses every "
                        "replacement; an unknown kubeconfig/context/cluster replaces; a change "
                        "of renderYamlToDirectory replaces; otherwise kubeconfig/context/cluster "
                        "changes replace only when the kubeconfig's active cluster changes. A "
                        "replaced provider replaces every Kubernetes resource it manages.",
                "file": "provider/pkg/provider/provider.go",
                "function": "kubeProvider.DiffConfig",
            },
        ],
        "notes": [],
    },
}


# --------------------------------------------------------------------------- Go scanning


def _skip_literal(text: str, i: int) -> int:
    """Index just past the string, rune or comment starting at `i` (or `i` when none does)."""
    c = text[i]
    if c == '"' or c == "'":
        j = i + 1
        while j < len(text) and text[j] != c:
            j += 2 if text[j] == "\\" else 1
        return j + 1
    if c == "`":
        return text.index("`", i + 1) + 1
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        return text.index("*/", i + 2) + 2
    return i


def matching_brace(text: str, open_at: int) -> int:
    """Index of the `}` that closes the `{` at `open_at`."""
    depth, i = 0, open_at
    while i < len(text):
        j = _skip_literal(text, i)
        if j != i:
            i = j
            continue
        if text[i] in "{([":
            depth += 1
        elif text[i] in "})]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced brace at offset {open_at}")


def split_top_level(body: str) -> list[str]:
    """The comma-separated items of a composite literal's body (comments dropped)."""
    items: list[str] = []
    out: list[str] = []
    depth, i = 0, 0
    while i < len(body):
        j = _skip_literal(body, i)
        if j != i:
            if not body.startswith(("//", "/*"), i):
                out.append(body[i:j])
            i = j
            continue
        c = body[i]
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        if c == "," and depth == 0:
            items.append("".join(out).strip())
            out = []
        else:
            out.append(c)
        i += 1
    items.append("".join(out).strip())
    return [item for item in items if item]


def split_key_value(item: str) -> tuple[str, str] | None:
    """`Key: value` at depth 0 -> (key, value)."""
    depth, i = 0, 0
    while i < len(item):
        j = _skip_literal(item, i)
        if j != i:
            i = j
            continue
        c = item[i]
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == ":" and depth == 0:
            return item[:i].strip(), item[i + 1:].strip()
        i += 1
    return None


def literal_body(value: str) -> str | None:
    """The body of a composite literal value (`{...}`, `&schema.Schema{...}`, `T{...}`)."""
    match = re.match(r"&?[\w.\[\]*]*\s*\{", value)
    if match is None:
        return None
    open_at = match.end() - 1
    return value[open_at + 1:matching_brace(value, open_at)]


def fields_of(body: str) -> dict[str, str]:
    pairs = (split_key_value(item) for item in split_top_level(body))
    return dict(p for p in pairs if p is not None)


# --------------------------------------------------------------------------- names

_ACRONYMS = sorted(
    ("ARNs", "ARN", "IDs", "ID", "VPC", "CIDR", "IAM", "KMS", "URL", "IPv4", "IPv6", "IP",
     "DNS", "SSH", "AMI", "EKS", "SQS", "SNS", "JSON", "TLS", "HTTP", "HTTPS", "ACL", "TTL"),
    key=len, reverse=True)


def attr_constant_name(constant: str) -> str:
    """`names.AttrSubnetIDs` -> `subnet_ids` (the `names` package's naming rule)."""
    text, words, i = constant.removeprefix("names.").removeprefix("Attr"), [], 0
    while i < len(text):
        for acronym in _ACRONYMS:
            end = i + len(acronym)
            if text.startswith(acronym, i) and (end == len(text) or not text[end].islower()):
                words.append(acronym.lower())
                i = end
                break
        else:
            match = re.match(r"[A-Z]?[a-z0-9]+|[A-Z]", text[i:])
            if match is None:
                raise ValueError(f"cannot name {constant!r}")
            words.append(match.group().lower())
            i += match.end()
    return "_".join(words)


def go_constants(text: str) -> dict[str, str]:
    """String constants declared in the file (`const x = "y"` and `const ( ... )` blocks)."""
    return dict(re.findall(r'(?m)^\s*(?:const\s+)?(\w+)\s*=\s*"([^"]*)"\s*$', text))


def key_name(key: str, constants: Mapping[str, str]) -> str | None:
    if key.startswith('"'):
        return str(json.loads(key))
    if key.startswith("names.Attr"):
        return attr_constant_name(key)
    return constants.get(key)


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def pulumi_name(tf_name: str, prefix: str, sdk_paths: frozenset[str]) -> str | None:
    """The SDK's name for a TF attribute (pulumi-aws pluralises singular list names)."""
    base = camel(tf_name)
    candidates = [base, base + "s", base[:-1] + "ies" if base.endswith("y") else "", base + "es"]
    for candidate in filter(None, candidates):
        if prefix + candidate in sdk_paths:
            return candidate
    return None


# --------------------------------------------------------------------------- schema parsing


@dataclass
class Attribute:
    force_new: bool = False
    computed: bool = False
    is_set: bool = False
    conditional_modifier: bool = False
    children: dict[str, Attribute] = field(default_factory=dict)


#: A schema map literal; not the `func() map[string]*schema.Schema {` of a SchemaFunc.
_SDK_MAP = re.compile(r"(?<!func\(\) )map\[string\]\*schema\.Schema\s*\{")
#: A Plugin Framework schema literal (`*schema.Schema` is the SDKv2 pointer type).
_FW_SCHEMA = re.compile(r"(?<![*\w])(?:schema|tfsdk)\.Schema\s*\{")


def parse_map(
    body: str, constants: Mapping[str, str], warn: list[str],
    parse_attribute: Callable[[str, Mapping[str, str], list[str]], Attribute],
) -> dict[str, Attribute]:
    """`name: attribute` pairs of a schema map literal, each value read by `parse_attribute`
    (SDKv2's `*schema.Schema` or the Plugin Framework's attribute types)."""
    attributes: dict[str, Attribute] = {}
    for item in split_top_level(body):
        pair = split_key_value(item)
        if pair is None:
            continue
        name = key_name(pair[0], constants)
        if name is None:
            warn.append(f"cannot resolve schema key {pair[0]!r}")
            continue
        attributes[name] = parse_attribute(pair[1], constants, warn)
    return attributes


def parse_sdk_map(
    body: str, constants: Mapping[str, str], warn: list[str]
) -> dict[str, Attribute]:
    return parse_map(body, constants, warn, parse_sdk_attribute)


def parse_sdk_attribute(value: str, constants: Mapping[str, str], warn: list[str]) -> Attribute:
    body = literal_body(value)
    if body is None:  # a helper call such as tftags.TagsSchema()
        return Attribute()
    fields = fields_of(body)
    attribute = Attribute(
        force_new=fields.get("ForceNew") == "true",
        computed=fields.get("Computed") == "true",
        is_set=fields.get("Type") == "schema.TypeSet",
    )
    elem = fields.get("Elem", "")
    if elem.startswith("&schema.Resource"):
        resource_body = literal_body(elem) or ""
        schema = fields_of(resource_body).get("Schema")
        nested = literal_body(schema) if schema else None
        if nested is None:
            warn.append(f"nested block not read: {elem[:60]!r}")
        else:
            attribute.children = parse_sdk_map(nested, constants, warn)
    return attribute


def parse_fw_map(
    body: str, constants: Mapping[str, str], warn: list[str]
) -> dict[str, Attribute]:
    return parse_map(body, constants, warn, parse_fw_attribute)


def parse_fw_attribute(value: str, constants: Mapping[str, str], warn: list[str]) -> Attribute:
    body = literal_body(value)
    if body is None:
        return Attribute()
    type_name = value.split("{", 1)[0]
    fields = fields_of(body)
    modifiers = fields.get("PlanModifiers", "")
    attribute = Attribute(
        force_new=re.search(r"\bRequiresReplace\(\)", modifiers) is not None,
        computed=fields.get("Computed") == "true",
        is_set="Set" in type_name or "SetType" in fields.get("Type", ""),
        conditional_modifier=re.search(r"\bRequiresReplaceIf\w*\(", modifiers) is not None,
    )
    nested = fields.get("NestedObject")
    if nested:
        attribute.children = parse_fw_schema_body(literal_body(nested) or "", constants, warn)
    return attribute


def parse_fw_schema_body(
    body: str, constants: Mapping[str, str], warn: list[str]
) -> dict[str, Attribute]:
    fields = fields_of(body)
    attributes: dict[str, Attribute] = {}
    for key in ("Attributes", "Blocks"):
        if key in fields:
            attributes |= parse_fw_map(literal_body(fields[key]) or "", constants, warn)
    return attributes


def parse_schema(text: str, anchor: str | None, warn: list[str]) -> dict[str, Attribute]:
    """The attributes of the first schema literal after `anchor` in a Go file."""
    start = text.find(anchor) if anchor else 0
    if start < 0:
        raise ValueError(f"anchor {anchor!r} not in file")
    constants = go_constants(text)
    sdk, fw = _SDK_MAP.search(text, start), _FW_SCHEMA.search(text, start)
    if sdk is not None and (fw is None or sdk.start() < fw.start()):
        open_at = sdk.end() - 1
        return parse_sdk_map(text[open_at + 1:matching_brace(text, open_at)], constants, warn)
    if fw is not None:
        open_at = fw.end() - 1
        return parse_fw_schema_body(
            text[open_at + 1:matching_brace(text, open_at)], constants, warn)
    raise ValueError("no schema literal found")


# --------------------------------------------------------------------------- SDK input paths


def sdk_input_paths(token: str) -> frozenset[str]:
    """Every input path (camelCase) of a pulumi_aws resource, nested Args types included."""
    import pulumi_aws  # noqa: F401 - the resource modules import lazily through it

    module_name, class_name = token.split(":")[1].split("/")[0], token.split(":")[2]
    module = __import__(f"pulumi_aws.{module_name}", fromlist=[class_name + "Args"])
    return frozenset(_args_paths(getattr(module, class_name + "Args"), "", 0))


def _args_paths(cls: type, prefix: str, depth: int) -> Iterator[str]:
    for _, member in inspect.getmembers(cls, lambda m: isinstance(m, property)):
        getter = member.fget
        name = getattr(getter, "_pulumi_name", None)
        if name is None or name[:1].isupper():  # policy-document helper types
            continue
        yield prefix + name
        annotation = str(getattr(getter, "__annotations__", {}).get("return", ""))
        module = sys.modules[getter.__module__]
        package = sys.modules[module.__name__.rsplit(".", 1)[0]]
        for nested in re.findall(r"(\w+Args)\b", annotation):
            nested_cls = getattr(module, nested, None) or getattr(package, nested, None)
            if isinstance(nested_cls, type) and depth < 8:
                yield from _args_paths(nested_cls, f"{prefix}{name}.", depth + 1)


# --------------------------------------------------------------------------- generation


@dataclass
class Parsed:
    replace_on: set[str] = field(default_factory=set)
    computed: set[str] = field(default_factory=set)
    sets: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)


def flatten(
    attributes: Mapping[str, Attribute], sdk_paths: frozenset[str], warn: list[str],
    prefix: str = "", parsed: Parsed | None = None,
) -> Parsed:
    parsed = parsed if parsed is not None else Parsed()
    for tf_name, attribute in attributes.items():
        if tf_name == "tags_all" or (tf_name == "id" and not prefix):
            continue
        name = pulumi_name(tf_name, prefix, sdk_paths)
        if name is None:  # computed-only attributes are outputs, not inputs
            if attribute.force_new:
                warn.append(f"ForceNew {prefix}{tf_name} has no SDK input")
            continue
        path = prefix + name
        parsed.known.add(path)
        if attribute.conditional_modifier:
            warn.append(f"{path}: RequiresReplaceIf modifier needs a hand rule")
        if attribute.computed:
            parsed.computed.add(path)
        if attribute.force_new:
            parsed.replace_on.add(path)
            if attribute.is_set:
                parsed.sets.add(path)
        flatten(attribute.children, sdk_paths, warn, path + ".", parsed)
    return parsed


def optional_computed(parsed: Parsed) -> list[str]:
    """Optional+Computed inputs that are, or hold, replace-forcing inputs: removing one from the
    inputs keeps the provider's current value instead of diffing against nothing."""
    return sorted(p for p in parsed.computed
                  if any(r == p or r.startswith(p + ".") for r in parsed.replace_on))


def locate(checkout: Path, file: str, anchor: str | None) -> int | None:
    path = checkout / file
    if anchor is None or not path.is_file():
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if anchor in line:
            return number
    return None


def hand_rules(
    token: str, checkout: Path, previous: Mapping[str, Any], warn: list[str]
) -> list[dict[str, Any]]:
    rules = list(CONDITIONAL_RULES.get(token, ()))
    source = TF_RESOURCES.get(token)
    if source is not None and source.regional:
        rules.append(REGION_RULE)
    old_lines = {(r["field"], r["rule"]): r.get("line") for r in previous.get("conditional", ())}
    out = []
    for rule in rules:
        entry = {k: v for k, v in rule.items() if k != "anchor"}
        line = locate(checkout, rule["file"], rule.get("anchor"))
        if line is None and (checkout / rule["file"]).is_file():
            warn.append(f"{rule['field']} rule: anchor not found in {rule['file']} (a partial "
                        f"copy, or the code moved: review the rule)")
        entry["line"] = line if line is not None else old_lines.get((rule["field"], rule["rule"]))
        out.append(entry)
    return out


def generate(
    checkout: Path, existing: Mapping[str, Any], today: str
) -> tuple[dict[str, Any], list[str]]:
    """The JSON document, and what the run has to say about it."""
    report: list[str] = []
    old_types: Mapping[str, Any] = existing.get("types", {})
    types: dict[str, Any] = {}
    for token, source in sorted(TF_RESOURCES.items()):
        warn: list[str] = []
        path = checkout / source.file
        previous = old_types.get(token, {})
        if path.is_file():
            sdk_paths = sdk_input_paths(token)
            parsed = flatten(parse_schema(path.read_text(encoding="utf-8"), source.anchor, warn),
                             sdk_paths, warn)
            patched = set(PATCH_FIELDS.get(token, {}))
            covered = parsed.known | patched | {"region", "tags"}
            unverified = sorted(p for p in sdk_paths
                                if p not in covered and not any(
                                    p.startswith(k + ".") for k in parsed.replace_on))
            entry: dict[str, Any] = {
                "tfResource": source.resource,
                "source": {"file": source.file, "stored": source.stored,
                           "derivedFrom": "parsed by scripts/generate_replacements.py"},
                "replaceOn": sorted(parsed.replace_on),
                "optionalComputed": optional_computed(parsed),
                "sets": sorted(parsed.sets),
            }
            report.append(f"parsed    {token} <- {source.file}")
        elif previous:
            entry = {k: previous[k] for k in ("tfResource", "source", "replaceOn",
                                              "optionalComputed", "sets")}
            unverified = list(previous.get("unverified", []))
            report.append(f"kept      {token} ({source.file} not under {checkout})")
        else:
            raise SystemExit(f"{token}: {source.file} is not under {checkout} and the existing "
                             f"JSON has no entry to keep")
        entry["conditional"] = hand_rules(token, checkout, previous, warn)
        entry["unverified"] = unverified
        if token in PATCH_FIELDS:
            entry["pulumiPatchFields"] = dict(PATCH_FIELDS[token])
        entry["notes"] = list(NOTES.get(token, ()))
        types[token] = entry
        report += [f"  warning: {token}: {w}" for w in warn]
    for token, k8s in sorted(KUBERNETES_TYPES.items()):
        types[token] = {
            "source": {"repository": K8S_SOURCE["repository"],
                       "derivedFrom": "hand-noted in scripts/generate_replacements.py"},
            "replaceOn": list(k8s["replaceOn"]),
            "optionalComputed": list(k8s.get("optionalComputed", [])),
            "sets": [],
            "conditional": [dict(r) for r in k8s.get("conditional", ())],
            "unverified": [],
            "notes": list(k8s["notes"]),
        }
    document = {
        "schemaVersion": SCHEMA_VERSION,
        "source": {
            "command": COMMAND,
            "generated": today,
            "aws": {
                "repository": TF_REPOSITORY,
                "bridgedBy": "pulumi-aws 7.51.1 (pulumi_aws Python SDK, its input names)",
                "upstreamVersion": "v6.46.0 or newer (exact tag not determinable here)",
                "note": UPSTREAM_NOTE,
                "sharedFiles": {
                    REGION_FILE: "0073593e7d6993ba482409f4dc35438daaa79bb3",
                    "pulumi/pulumi-aws patches/0008-Add-EKS-cluster-default_addons_to_remove"
                    ".patch": "0ef06f4a2dcd9cc255d611b05884dc3f747f764d",
                },
            },
            "kubernetes": K8S_SOURCE,
        },
        "types": types,
    }
    return document, report


def comparable(document: Mapping[str, Any]) -> Any:
    copy = json.loads(json.dumps(document))
    copy["source"].pop("generated", None)
    return copy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tf-source", type=Path, required=True,
                        help="terraform-provider-aws checkout (or partial copy) root")
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the output file differs from what would be written")
    parser.add_argument("--date", help="generated date (default: today, UTC)")
    args = parser.parse_args(argv)

    existing = (json.loads(args.output.read_text(encoding="utf-8"))
                if args.output.is_file() else {})
    today = args.date or datetime.now(UTC).date().isoformat()
    document, report = generate(args.tf_source, existing, today)
    print("\n".join(report))
    if args.check:
        if comparable(document) != comparable(existing):
            print(f"{args.output} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        print(f"{args.output} is current")
        return 0
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
