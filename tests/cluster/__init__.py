"""Tests of `eks_platform.cluster`."""
