"""botocore's service models, loaded once for the whole suite (each fresh session reads and
parses the model files again, which is most of what a model check costs)."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.model
import botocore.session


@cache
def botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def service_model(service: str) -> botocore.model.ServiceModel:
    """A service's model (`eks`, `ec2`, `kms`, `logs`, `events`, ...) from botocore's data."""
    return botocore_session().get_service_model(service)


def check_against(shape: botocore.model.Shape, value: Any, path: str) -> None:
    """Every key of a recorded input is a member of botocore's shape, and every enum value
    one of its values. pulumi_aws flattens a one-item list of structures to one block
    (remoteNodeNetworks), so a list shape also takes a single value."""
    if isinstance(shape, botocore.model.StructureShape):
        assert isinstance(value, dict), path
        for key, item in value.items():
            assert key in shape.members, f"{path}.{key} is not in botocore's {shape.name}"
            check_against(shape.members[key], item, f"{path}.{key}")
    elif isinstance(shape, botocore.model.ListShape):
        for item in value if isinstance(value, list) else [value]:
            check_against(shape.member, item, f"{path}[]")
    elif isinstance(shape, botocore.model.StringShape) and shape.enum:
        assert value in shape.enum, f"{path} = {value!r} not in {shape.enum}"
    else:
        assert shape.type_name in ("boolean", "string", "integer"), path
