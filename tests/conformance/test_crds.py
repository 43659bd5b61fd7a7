"""The CRD harness accepts valid Karpenter and ENIConfig objects and refuses what the API
server refuses: schema violations, CEL rule failures, unknown fields, bad metadata."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conformance.crds import Counter, crd_for, load_crd, validate, vendored_crd


def nodepool() -> dict[str, Any]:
    return {
        "apiVersion": "karpenter.sh/v1",
        "kind": "NodePool",
        "metadata": {"name": "general", "labels": {"app.kubernetes.io/managed-by": "pulumi"}},
        "spec": {
            "template": {
                "metadata": {"labels": {"team": "platform"}},
                "spec": {
                    "nodeClassRef": {
                        "group": "karpenter.k8s.aws",
                        "kind": "EC2NodeClass",
                        "name": "default",
                    },
                    "requirements": [
                        {
                            "key": "karpenter.sh/capacity-type",
                            "operator": "In",
                            "values": ["spot", "on-demand"],
                        },
                        {
                            "key": "karpenter.k8s.aws/instance-generation",
                            "operator": "Gt",
                            "values": ["2"],
                        },
                        {
                            "key": "kubernetes.io/arch",
                            "operator": "In",
                            "values": ["amd64"],
                            "minValues": 1,
                        },
                    ],
                    "taints": [{"key": "dedicated", "value": "team-a", "effect": "NoSchedule"}],
                    "expireAfter": "720h",
                },
            },
            "limits": {"cpu": 1000, "memory": "1000Gi"},
            "disruption": {
                "consolidationPolicy": "WhenEmptyOrUnderutilized",
                "consolidateAfter": "1m",
                "budgets": [
                    {"nodes": "10%"},
                    {"nodes": "0", "schedule": "0 9 * * mon-fri", "duration": "8h"},
                ],
            },
        },
    }


def ec2nodeclass() -> dict[str, Any]:
    discovery = {"karpenter.sh/discovery": "dev"}
    return {
        "apiVersion": "karpenter.k8s.aws/v1",
        "kind": "EC2NodeClass",
        "metadata": {"name": "default"},
        "spec": {
            "role": "dev-karpenter-node",
            "amiSelectorTerms": [{"alias": "al2023@latest"}],
            "subnetSelectorTerms": [{"tags": discovery}],
            "securityGroupSelectorTerms": [{"tags": discovery}],
            "kubelet": {"maxPods": 110, "kubeReserved": {"memory": "1465Mi", "cpu": "80m"}},
            "blockDeviceMappings": [
                {
                    "deviceName": "/dev/xvda",
                    "rootVolume": True,
                    "ebs": {"volumeSize": "50Gi", "volumeType": "gp3", "encrypted": True},
                }
            ],
            "metadataOptions": {"httpTokens": "required", "httpPutResponseHopLimit": 1},
            "tags": {"team": "platform"},
        },
    }


def nodeclaim() -> dict[str, Any]:
    return {
        "apiVersion": "karpenter.sh/v1",
        "kind": "NodeClaim",
        "metadata": {"name": "general-abcde"},
        "spec": {
            "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "x"},
            "requirements": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}],
        },
    }


def eniconfig() -> dict[str, Any]:
    return {
        "apiVersion": "crd.k8s.amazonaws.com/v1alpha1",
        "kind": "ENIConfig",
        "metadata": {"name": "us-east-1a"},
        "spec": {"subnet": "subnet-0123456789abcdef0", "securityGroups": ["sg-0123"]},
    }


def test_valid_objects_pass(crd_counter: Counter) -> None:
    for obj in (nodepool(), ec2nodeclass(), nodeclaim(), eniconfig()):
        assert validate(obj, counter=crd_counter) == [], obj["kind"]


def test_crd_for_finds_the_vendored_crd_by_group_and_kind() -> None:
    crd = crd_for(nodepool())
    assert crd is not None and crd.name == "nodepools.karpenter.sh"
    assert crd_for({"apiVersion": "apps/v1", "kind": "Deployment"}) is None
    assert validate({"apiVersion": "apps/v1", "kind": "Deployment"}) == [
        "apps/v1/Deployment: no vendored CRD for this kind"
    ]


def _one(problems: list[str], *needles: str) -> str:
    matching = [p for p in problems if all(n in p for n in needles)]
    assert len(matching) == 1, f"want one problem with {needles}, got {problems}"
    return matching[0]


def test_a_restricted_label_domain_is_refused_by_its_cel_rule(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["spec"]["template"]["metadata"]["labels"]["karpenter.sh/team"] = "a"
    problem = _one(validate(obj, counter=crd_counter), "spec.template.metadata.labels")
    assert 'label domain "karpenter.sh" is restricted' in problem
    assert "rule: self.all(x," in problem


def test_a_bogus_disruption_schedule_is_refused_by_the_schema(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["spec"]["disruption"]["budgets"][1]["schedule"] = "bogus"
    problem = _one(validate(obj, counter=crd_counter), "spec.disruption.budgets[1].schedule")
    assert "'bogus' does not match" in problem


def test_a_schedule_without_duration_is_refused_by_its_cel_rule(crd_counter: Counter) -> None:
    obj = nodepool()
    del obj["spec"]["disruption"]["budgets"][1]["duration"]
    problem = _one(validate(obj, counter=crd_counter), "spec.disruption.budgets")
    assert "'schedule' must be set with 'duration'" in problem


def test_a_taint_value_with_a_space_is_refused(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["spec"]["template"]["spec"]["taints"][0]["value"] = "team a"
    _one(validate(obj, counter=crd_counter), "spec.template.spec.taints[0].value", "'team a'")


def test_requirements_rules_on_items_and_on_the_list(crd_counter: Counter) -> None:
    obj = nodepool()
    requirements = obj["spec"]["template"]["spec"]["requirements"]
    requirements.append({"key": "kubernetes.io/hostname", "operator": "In", "values": []})
    requirements[1]["values"] = ["2", "3"]
    problems = validate(obj, counter=crd_counter)
    _one(problems, "requirements[3].key", 'label "kubernetes.io/hostname" is restricted')
    _one(problems, "requirements:", "operator 'In' must have a value defined")
    _one(problems, "requirements:", "must have a single positive integer value")
    assert len(problems) == 3, problems


def test_unknown_fields_are_reported_not_pruned(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["spec"]["template"]["spec"]["expireAftr"] = "720h"
    obj["spec"]["weigth"] = 10
    problems = validate(obj, counter=crd_counter)
    assert sorted(problems) == [
        "spec.template.spec.expireAftr: unknown field (the API server would drop it)",
        "spec.weigth: unknown field (the API server would drop it)",
    ]


def test_types_enums_and_bounds(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["spec"]["weight"] = 101
    obj["spec"]["disruption"]["consolidationPolicy"] = "Sometimes"
    obj["spec"]["template"]["spec"]["taints"][0]["effect"] = "NoExecute!"
    obj["spec"]["limits"]["cpu"] = True
    problems = validate(obj, counter=crd_counter)
    _one(problems, "spec.weight", "101 is greater than the maximum of 100")
    _one(problems, "spec.disruption.consolidationPolicy", "'Sometimes' is not one of")
    _one(problems, "spec.template.spec.taints[0].effect", "is not one of")
    _one(problems, "spec.limits.cpu", "True is not of type 'integer', 'string'")


def test_defaults_are_applied_before_the_rules(crd_counter: Counter) -> None:
    # consolidationPolicy and budgets default; a NodePool without `disruption` is valid.
    obj = nodepool()
    del obj["spec"]["disruption"]
    assert validate(obj, counter=crd_counter) == []


def test_metadata_is_checked_as_object_meta(crd_counter: Counter) -> None:
    obj = nodepool()
    obj["metadata"] = {
        "name": "General_Pool",
        "namespace": "kube-system",
        "labels": {"team/": "x", "ok": "not ok"},
        "annotation": {},
    }
    problems = validate(obj, counter=crd_counter)
    _one(problems, "metadata.name", "DNS-1123 subdomain")
    _one(problems, "metadata.namespace: not allowed on a cluster-scoped resource")
    _one(problems, "metadata.labels: key 'team/'")
    _one(problems, "metadata.labels['ok']", "'not ok'")
    _one(problems, "metadata.annotation: unknown field in ObjectMeta")
    assert validate({**nodepool(), "metadata": {}}, counter=crd_counter) == [
        "metadata.name: required (or generateName)"
    ]


def test_api_version_must_be_served(crd_counter: Counter) -> None:
    obj = {**nodepool(), "apiVersion": "karpenter.sh/v1beta1"}
    assert validate(obj, counter=crd_counter) == [
        "apiVersion: version 'v1beta1' of nodepools.karpenter.sh is not served: ['v1']"
    ]


def test_ec2nodeclass_rules(crd_counter: Counter) -> None:
    obj = ec2nodeclass()
    obj["spec"]["instanceProfile"] = "dev-node"
    obj["spec"]["amiSelectorTerms"] = [{"alias": "ubuntu@latest"}]
    obj["spec"]["tags"]["kubernetes.io/cluster/dev"] = "owned"
    obj["spec"]["kubelet"]["kubeReserved"]["memory"] = "-1Gi"
    problems = validate(obj, counter=crd_counter)
    _one(problems, "spec:", "must specify exactly one of ['role', 'instanceProfile']")
    _one(problems, "amiSelectorTerms[0].alias", "family is not supported")
    _one(problems, "spec.tags", "restricted tag matching kubernetes.io/cluster/")
    _one(problems, "spec.kubelet.kubeReserved", "cannot be a negative resource quantity")


def test_a_rule_that_fails_to_evaluate_is_a_problem(crd_counter: Counter) -> None:
    # Kubernetes refuses an object whose rule errors: here evictionSoft without its grace period.
    obj = ec2nodeclass()
    obj["spec"]["kubelet"]["evictionSoft"] = {"memory.available": "5%"}
    problem = _one(validate(obj, counter=crd_counter), "spec.kubelet")
    assert "failed to evaluate" in problem and "evictionSoftGracePeriod" in problem


def test_eniconfig_needs_a_subnet(crd_counter: Counter) -> None:
    obj = eniconfig()
    del obj["spec"]["subnet"]
    assert validate(obj, counter=crd_counter) == ["spec: 'subnet' is a required property"]


def test_transition_rules_run_only_against_an_old_object() -> None:
    counter = Counter()
    old = nodeclaim()
    new = nodeclaim()
    new["spec"]["nodeClassRef"]["name"] = "other"
    assert validate(new, counter=counter) == []
    assert counter.transition_rules_skipped == 1
    problems = validate(new, old=old, counter=counter)
    assert problems == ["spec: spec is immutable (rule: self == oldSelf)"]
    assert validate(old, old=old, counter=counter) == []


def test_nodepool_transition_rules_correlate_nested_fields() -> None:
    old, new = nodepool(), nodepool()
    new["spec"]["template"]["spec"]["nodeClassRef"]["kind"] = "OtherNodeClass"
    new["spec"]["replicas"] = 2
    del new["spec"]["limits"]
    problems = validate(new, old=old)
    _one(problems, "spec.template.spec.nodeClassRef", "nodeClassRef.kind is immutable")
    _one(problems, "spec:", "Cannot transition NodePool between static")


def test_counter_reports_objects_and_rules() -> None:
    counter = Counter()
    validate(nodepool(), counter=counter)
    validate(eniconfig(), counter=counter)
    assert counter.objects == 2
    assert counter.rules > 10
    assert str(counter).startswith(f"2 objects, {counter.rules} rules checked")


TOY_CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: toys.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Toy, plural: toys}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "self.name.split('-').size() <= 2"
              messageExpression: "'too many parts in ' + self.name"
            - rule: "self.name.find('^[a-z]+') == 'toy'"
              message: must start with toy
              fieldPath: .name
            - rule: "!has(self.count) || type(self.count) == int || self.count.matches('^[0-9]+$')"
            properties:
              name: {type: string}
              count: {x-kubernetes-int-or-string: true}
              ratio: {type: number, nullable: true}
              tags:
                type: array
                items: {type: string}
                x-kubernetes-list-type: set
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [port]
                items:
                  type: object
                  properties:
                    port: {type: integer, format: int32}
              free:
                type: object
                x-kubernetes-preserve-unknown-fields: true
              pod:
                type: object
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
"""


@pytest.fixture
def toy_crd(tmp_path: Path) -> Path:
    path = tmp_path / "toys.yaml"
    path.write_text(TOY_CRD)
    return path


def toy(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Toy",
        "metadata": {"name": "t", "namespace": "default"},
        "spec": {"name": "toy-one", **spec},
    }


def test_kubernetes_cel_libraries_and_messages(toy_crd: Path) -> None:
    crd = load_crd(toy_crd)
    assert crd.uncompilable == ()
    assert validate(toy(count=3, ratio=None), crd) == []
    assert validate(toy(count="3", ratio=1), crd) == []
    assert validate(toy(name="toy-a-b"), crd) == [
        "spec: too many parts in toy-a-b (rule: self.name.split('-').size() <= 2)"
    ]
    assert validate(toy(name="ball"), crd) == [
        "spec.name: must start with toy (rule: self.name.find('^[a-z]+') == 'toy')"
    ]
    problem = _one(validate(toy(count="x1"), crd), "failed rule")
    assert problem.startswith("spec: failed rule: !has(self.count) || type(self.count) == int")


def test_extensions_list_types_formats_and_embedded_resources(toy_crd: Path) -> None:
    crd = load_crd(toy_crd)
    ok = toy(
        tags=["a", "b"],
        ports=[{"port": 80}, {"port": 443}],
        free={"anything": {"goes": 1}},
        pod={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}},
    )
    assert validate(ok, crd) == []
    bad = toy(
        tags=["a", "a"],
        ports=[{"port": 80}, {"port": 80}, {"port": 2**31}],
        pod={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "P!"}},
    )
    problems = validate(bad, crd)
    _one(problems, "spec.tags[1]: duplicate value 'a' in a set")
    _one(problems, "spec.ports[1]: duplicate entry for map keys {'port': 80}")
    _one(problems, "spec.ports[2].port", "is not a 'int32'")
    _one(problems, "spec.pod.metadata.name", "DNS-1123 subdomain")


def test_a_rule_that_does_not_compile_is_reported(tmp_path: Path) -> None:
    doc = yaml.safe_load(TOY_CRD)
    spec = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    spec["x-kubernetes-validations"] = [{"rule": "self.name.isQuantity()"}]
    path = tmp_path / "toys.yaml"
    path.write_text(yaml.safe_dump(doc))
    crd = load_crd(path)
    assert len(crd.uncompilable) == 1 and "isQuantity" in crd.uncompilable[0]
    _one(validate(toy(), crd), "could not be compiled by the harness")


def test_validation_is_fast() -> None:
    vendored_crd("nodepools.karpenter.sh")  # loading and compiling is paid once
    validate(nodepool())
    start = time.perf_counter()
    for _ in range(20):
        validate(nodepool())
        validate(ec2nodeclass())
    per_object = (time.perf_counter() - start) / 40
    print(f"CRD validation: {per_object * 1000:.2f} ms per object")
    assert per_object < 0.05


def test_integral_floats_are_integers_as_on_the_wire(crd_counter: Counter) -> None:
    # Pulumi records numbers as doubles (110.0); its providers send them as JSON `110`.
    obj = ec2nodeclass()
    obj["spec"]["kubelet"]["maxPods"] = 110.0
    assert validate(obj, counter=crd_counter) == []
    obj["spec"]["kubelet"]["maxPods"] = 110.5
    _one(validate(obj, counter=crd_counter), "spec.kubelet.maxPods", "is not of type 'integer'")
