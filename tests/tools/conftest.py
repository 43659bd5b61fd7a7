"""Shared by the tools tests: botocore clients that read the EC2 model once."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def botocore_loader() -> Any:
    """One botocore data loader for the session: each client then skips re-reading the EC2
    model (about 0.3 s a client)."""
    from tests.aws_models import botocore_session

    return botocore_session().get_component("data_loader")


def boto3_session(loader: Any, region: str) -> Any:
    """A fresh boto3 session (fresh credential lookup) sharing the module's data loader."""
    import boto3  # type: ignore[import-untyped]
    import botocore.session

    core = botocore.session.get_session()
    core.register_component("data_loader", loader)
    return boto3.session.Session(botocore_session=core, region_name=region)
