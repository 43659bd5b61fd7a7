"""A kubeconfig that authenticates with `aws eks get-token` (pure)."""

from __future__ import annotations

import json


def render_kubeconfig(
    cluster_name: str, endpoint: str, ca_data: str, region: str, profile: str | None = None
) -> str:
    """kubeconfig JSON (valid YAML too): no static token, so it never expires or leaks one."""
    env = [{"name": "AWS_PROFILE", "value": profile}] if profile else None
    user: dict[str, object] = {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": "aws",
            "args": ["eks", "get-token", "--cluster-name", cluster_name, "--region", region,
                     "--output", "json"],
            "interactiveMode": "Never",
            **({"env": env} if env else {}),
        }
    }
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster_name,
                      "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}],
        "contexts": [{"name": cluster_name,
                      "context": {"cluster": cluster_name, "user": cluster_name}}],
        "current-context": cluster_name,
        "users": [{"name": cluster_name, "user": user}],
    }
    return json.dumps(config, indent=2, sort_keys=True)
