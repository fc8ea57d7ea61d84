"""Michael Nygard's format, as adr-tools writes it.

``# 1. Record architecture decisions``, a ``Date: 2016-02-12`` line, then ``## Status``
(``Accepted``; ``Superseded by [3. ...](0003-....md)``; ``Supersedes [...]``,
``Amended by [...]`` lines added by ``adr new -s`` and ``adr link``), ``## Context``,
``## Decision`` and ``## Consequences``. File names are ``NNNN-slug.md``.
"""

from __future__ import annotations

from mkdocs_wa.authoring.adr_import.common import ParsedAdr, extract, meta_lines, role_of, split_title
from mkdocs_wa.authoring.adr_import.markdown import MarkdownDoc

FORMAT = "nygard"


def matches(doc: MarkdownDoc) -> bool:
    if doc.front_matter is not None:
        return False
    roles = {role_of(s) for s in doc.sections}
    meta, _ = meta_lines(doc, *doc.preamble)
    dated = any(m.key == "date" for m in meta)
    numbered = doc.title is not None and split_title(doc.title.title)[0] is not None
    nygard_sections = bool(roles & {"context", "decision", "consequences"})
    # adr-tools always writes a Status section; a file that lost it still has the
    # numbered title or the Date line, and Nygard's section names.
    return ("status" in roles and (dated or numbered or nygard_sections)) or ((dated or numbered) and nygard_sections)


def read(doc: MarkdownDoc) -> ParsedAdr:
    return extract(doc, FORMAT)
