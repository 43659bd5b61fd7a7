"""Tests of `eks_platform.tools`."""
