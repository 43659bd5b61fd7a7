"""Base class of every settings model and every component's Args.

camelCase keys in stack files, snake_case attributes in Python, unknown keys rejected,
immutable. Built directly (`NodeGroupSettings(...)`, `ManagedNodeGroupArgs(...)`), a model
raises the same `SettingsError` a stack file gets, naming the Python argument instead of the
stack key.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from eks_platform.errors import SettingsError, argument_key, problems_of


class SettingsModel(BaseModel):
    """Stack files use camelCase keys; Python uses snake_case attributes."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        str_strip_whitespace=True,
        # The docstring under each field is its description: the configuration reference,
        # the API reference and JSON schemas all read it from there.
        use_attribute_docstrings=True,
    )

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            owner = type(self).__name__
            raise SettingsError(owner, problems_of(error, argument_key(owner), type(self)),
                                what="arguments to") from None

    # Marks this __init__ as pydantic's own, so that validating a stack file (nested models
    # included) does not call it: only direct construction gets the argument-style message.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
