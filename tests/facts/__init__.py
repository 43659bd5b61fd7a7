"""Tests of `eks_platform.facts`."""
