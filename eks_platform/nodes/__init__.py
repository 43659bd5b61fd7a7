"""Compute: managed node groups and Fargate profiles, the one node-group resolver (instance
limits, max pods, AMI type, kube-reserved, sizing), user data, volumes and the max-pods table."""
