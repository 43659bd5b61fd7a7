"""mkdocs hook: adds the generated pages to the site on every build (mkdocs.yml `hooks:`).

The pages come from `eks_platform.tools.site`: the configuration reference from the settings
models, the security controls table, and each shipped stack's offline plan. Nothing generated is
committed, so nothing can go stale; `mkdocs build --strict` in CI fails on a broken link, a
missing page or a docstring mkdocstrings cannot render.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from eks_platform.tools.site import generated_pages


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    for path, text in generated_pages().items():
        files.append(File.generated(config, path, content=text))
    return files
