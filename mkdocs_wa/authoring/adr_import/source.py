"""Finding and reading the ADR files of a folder, whatever state they are in.

Nothing here raises on a bad file: every file ends up either parsed or skipped with a
reason, and the reason says whether it needs a person's attention (``problem``) or is
simply not a decision (``not-adr``: a README, an index, the template).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs_wa.authoring.adr_import import log4brains, madr, nygard
from mkdocs_wa.authoring.adr_import.common import ParsedAdr, extract, role_of
from mkdocs_wa.authoring.adr_import.markdown import MarkdownDoc, parse
from mkdocs_wa.authoring.adr_import.status import href_name
from mkdocs_wa.source.load import NotRegular, TooBig, read_limited

#: Larger files are not ADRs (and would make the report unreadable).
MAX_BYTES = 1_000_000
_INDEX_NAMES = {"readme.md", "index.md", "toc.md", "summary.md", "_sidebar.md"}
_NUMBERED = re.compile(r"^\d+[-_]")
_TEMPLATE = re.compile(r"^(?:\d+[-_])?(?:adr[-_])?template\.(?:md|markdown)$", re.I)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    #: Path relative to the repository root, as ``imported_from.path`` records it.
    repo_path: str
    #: Path as the report shows it (relative to the working directory when inside it).
    display: str
    #: The name that numbers and names it, when not the file's own: a folder-per-ADR
    #: layout's ``0007-use-x/index.md`` is ``0007-use-x.md``.
    alias: str = ""

    @property
    def name(self) -> str:
        return self.alias or self.path.name


@dataclass(frozen=True)
class ReadResult:
    source: SourceFile
    adr: ParsedAdr | None
    #: Why the file is not imported ("" when it is parsed).
    skip: str = ""
    #: ``not-adr`` (nothing to do) or ``problem`` (a person should look at it).
    skip_kind: str = ""
    warnings: tuple[str, ...] = ()


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and a warning ("" when the file was UTF-8)."""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            return raw.decode(encoding), (
                f"not UTF-8 (byte 0x{bad:02x}); read as {label}: check accented letters and quotes in the result"
            )
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def read_source(src: SourceFile) -> ReadResult:
    name = src.name.lower()
    if name in _INDEX_NAMES and not src.alias:
        return ReadResult(src, None, "an index or README page, not a decision", "not-adr")
    if _TEMPLATE.match(name):
        return ReadResult(src, None, "the ADR template, not a decision", "not-adr")
    try:
        raw = read_limited(src.path, MAX_BYTES)  # a FIFO or a device is refused, not read
    except TooBig as exc:
        return ReadResult(src, None, f"{exc.size:,} bytes: too large for an ADR (limit {MAX_BYTES:,})", "problem")
    except NotRegular:
        return ReadResult(src, None, "not a regular file (a pipe or a device?); skipped", "problem")
    except OSError as exc:
        return ReadResult(src, None, f"cannot read it: {exc.strerror or exc}", "problem")
    if not raw.strip():
        return ReadResult(src, None, "the file is empty", "problem")
    if b"\x00" in raw:
        return ReadResult(src, None, "binary content (NUL bytes), not Markdown", "problem")
    text, warning = _decode(raw)
    warnings = [warning] if warning else []
    fmt, doc, adr = read_text(text, src.name, src.display)
    if adr.is_template:
        return ReadResult(src, None, "an ADR template (placeholder title), not a decision", "not-adr")
    roles = {role_of(s) for s in doc.sections}
    looks_like_adr = (
        bool(_NUMBERED.match(src.name))
        or adr.title_number is not None
        or bool(roles & {"status", "context", "decision", "consequences"})
        or bool(adr.status_from)
    )
    if not looks_like_adr:
        return ReadResult(
            src, None, "not an ADR: no number in its name or title, and no Status, Context or Decision section", "not-adr"
        )
    if fmt == "markdown":
        warnings.append("format not recognised as Nygard, MADR or log4brains; sections matched by their headings")
    return ReadResult(src, adr, warnings=tuple(warnings) + adr.warnings)


def read_text(text: str, name: str, display: str = "<adr>") -> tuple[str, MarkdownDoc, ParsedAdr]:
    """(format, parsed Markdown, ADR) of one ADR's text; ``name`` is its file name."""
    doc = parse(text, display)
    if log4brains.matches(name):
        fmt = log4brains.FORMAT
        adr = log4brains.read(doc)
    elif version := madr.version(doc):
        fmt = version
        adr = madr.read(doc, version)
    elif nygard.matches(doc):
        fmt = nygard.FORMAT
        adr = nygard.read(doc)
    else:
        fmt = "markdown"
        adr = extract(doc, fmt)
    return fmt, doc, adr


def history_fields(text: str, path: str = "", ids: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The fields the site's history tracks, read from one revision of an imported ADR
    with the importer's own reader: status, title, date and (with ``ids``, ADR file names
    and numbers to decision ids) supersedes, so the changes made in the Markdown
    (proposed, then accepted, then superseded) show with their commit dates."""
    _, _, adr = read_text(text, path.rsplit("/", 1)[-1], path or "<adr>")
    out: dict[str, Any] = {}
    if adr.status.status:
        out["status"] = adr.status.status
    if adr.title:
        out["title"] = adr.title
    if adr.date:
        out["date"] = adr.date
    if ids:
        found: list[str] = []
        for rel in adr.relations:
            if rel.kind != "supersedes":
                continue
            for ref in rel.refs:
                target = ids.get(_adr_name(ref.href)) if ref.href else None
                if target is None and ref.number is not None:
                    target = ids.get(f"#{ref.number}")
                if target and target not in found:
                    found.append(target)
        if found:
            out["supersedes"] = found
    return out


def _adr_name(href: str) -> str:
    """The ADR a link names: its file name, or its folder's in a folder-per-ADR layout
    (``../0002-x/index.md``, ``../0002-x/``)."""
    parts = href.split("#", 1)[0].split("?", 1)[0].rstrip("/").split("/")
    name = href_name(href)
    if (name.lower() in _INDEX_NAMES or href.split("#", 1)[0].endswith("/")) and len(parts) > 1:
        return parts[-2] if name.lower() in _INDEX_NAMES else parts[-1]
    return name


@dataclass(frozen=True)
class HistoryReader:
    """:func:`history_fields` bound to the site's imported ADRs; equal readers for equal
    sites, so a rebuild reuses the history read before (its cache key holds the reader)."""

    #: (ADR file name, or "#<number>", decision id), sorted.
    ids: tuple[tuple[str, str], ...] = ()

    def __call__(self, text: str) -> dict[str, Any]:
        return history_fields(text, ids=dict(self.ids))


#: A folder-per-ADR layout: ``0007-use-x/index.md`` (or README.md, or the folder's name).
_ADR_FOLDER = re.compile(r"^(?:adr[-_ ]?)?\d{1,6}[-_. ].+|^\d{8}-.+", re.I)


def _folder_adr(folder: Path) -> Path | None:
    """The ADR of a folder named like one (``0007-use-x/``): its index.md, README.md or
    ``0007-use-x.md``."""
    if not _ADR_FOLDER.match(folder.name):
        return None
    for name in ("index.md", "README.md", "readme.md", folder.name + ".md"):
        if (folder / name).is_file() and not (folder / name).is_symlink():
            return folder / name
    return None


def list_sources(
    source_dir: Path, repo_root: Path | None, display, *, recursive: bool = False
) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """The Markdown files in ``source_dir`` (and, with ``recursive``, in its subfolders,
    where a folder named like an ADR holding an ``index.md`` is one ADR), and what else
    is there (with a reason)."""
    files: list[SourceFile] = []
    others: list[tuple[str, str]] = []
    base = repo_root or Path.cwd().resolve()
    top = source_dir.resolve()

    def add(entry: Path, alias: str = "") -> None:
        try:
            repo_path = entry.resolve().relative_to(base).as_posix()
        except ValueError:
            repo_path = entry.resolve().as_posix()
        files.append(SourceFile(entry, repo_path, display(entry), alias))

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.startswith("."):
                continue
            shown = display(entry)
            if entry.is_symlink() and not entry.resolve().is_relative_to(top):
                others.append((shown, "a symbolic link out of the source folder; not followed"))
                continue
            if entry.is_dir():
                if entry.is_symlink():
                    others.append((shown + "/", "a symbolic link to a folder; not followed"))
                elif not recursive:
                    hint = " (it looks like a folder-per-ADR layout: use --recursive)" if _folder_adr(entry) else ""
                    others.append((shown + "/", "a folder: only the Markdown files directly in the source folder are imported"
                                   + hint))
                elif (adr := _folder_adr(entry)) is not None:
                    add(adr, entry.name + ".md")
                    for rest in sorted(entry.rglob("*.md")):
                        if rest != adr:
                            others.append((display(rest), f"beside the ADR {display(adr)} in its folder; not an ADR of its own"))
                else:
                    walk(entry)
                continue
            if entry.suffix.lower() not in (".md", ".markdown"):
                if folder == source_dir or not recursive:
                    others.append((shown, "not a Markdown file"))
                continue
            add(entry)

    walk(source_dir)
    return files, others
