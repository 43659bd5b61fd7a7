"""The control plane: the cluster and its IAM, keys and key policies, access entries, service
account roles (IRSA and EKS Pod Identity), kubeconfig, the version calendar's judgment day and
the upgrade guard, and the deploy order the cluster records for the components built on it."""
