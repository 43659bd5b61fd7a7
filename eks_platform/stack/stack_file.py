"""Reading a stack file (`Pulumi.<stack>.yaml`) as text: file-level mistakes get one message.

An unreadable or non-UTF-8 file, a YAML syntax error (line, column and the likely fix), an
empty file, a file without its `config:` root and a key written twice (YAML would silently
keep the last) are each one `SettingsError` line, before any setting is looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from eks_platform.errors import SettingsError

EXAMPLE = "a top-level config: key with the settings indented under it (aws:region: ...)"

#: (words of PyYAML's problem, the likely fix), first match wins.
_FIXES: tuple[tuple[str, str], ...] = (
    ("'\\t'", "indent with spaces: YAML does not allow tabs"),
    ("mapping values are not allowed", "quote a value that contains ': ', or check the "
                                       "indentation of this key"),
    ("expected ',' or ']'", "close the list's [ with ] (or quote a value with a comma)"),
    ("expected ',' or '}'", "close the mapping's { with } (or quote a value with a comma)"),
    ("could not find expected ':'", "put ': ' after the key, or close the quote opened before"),
    ("found unexpected end of stream", "close the quote opened at the position shown"),
    ("expected <block end>", "indent this line like the keys next to it"),
    ("cannot start any token", "quote the value: YAML reserves its first character"),
    ("found duplicate anchor", "give each anchor (&name) its own name"),
    ("found undefined alias", "define the anchor (&name) before using *name"),
)


def _fix(problem: str) -> str:
    return next((fix for words, fix in _FIXES if words in problem),
                "check the indentation and the quoting around that line")


def syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    """One line: where, what PyYAML found, the likely fix, and the line itself."""
    mark = error.problem_mark or error.context_mark
    problem = str(error.problem or error.context or "invalid YAML")
    where = ""
    shown = ""
    if mark is not None:
        where = f" at line {mark.line + 1}, column {mark.column + 1}"
        lines = text.splitlines()
        if mark.line < len(lines):
            shown = f" (line {mark.line + 1}: {lines[mark.line].strip()!r})"
    context = ""
    if error.context and error.context_mark is not None and error.problem:
        context = (f", {error.context} opened at line {error.context_mark.line + 1}, "
                   f"column {error.context_mark.column + 1}")
    return f"YAML syntax error{where}: {problem}{context}; {_fix(problem)}{shown}"


def _shown(path: tuple[str | int, ...]) -> str:
    parts = list(path)
    if parts[:1] == ["config"]:
        parts = parts[1:]
    if not parts:
        return "config"
    head, *rest = parts
    return str(head) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


def duplicate_keys(node: yaml.Node | None, path: tuple[str | int, ...] = ()) -> list[str]:
    """Every key written twice in one mapping, at any depth, with both line numbers."""
    found: list[str] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first and key != "<<":
                found.append(f"{_shown((*path, key))}: written twice, on lines {first[key]} and "
                             f"{line}; YAML keeps only the last, so merge them into one")
            first.setdefault(key, line)
            found += duplicate_keys(value_node, (*path, key))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found += duplicate_keys(item, (*path, index))
    return found


def _not_utf8(error: UnicodeDecodeError, data: bytes) -> str:
    before = data[:error.start]
    line = before.count(b"\n") + 1
    column = error.start - (before.rfind(b"\n") + 1) + 1
    return (f"not UTF-8 text: byte 0x{data[error.start]:02x} at line {line}, column {column} "
            "cannot be decoded; save the file as UTF-8")


def load_yaml(text: str) -> tuple[Any, list[str]]:
    """The document and the problems found in its text (syntax, duplicate keys)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        duplicates = duplicate_keys(node)
        if duplicates:
            return None, duplicates
        return loader.construct_document(node), []
    except yaml.MarkedYAMLError as error:
        return None, [syntax_message(error, text)]
    except yaml.YAMLError as error:
        return None, [f"YAML error: {error}"]
    finally:
        loader.dispose()


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` map of a stack file, values as YAML typed them."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SettingsError(source, [f"cannot read stack file: {error.strerror}"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SettingsError(source, [_not_utf8(error, data)]) from None
    document, problems = load_yaml(text)
    if problems:
        raise SettingsError(source, problems)
    if document is None:
        raise SettingsError(source, [
            f"the file is empty: a stack file needs {EXAMPLE}"])
    if not isinstance(document, dict) or "config" not in document:
        keys = list(document)[:3] if isinstance(document, dict) else []
        found = f" (found {', '.join(map(str, keys))} at the top)" if keys else ""
        raise SettingsError(source, [
            f"no config: at the top of the file{found}; a stack file needs {EXAMPLE}"])
    config = document["config"]
    if config is None:
        raise SettingsError(source, ["config: is empty; it needs at least aws:region"])
    if not isinstance(config, dict):
        raise SettingsError(source, ["config: must be a mapping of keys to values"])
    return config
