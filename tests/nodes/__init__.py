"""Tests of `eks_platform.nodes`."""
