"""Tests of `eks_platform.network`."""
