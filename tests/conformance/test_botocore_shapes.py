"""The request harness runs botocore's own checks and adds the enum, pattern and max checks
that botocore leaves to the service."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.botocore_shapes import (
    compiled_pattern,
    operation_model,
    uncheckable_patterns,
    validate_request,
)


def create_cluster() -> dict[str, Any]:
    return {
        "name": "dev",
        "version": "1.35",
        "roleArn": "arn:aws:iam::123456789012:role/dev-cluster",
        "resourcesVpcConfig": {
            "subnetIds": ["subnet-0a", "subnet-0b"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        "kubernetesNetworkConfig": {"ipFamily": "ipv4", "serviceIpv4Cidr": "172.20.0.0/16"},
        "accessConfig": {
            "authenticationMode": "API",
            "bootstrapClusterCreatorAdminPermissions": False,
        },
        "bootstrapSelfManagedAddons": False,
        "logging": {"clusterLogging": [{"types": ["api", "audit"], "enabled": True}]},
        "tags": {"env": "dev"},
    }


def test_a_valid_create_cluster_passes() -> None:
    assert validate_request("eks", "CreateCluster", create_cluster()) == []
    assert validate_request("eks", "create_cluster", create_cluster()) == []


def test_a_bad_enum_is_refused() -> None:
    request = create_cluster()
    request["accessConfig"]["authenticationMode"] = "API_AND_CONFIGMAP"
    request["logging"]["clusterLogging"][0]["types"].append("controlplane")
    assert validate_request("eks", "CreateCluster", request) == [
        "accessConfig.authenticationMode: 'API_AND_CONFIGMAP' is not one of "
        "['API', 'API_AND_CONFIG_MAP', 'CONFIG_MAP']",
        "logging.clusterLogging[0].types[2]: 'controlplane' is not one of "
        "['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']",
    ]


def test_pattern_and_max_are_checked() -> None:
    request = create_cluster()
    request["name"] = "-dev"
    request["tags"] = {f"key{i}": "v" for i in range(51)}
    problems = validate_request("eks", "CreateCluster", request)
    assert problems == [
        "name: '-dev' does not match the pattern '^[0-9A-Za-z][A-Za-z0-9\\\\-_]*'",
        "tags: size 51 is more than the maximum 50",
    ]
    assert validate_request(
        "iam", "CreateRole", {"RoleName": "r" * 65, "AssumeRolePolicyDocument": "{}"}
    ) == ["RoleName: length 65 is more than the maximum 64"]


def test_unicode_class_patterns_are_checked() -> None:
    # IAM tag keys: [\p{L}\p{Z}\p{N}_.:/=+\-@]+, which Python's `re` cannot compile.
    tag = {"Key": "#!", "Value": "platform"}  # patterns are not anchored: no char allowed
    request = {"RoleName": "dev", "AssumeRolePolicyDocument": "{}", "Tags": [tag]}
    problems = validate_request("iam", "CreateRole", request)
    assert problems == [
        "Tags[0].Key: '#!' does not match the pattern '[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]+'"
    ]
    tag["Key"] = "équipe"
    assert validate_request("iam", "CreateRole", request) == []


def test_botocores_own_checks_come_first() -> None:
    request = create_cluster()
    del request["roleArn"]
    request["version"] = 1.35
    request["resourcesVpcConfig"]["subnetIds"] = []
    request["deletionProtectionn"] = True
    problems = validate_request("eks", "CreateCluster", request)
    assert problems[0] == 'Missing required parameter in input: "roleArn"'
    assert problems[1].startswith('Unknown parameter in input: "deletionProtectionn"')
    assert problems[2].startswith("Invalid type for parameter version, value: 1.35")
    assert len(problems) == 3, problems


def test_operations_by_either_name_and_unknown_ones() -> None:
    assert operation_model("kms", "put_key_policy").name == "PutKeyPolicy"
    with pytest.raises(KeyError, match="eks has no operation 'CreateKluster'"):
        validate_request("eks", "CreateKluster", {})


def test_every_pattern_of_the_services_the_package_calls_is_checkable() -> None:
    services = ["eks", "ec2", "iam", "kms", "logs", "events", "sqs", "sts", "ssm"]
    assert {s: uncheckable_patterns(s) for s in services} == {s: [] for s in services}
    # ECMA 262 surrogate-pair ranges become astral ranges.
    pattern = compiled_pattern("^[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF]*$")
    assert pattern is not None and pattern.search("ok \U0001f600")
