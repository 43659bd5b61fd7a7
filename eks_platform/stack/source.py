"""Where settings come from: a stack file on disk, or the running Pulumi program's config.

`parse()` turns `{"eks-platform:key": value, "aws:region": ...}` into `PlatformSettings` or
raises one `SettingsError` naming the stack file, every bad key path, its value and what is
allowed, before any resource exists.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from eks_platform.errors import PROJECT, SettingsError, problems_of, stack_key
from eks_platform.stack.settings import PlatformSettings

#: Config namespaces of the providers this program uses, and Pulumi's own.
PROVIDER_NAMESPACES = ("aws", "kubernetes", "pulumi")


def namespace_problems(config: Mapping[str, Any]) -> list[str]:
    """Keys under a namespace that is neither this project's nor a provider's: Pulumi would
    hand them to nobody, so they are typos (`eksplatform:clusterName`)."""
    known = (PROJECT, *PROVIDER_NAMESPACES)
    fields = {f.alias or n for n, f in PlatformSettings.model_fields.items()}
    problems = []
    for key in sorted(config):
        namespace, colon, name = str(key).partition(":")
        if not colon or namespace in known:
            continue
        close = difflib.get_close_matches(namespace, known, n=1, cutoff=0.6)
        if close:
            hint = f"did you mean {close[0]}:{name}?"
        elif name in fields:
            hint = f"did you mean {PROJECT}:{name}?"
        else:
            hint = f"keys belong under {', '.join(f'{k}:' for k in known)}"
        problems.append(f"{key}: unknown namespace {namespace!r}; {hint}")
    return problems


def parse(config: Mapping[str, Any], source: str) -> PlatformSettings:
    """Validate stack config (`{"eks-platform:key": value, "aws:region": ...}`): every
    problem at once, keys under unknown namespaces first."""
    if not config:
        raise SettingsError(source, ["no settings: the stack's config is empty; it needs at "
                                     "least aws:region and the eks-platform: keys"])
    problems = namespace_problems(config)
    if "aws:region" not in config:
        aws_keys = [str(k) for k in config if str(k).startswith("aws:")]
        problems += [f"{close}: unknown key; did you mean aws:region?" for close in
                     difflib.get_close_matches("aws:region", aws_keys, n=1, cutoff=0.8)]
    encrypted = secure_paths(dict(config))
    if encrypted:
        raise SettingsError(source, problems + [
            f"{shown_path(path)}: an encrypted value ({{secure: ...}}) that only the Pulumi CLI "
            "decrypts: run `pulumi preview`, or the offline plan, which shows it as a secret"
            for path in encrypted])
    prefix = f"{PROJECT}:"
    data: dict[str, Any] = {
        key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)
    }
    if "aws:region" in config:
        data["region"] = config["aws:region"]
    if "region" in data and f"{prefix}region" in config:
        raise SettingsError(source, [*problems,
                                     "eks-platform:region: set the region with aws:region"])
    try:
        settings = PlatformSettings.model_validate(data)
    except ValidationError as error:
        problems += problems_of(error, stack_key, PlatformSettings)
    if problems:
        raise SettingsError(source, problems)
    return settings


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


# --- `{secure: ...}` values in the offline plan -------------------------------------------------

#: What an encrypted value stands for offline, tried in order until the settings accept it.
SECRET_PLACEHOLDERS = (
    "secret",
    "arn:aws:iam::000000000000:role/secret",
    "arn:aws:kms:{region}:000000000000:key/secret",
    "192.0.3.0/24",
    "10.0.0.0/8",
    "subnet-00000000000000000",
)

Path_ = tuple[str | int, ...]


def secure_paths(value: Any, path: Path_ = ()) -> list[Path_]:
    """Where `{secure: <ciphertext>}` values are, at any depth."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in secure_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in secure_paths(v, (*path, i))]
    return []


def shown_path(path: Path_) -> str:
    head, *rest = path
    return str(head) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


def _set(config: dict[str, Any], path: Path_, value: Any) -> None:
    target: Any = config
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def with_secret_placeholders(config: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """For the offline plan only (`pulumi preview` decrypts the real values): each encrypted
    value replaced by the first placeholder the settings accept there, and the keys replaced.
    The plan lists those keys as secrets instead of failing on ciphertext it cannot read."""
    paths = secure_paths(dict(config))
    if not paths:
        return dict(config), []
    placed = copy.deepcopy(dict(config))
    region = str(config.get("aws:region", "us-east-1"))
    choice = dict.fromkeys(paths, 0)

    def apply() -> None:
        for path, index in choice.items():
            _set(placed, path, SECRET_PLACEHOLDERS[index].format(region=region))

    apply()
    for _ in range(len(SECRET_PLACEHOLDERS)):
        try:
            parse(placed, "offline plan")
            break
        except SettingsError as error:
            keys = [line.partition(" = ")[0] for line in error.problems if " = " in line]
            rejected = [p for p in paths if any(_within(shown_path(p), k) for k in keys)]
            movable = [p for p in rejected if choice[p] + 1 < len(SECRET_PLACEHOLDERS)]
            if not movable:
                break
            for path in movable:
                choice[path] += 1
            apply()
    return placed, [shown_path(p) for p in paths]


def _within(key: str, problem_key: str) -> bool:
    """Whether a problem about `problem_key` may be about the value at `key`."""
    return key == problem_key or key.startswith((f"{problem_key}.", f"{problem_key}["))
