"""log4brains: MADR 2-style files named by date, ``20210101-use-log4brains.md``.

Metadata are list items (``- Status: draft``, ``- Date:``, ``- Deciders:``,
``- Tags: doc, architecture``). The date prefix orders the files (there is no sequence
number), and ``draft`` is a status of its own, imported as ``proposed``. The folder also
holds ``index.md`` and ``template.md``, which are not decisions.
"""

from __future__ import annotations

import datetime as dt
import re

from mkdocs_wa.authoring.adr_import.common import ParsedAdr, extract
from mkdocs_wa.authoring.adr_import.dates import compact_date
from mkdocs_wa.authoring.adr_import.madr import outcome_child
from mkdocs_wa.authoring.adr_import.markdown import MarkdownDoc

FORMAT = "log4brains"
_NAME = re.compile(r"^(\d{8})-(.+)\.md$", re.I)


def file_date(name: str) -> dt.date | None:
    """The date of a log4brains file name, or None for any other name."""
    m = _NAME.match(name)
    return compact_date(m[1]) if m else None


def matches(name: str) -> bool:
    return file_date(name) is not None


def read(doc: MarkdownDoc) -> ParsedAdr:
    return extract(doc, FORMAT, outcome_children=outcome_child)
