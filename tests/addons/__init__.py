"""Tests of `eks_platform.addons`."""
