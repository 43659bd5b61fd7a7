"""Tests of `eks_platform.karpenter`."""
