"""MkDocs hook: adds ``reference/format.md``, generated from the decision JSON Schema.

Enabled in mkdocs.yml with ``hooks: [docs/hooks/format_reference.py]``. The page is
virtual (``File.generated``): nothing is written into ``docs/``, and the page always
matches the schema the installed mkdocs-wa validates against.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from mkdocs_wa.source.schema_docs import format_reference_markdown

PAGE = "reference/format.md"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if files.get_file_from_path(PAGE) is None:  # a hand-written page wins
        files.append(File.generated(config, PAGE, content=format_reference_markdown()))
    return files
