"""Label, taint and tag rules. Accepted/rejected examples for qualified names and label values
are the ones of Kubernetes apimachinery's validation_test.go; EKS limits from botocore."""

from __future__ import annotations

import pytest

from eks_platform.nodes.kubernetes_names import (
    label_value_problem,
    nodegroup_label_problem,
    qualified_name_problem,
    tag_problems,
    taint_problem,
)
from tests.aws_models import service_model

EKS = service_model("eks")


@pytest.mark.parametrize("key", [
    "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple",
    "now-with-dashes/simple", "now.with.dots/simple", "1-num.2-num/3-num", "1.2.3.4/5678",
    "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "a" * 63,
    "a" * 253 + "/" + "b" * 63,
])
def test_qualified_names_kubernetes_accepts(key: str) -> None:
    assert qualified_name_problem(key) is None


@pytest.mark.parametrize(("key", "message"), [
    ("nospecialchars%^=@", "'nospecialchars%^=@': the name part must consist of alphanumeric "
     "characters, '-', '_' or '.', starting and ending with an alphanumeric character"),
    ("cantendwithadash-", "'cantendwithadash-': the name part must consist of alphanumeric "
     "characters, '-', '_' or '.', starting and ending with an alphanumeric character"),
    ("only/one/slash", "'only/one/slash' has more than one '/': a key is [prefix/]name"),
    ("Example.com/abc", "'Example.com/abc': the prefix 'Example.com' must be a DNS subdomain "
     "(lower-case alphanumeric characters, '-' or '.', starting and ending with an "
     "alphanumeric character)"),
    ("example_com/abc", "'example_com/abc': the prefix 'example_com' must be a DNS subdomain "
     "(lower-case alphanumeric characters, '-' or '.', starting and ending with an "
     "alphanumeric character)"),
    ("example.com/", "'example.com/': the name part is empty"),
    ("/simple", "'/simple' has an empty prefix before '/'"),
    ("a" * 64, f"'{'a' * 64}': the name part is 64 characters, at most 63 allowed"),
    ("a" * 254 + "/abc", f"'{'a' * 254}/abc': the prefix is 254 characters, at most 253 allowed"),
])
def test_qualified_names_kubernetes_rejects(key: str, message: str) -> None:
    assert qualified_name_problem(key) == message


@pytest.mark.parametrize("value", ["", "simple", "now-with-dashes", "1-starts-with-num",
                                   "end-with-num-1", "1234", "a" * 63, "Uppercase_Is_OK_123"])
def test_label_values_kubernetes_accepts(value: str) -> None:
    assert label_value_problem(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("nospecialchars%^=@", "'nospecialchars%^=@' must be empty or consist of alphanumeric "
     "characters, '-', '_' or '.', starting and ending with an alphanumeric character"),
    ("Tama-nui-te-rā.is.Māori.sun", "'Tama-nui-te-rā.is.Māori.sun' must be empty or consist of "
     "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric "
     "character"),
    ("a" * 64, f"'{'a' * 64}' is 64 characters, at most 63 allowed"),
])
def test_label_values_kubernetes_rejects(value: str, message: str) -> None:
    assert label_value_problem(value) == message


def test_eks_limits_are_botocores() -> None:
    from eks_platform.nodes import kubernetes_names as names

    assert EKS.shape_for("labelKey").metadata["max"] == names.EKS_KEY_MAX
    assert EKS.shape_for("labelValue").metadata == {"min": 1, "max": names.EKS_VALUE_MAX}
    assert EKS.shape_for("taintKey").metadata == {"min": 1, "max": names.EKS_KEY_MAX}
    assert EKS.shape_for("taintValue").metadata == {"min": 0, "max": names.EKS_VALUE_MAX}
    assert tuple(EKS.shape_for("TaintEffect").enum) == names.TAINT_EFFECTS  # type: ignore[attr-defined]
    assert EKS.shape_for("TagMap").metadata["max"] == names.TAGS_MAX
    assert EKS.shape_for("TagKey").metadata["max"] == names.TAG_KEY_MAX
    assert EKS.shape_for("TagValue").metadata["max"] == names.TAG_VALUE_MAX


@pytest.mark.parametrize(("key", "value"), [
    ("role", "worker"), ("example.com/team", "data"), ("workload-type", "gpu")])
def test_nodegroup_labels_eks_accepts(key: str, value: str) -> None:
    assert nodegroup_label_problem(key, value) is None


@pytest.mark.parametrize(("key", "value", "message"), [
    ("node-role.kubernetes.io/worker", "true",  # eksctl #4007: CreateNodegroup's answer
     "label key 'node-role.kubernetes.io/worker' uses the reserved prefix kubernetes.io/: EKS "
     "node groups refuse labels under kubernetes.io/, k8s.io/, eks.amazonaws.com/"),
    ("k8s.io/thing", "x", "label key 'k8s.io/thing' uses the reserved prefix k8s.io/: EKS node "
     "groups refuse labels under kubernetes.io/, k8s.io/, eks.amazonaws.com/"),
    ("eks.amazonaws.com/nodegroup", "x", "label key 'eks.amazonaws.com/nodegroup' uses the "
     "reserved prefix eks.amazonaws.com/: EKS node groups refuse labels under kubernetes.io/, "
     "k8s.io/, eks.amazonaws.com/"),
    ("example.com/" + "a" * 60, "x", f"label key 'example.com/{'a' * 60}' is 72 characters; EKS "
     "allows at most 63 including the prefix"),
    ("role", "", "label 'role': EKS node group labels need a non-empty value"),
    ("role", "bad value", "label 'role' value 'bad value' must be empty or consist of "
     "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric "
     "character"),
    ("-role", "x", "label key '-role': the name part must consist of alphanumeric characters, "
     "'-', '_' or '.', starting and ending with an alphanumeric character"),
])
def test_nodegroup_labels_eks_rejects(key: str, value: str, message: str) -> None:
    assert nodegroup_label_problem(key, value) == message


def test_taints() -> None:
    assert taint_problem("dedicated", "gpu", "NO_SCHEDULE") is None
    assert taint_problem("example.com/spot", "", "PREFER_NO_SCHEDULE") is None
    assert taint_problem("dedicated", "gpu", "NoSchedule") == (
        "taint 'dedicated' effect 'NoSchedule' is not one of NO_SCHEDULE, NO_EXECUTE, "
        "PREFER_NO_SCHEDULE")
    assert taint_problem("dedicated", "a" * 64, "NO_SCHEDULE") == (
        f"taint 'dedicated' value '{'a' * 64}' is 64 characters, at most 63 allowed")
    assert taint_problem("a/b/c", "x", "NO_EXECUTE") == (
        "taint key 'a/b/c' has more than one '/': a key is [prefix/]name")
    assert taint_problem("example.com/" + "k" * 52, "", "NO_EXECUTE") == (
        f"taint key 'example.com/{'k' * 52}' is 64 characters; EKS allows at most 63 including "
        "the prefix")


def test_tags_aws_accepts_letters_numbers_spaces_and_its_symbols() -> None:
    assert tag_problems({"Team Name": "Platform", "cost-center:id": "a_b.c/d=e+f-g@h",
                         "Größe": "日本", "k" * 128: "v" * 256, "empty": ""}) == []


def test_tags_aws_rejects_each_rule() -> None:
    assert tag_problems({"aws:createdBy": "me", "AWS:x": "y", "k" * 129: "v",
                         "ok": "v" * 257, "bad#key": "v", "x": "semi;colon", "": "v",
                         "owner": "Aws:team"}) == [
        "tag key is empty",
        "tag key 'AWS:x': the aws: prefix is reserved for AWS",
        "tag key 'aws:createdBy': the aws: prefix is reserved for AWS",
        "tag key 'bad#key': only letters, numbers, spaces and _ . : / = + - @ are allowed",
        f"tag key '{'k' * 129}' is 129 characters, at most 128 allowed",
        "tag 'ok' value is 257 characters, at most 256 allowed",
        "tag 'owner' value 'Aws:team': the aws: prefix is reserved for AWS",
        "tag 'x' value 'semi;colon': only letters, numbers, spaces and _ . : / = + - @ are "
        "allowed",
    ]


def test_tags_at_most_fifty() -> None:
    assert tag_problems({f"k{i}": "v" for i in range(50)}) == []
    assert tag_problems({f"k{i}": "v" for i in range(51)}) == [
        "51 tags, at most 50 allowed per resource"]
