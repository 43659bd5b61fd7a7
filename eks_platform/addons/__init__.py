"""Add-ons: EKS managed add-ons, the pod-networking declaration (`CniSettings`), the
self-managed aws-vpc-cni Helm chart and its adoption, image registries and feature minimums."""
