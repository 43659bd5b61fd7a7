"""Where settings come from: a stack file on disk, or the running Pulumi program's config.

`parse()` turns `{"eks-platform:key": value, "aws:region": ...}` into `PlatformSettings` or
raises one `SettingsError` naming the stack file, every bad key path, its value and what is
allowed, before any resource exists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import PROJECT, SettingsError, problems_of, stack_key
from .platform import PlatformSettings


def parse(config: Mapping[str, Any], source: str) -> PlatformSettings:
    """Validate stack config (`{"eks-platform:key": value, "aws:region": ...}`)."""
    prefix = f"{PROJECT}:"
    data: dict[str, Any] = {
        key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)
    }
    if "aws:region" in config:
        data["region"] = config["aws:region"]
    if "region" in data and f"{prefix}region" in config:
        raise SettingsError(source, ["eks-platform:region: set the region with aws:region"])
    try:
        return PlatformSettings.model_validate(data)
    except ValidationError as error:
        raise SettingsError(source, problems_of(error, stack_key, PlatformSettings)) from None



def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file, values as YAML typed them."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(str(path), [f"cannot read stack file: {error}"]) from None
    config = document.get("config", {}) if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise SettingsError(str(path), ["config: must be a mapping of keys to values"])
    return config


def pulumi_config_values(config: Mapping[str, Any]) -> dict[str, str]:
    """Stack-file values as the Pulumi CLI hands them to a program: scalars as strings,
    objects and lists as JSON."""
    def encode(value: Any) -> str:
        if isinstance(value, dict | list):
            return json.dumps(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return {key: encode(value) for key, value in config.items()}


def decode_pulumi_config(config: Mapping[str, str]) -> dict[str, Any]:
    """Inverse of `pulumi_config_values`: JSON objects and lists parsed, scalars left as
    strings for the models to coerce (`"3"` -> 3, `"true"` -> True)."""
    decoded: dict[str, Any] = {}
    for key, value in config.items():
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text[:1] in ("{", "["):
            try:
                decoded[key] = json.loads(text)
                continue
            except json.JSONDecodeError:
                pass
        decoded[key] = value
    return decoded


def load(stack: str | None = None) -> PlatformSettings:
    """Settings of the running Pulumi program (its stack's config)."""
    import pulumi
    from pulumi.runtime.config import CONFIG, get_config_env

    stack = stack or pulumi.get_stack()
    raw = {**get_config_env(), **CONFIG.get()}
    return parse(decode_pulumi_config(raw), f"stacks/Pulumi.{stack}.yaml")
