"""botocore's service models, loaded once for the whole suite (each fresh session reads and
parses the model files again, which is most of what a model check costs)."""

from __future__ import annotations

from functools import cache

import botocore.model
import botocore.session


@cache
def botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


def service_model(service: str) -> botocore.model.ServiceModel:
    """A service's model (`eks`, `ec2`, `kms`, `logs`, `events`, ...) from botocore's data."""
    return botocore_session().get_service_model(service)
