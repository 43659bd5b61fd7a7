"""Conformance harness: checks objects and requests against their owners' own rules.

- `crds`: Kubernetes custom resources against the vendored CRDs (OpenAPI schema, defaults,
  list types, ObjectMeta and every `x-kubernetes-validations` CEL rule).
- `helm`: charts rendered and linted by Helm's own code, and values keys a chart does not know.
- `botocore_shapes`: AWS API requests against botocore's service models.
- `iam`: IAM policy documents against moto's port of IAM's policy grammar checks.

Every check is a pure function that returns a list of human-readable problems (empty when the
input conforms); the vendored artifacts live in `conformance/` at the repository root.
"""

from __future__ import annotations

from pathlib import Path

#: The vendored upstream artifacts (CRDs, charts) and their `sources.json`.
VENDORED = Path(__file__).resolve().parents[2] / "conformance"
