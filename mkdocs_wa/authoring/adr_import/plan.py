"""From parsed ADRs to decision files: numbers, ids, links, statuses, dates and YAML.

A pure function of what was read and what already exists (:func:`make_plan`); the
caller writes the result. The rules, each reported when it applies:

- A file keeps the number in its name (or title) when that number is free in the
  workload; a second file with the same number, and files without one (log4brains),
  take the next free numbers after the highest one, in date order.
- Links between ADRs are resolved by file name, then by a name the file had in git,
  then by number; ``supersedes`` is filled from either side ("Supersedes X" in the new
  one or "Superseded by Y" in the old one). A decision is ``superseded`` only when the
  one replacing it is imported too; otherwise ``deprecated``, with a warning.
- The date is the one written in the file; else log4brains' file name date; else the
  date of the commit that added the file; else the file's modification time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from mkdocs_wa.authoring.adr_import.common import ParsedAdr
from mkdocs_wa.authoring.adr_import.dates import day_month_order, find_date
from mkdocs_wa.authoring.adr_import.gitinfo import GitInfo
from mkdocs_wa.authoring.adr_import.log4brains import file_date
from mkdocs_wa.authoring.adr_import.source import ReadResult, SourceFile
from mkdocs_wa.authoring.adr_import.status import Reference, href_name
from mkdocs_wa.authoring.scaffold import SCHEMA_FILE_NAME, ExistingFile, dump_mapping, schema_comment, used_numbers
from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.model import Decision, Lens
from mkdocs_wa.source.load import parse_text
from mkdocs_wa.source.names import file_name, format_id, slugify, split_id
from mkdocs_wa.source.schema import CURRENT
from mkdocs_wa.source.validate import build_decision, cross_check

_LEADING_NUMBER = re.compile(r"^(?:adr[-_ ]?)?0*(\d{1,6})[-_. ]+", re.I)
_LINK = re.compile(r"(\]\([ \t]*<?|^[ \t]{0,3}\[[^\]\n]{1,999}\]:[ \t]*<?)(\./)?([^)\s>#]+)", re.M)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Planned:
    source: SourceFile
    adr: ParsedAdr
    number: int
    id: str
    target: Path
    status: str
    date: dt.date
    supersedes: tuple[str, ...]
    unmapped: str
    text: str
    warnings: tuple[str, ...]
    #: (path in the decisions folder, source file) of each image or file to copy.
    assets: tuple[tuple[Path, Path], ...] = ()
    #: The decision file it was imported as before, which ``text`` would refresh.
    existing: ExistingFile | None = None


@dataclass(frozen=True)
class Skipped:
    source: SourceFile
    reason: str
    problem: bool
    warnings: tuple[str, ...] = ()
    #: The decision it was imported as before (for "already imported").
    existing: ExistingFile | None = None


@dataclass(frozen=True)
class Plan:
    planned: tuple[Planned, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())


def source_number(src: SourceFile) -> int | None:
    """The sequence number in a file name (``0007-x.md`` -> 7); log4brains dates are not one."""
    if file_date(src.name):
        return None
    m = _LEADING_NUMBER.match(src.name)
    return int(m[1]) if m else None


def source_slug(src: SourceFile) -> str:
    stem = Path(src.name).stem
    stem = re.sub(r"^\d{8}-", "", stem) if file_date(src.name) else _LEADING_NUMBER.sub("", stem)
    return slugify(stem)


def _ranges(numbers: Sequence[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and "-" not in out[-1].lstrip("-") and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}-{n}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == n - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


@dataclass
class _Item:
    """Mutable working state for one file while the plan is made."""

    src: SourceFile
    adr: ParsedAdr
    read_warnings: list[str]
    number: int | None = None
    id: str = ""
    slug: str = ""
    date: dt.date | None = None
    warnings: list[str] = field(default_factory=list)
    unmapped_extra: list[str] = field(default_factory=list)
    #: Files the text shows or links ("assets/x.png" -> the source file), copied beside it.
    assets: dict[str, Path] = field(default_factory=dict)
    #: The decision file it was imported as before (planned again in place).
    existing: ExistingFile | None = None
    #: An ambiguous written date read in the folder's day/month order (so its text,
    #: kept while unread, need not be shown again).
    date_read: bool = False


def make_plan(
    results: Sequence[ReadResult],
    existing: Sequence[ExistingFile],
    *,
    workload: str,
    prefix: str,
    decisions_dir: Path,
    git: GitInfo,
    lens: Lens,
    existing_decisions: Sequence[Decision] = (),
    exclude: frozenset[str] = frozenset(),
    display: Callable[[Path], str] = str,
    mtime: Callable[[Path], dt.date] | None = None,
    default_status: str | None = None,
) -> Plan:
    """The decision files to write for ``results``, in passes over the files: which are
    planned (:func:`_items_pass`), their dates, numbers and ids, the links between them
    and the supersedes they make, their statuses, then each file's text with its links
    pointing at the decision pages (:func:`_output_pass`), validated before anything is
    written."""
    items, skipped = _items_pass(results, existing, git=git, exclude=exclude, display=display)
    _dates_pass(items, git, mtime)
    notes = _numbers_pass(items, existing, workload=workload, prefix=prefix, decisions_dir=decisions_dir,
                          display=display, git=git)
    links = _Links.of(items, skipped, git)
    edges = _supersedes_pass(items, links)
    status, as_written = _statuses_pass(items, edges, links.ids, skipped, default_status)
    relinker = _Relinker.of(items, skipped, links, git)
    schema_ref = _schema_ref(existing, decisions_dir)
    planned = [
        _output_pass(it, relinker, edges=edges, ids=links.ids, status=status[it.src.repo_path],
                     as_written=as_written.get(it.src.repo_path), git=git, target_dir=decisions_dir / workload,
                     schema_ref=schema_ref)
        for it in items
    ]
    diags = _validate(planned, lens=lens, workload=workload, existing_decisions=existing_decisions, display=display)
    return Plan(tuple(planned), tuple(skipped), tuple(notes), tuple(diags))


def _items_pass(
    results: Sequence[ReadResult],
    existing: Sequence[ExistingFile],
    *,
    git: GitInfo,
    exclude: frozenset[str],
    display: Callable[[Path], str],
) -> tuple[list[_Item], list[Skipped]]:
    """The files to plan, and those skipped: unreadable, excluded by the caller (reported
    there), or imported before (planned again in place when the decision has an id, so
    the caller can tell whether the source changed since)."""
    skipped: list[Skipped] = []
    by_import = {e.imported_from: e for e in existing if e.imported_from}
    # A source moved or renamed since its import is still the same ADR.
    for r in results:
        if r.source.repo_path not in by_import:
            old = next((o for o in git.renamed_from.get(r.source.repo_path, ()) if o in by_import), None)
            if old is not None:
                by_import[r.source.repo_path] = by_import[old]
    items: list[_Item] = []
    for r in results:
        before = by_import.get(r.source.repo_path)
        if r.adr is None:
            skipped.append(Skipped(r.source, r.skip, r.skip_kind == "problem", r.warnings))
        elif r.source.repo_path in exclude:
            continue  # decided by the caller's validation round; reported there
        elif before is not None and before.id and split_id(before.id):
            items.append(_Item(r.source, r.adr, list(r.warnings), existing=before))
        elif before is not None:
            skipped.append(Skipped(r.source, f"already imported as {display(before.path)} ({before.id})", False, (), before))
        else:
            items.append(_Item(r.source, r.adr, list(r.warnings)))
    return items, skipped


@dataclass
class _Links:
    """Every name an ADR may be linked by, and what each key (repo path) became."""

    by_name: dict[str, str] = field(default_factory=dict)  # source file name -> key
    by_number: dict[int, list[str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)  # key -> decision id
    stems: dict[str, str] = field(default_factory=dict)  # key -> slug of the decision page
    old_names: dict[str, str] = field(default_factory=dict)  # a name in git's history -> key
    not_imported: dict[str, str] = field(default_factory=dict)  # file name -> why not
    #: Names already reported as unresolved links (each is reported once).
    warned: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, items: Sequence[_Item], skipped: Sequence[Skipped], git: GitInfo) -> _Links:
        links = cls()
        for it in items:
            key = it.src.repo_path
            links.by_name[it.src.name] = key
            links.ids[key] = it.id
            links.stems[key] = it.existing.path.stem if it.existing else f"{it.number:04d}-{it.slug}"
            for old in git.renamed_from.get(key, ()):
                links.old_names[old.rsplit("/", 1)[-1]] = key
            if (n := source_number(it.src) or it.adr.title_number) is not None:
                links.by_number.setdefault(n, []).append(key)
        for s in skipped:
            if s.existing is not None and s.existing.id:
                key = s.source.repo_path
                links.by_name[s.source.name] = key
                links.ids[key] = s.existing.id
                links.stems[key] = s.existing.path.stem
                if (n := source_number(s.source)) is not None:
                    links.by_number.setdefault(n, []).append(key)
        links.not_imported = {s.source.name: s.reason for s in skipped if s.existing is None}
        return links

    def resolve(self, ref: Reference) -> tuple[str | None, str]:
        """(key, note) for a reference; key None when it names nothing imported."""
        name = href_name(ref.href) if ref.href else ""
        if name in self.by_name:
            return self.by_name[name], ""
        if name in self.old_names:
            return self.old_names[name], f"the link names {name}, which git shows was renamed"
        if name in self.not_imported:
            return None, f"{name} is not imported ({self.not_imported[name]})"
        holders = self.by_number.get(ref.number, []) if ref.number is not None else []
        if len(holders) == 1:
            note = f"no file is named {name}; matched by its number {ref.number}" if name else ""
            return holders[0], note
        if len(holders) > 1:
            return None, f"number {ref.number} is used by more than one file"
        return None, f"'{ref.href or ref.text}' names no imported ADR"


def _supersedes_pass(items: Sequence[_Item], links: _Links) -> list[tuple[str, str]]:
    """The supersede edges (newer key, older key) that the ADRs' links say, from either
    side ("Supersedes X" in the newer one, "Superseded by Y" in the older one); a link
    that names nothing imported, or would make a cycle, is kept as text."""
    edges: list[tuple[str, str]] = []
    for it in items:
        me = it.src.repo_path
        for rel in it.adr.relations:
            if not rel.maps:
                it.warnings.append(f"'{rel.line}': this kind of link has no field; kept as text")
                continue
            for ref in rel.refs:
                key, note = links.resolve(ref)
                if key is None:
                    links.warned.add(href_name(ref.href))
                    it.warnings.append(f"'{rel.line}': {note}; kept as text")
                    it.unmapped_extra.append(rel.line)
                    continue
                if note:
                    it.warnings.append(f"'{rel.line}': {note}")
                edge = (key, me) if rel.kind == "superseded-by" else (me, key)
                if edge[0] == edge[1]:
                    it.warnings.append(f"'{rel.line}': a decision cannot supersede itself; ignored")
                elif edge in edges:
                    continue
                elif _reaches(edges, edge[1], edge[0]):
                    it.warnings.append(f"'{rel.line}': would make a supersede cycle; kept as text")
                    it.unmapped_extra.append(rel.line)
                else:
                    edges.append(edge)
    return edges


def _reaches(edges: Sequence[tuple[str, str]], a: str, b: str) -> bool:
    """Whether ``a`` supersedes ``b``, directly or through others."""
    seen, todo = set(), [a]
    while todo:
        x = todo.pop()
        if x == b:
            return True
        if x not in seen:
            seen.add(x)
            todo.extend(o for n, o in edges if n == x)
    return False


@dataclass
class _Relinker:
    """Rewrites the relative links of an ADR's text for its place in the decisions folder."""

    links: _Links
    #: Absolute source path -> key, for the files planned or imported before.
    by_path: dict[str, str]
    #: Old file name -> the decision page's file name, for ADRs whose name changes.
    renames: dict[str, str]
    #: The repository's top folder, if any.
    top: str | None
    #: The common folder of the ADRs: assets keep their path below it (in a
    #: folder-per-ADR layout, 0007-x/diagram.png stays apart from 0008-y/diagram.png).
    source_root: str | None

    @classmethod
    def of(cls, items: Sequence[_Item], skipped: Sequence[Skipped], links: _Links, git: GitInfo) -> _Relinker:
        renames: dict[str, str] = {}
        for key, stem in links.stems.items():
            name = key.rsplit("/", 1)[-1]
            if name != stem + ".md":
                renames[name] = stem + ".md"
        for old, key in links.old_names.items():
            renames.setdefault(old, links.stems[key] + ".md")
        by_path = {os.path.normpath(os.path.abspath(it.src.path)): it.src.repo_path for it in items}
        for sk in skipped:
            if sk.existing is not None and sk.existing.id:
                by_path[os.path.normpath(os.path.abspath(sk.source.path))] = sk.source.repo_path
        folders = [os.path.dirname(os.path.abspath(it.src.path)) for it in items]
        return cls(
            links,
            by_path,
            renames,
            os.path.abspath(git.root) if git.root else None,
            os.path.commonpath(folders) if folders else None,
        )

    def relink(self, text: str, it: _Item) -> str:
        """Links to other ADRs point at their decision pages (siblings of this one: the
        same workload); relative images and files are copied to ``assets/`` beside the
        decision files and pointed at there; anything else relative is reported."""
        here = os.path.dirname(os.path.abspath(it.src.path))
        return _LINK.sub(lambda m: self._link(m, it, here), text)

    def _link(self, m: re.Match[str], it: _Item, here: str) -> str:
        target = m[3]
        if _SCHEME.match(target) or target.startswith(("/", "#")):
            return m[0]
        links = self.links
        full = os.path.normpath(os.path.join(here, unquote(target.split("?", 1)[0])))
        name = href_name(target)
        if full in self.by_path:
            return m[1] + links.stems[self.by_path[full]] + ".md"
        if "/" not in target.strip("./") and (name in links.by_name or name in links.old_names):
            return m[1] + self.renames.get(name, name)
        number = _LEADING_NUMBER.match(name)
        holders = links.by_number.get(int(number[1]), []) if number else []
        if number and name.lower().endswith(".md") and not os.path.exists(full) and len(holders) == 1:
            it.warnings.append(f"the link to '{target}' names no file; linked to {links.ids[holders[0]]} "
                               f"by its number {int(number[1])}")
            return m[1] + links.stems[holders[0]] + ".md"
        inside = next((base for base in (self.source_root, here, self.top)
                       if base and (full + os.sep).startswith(base + os.sep)), None)
        if inside and os.path.isfile(full) and not os.path.islink(full) and not name.lower().endswith((".md", ".markdown")):
            rel = os.path.relpath(full, inside).replace(os.sep, "/")
            it.assets["assets/" + rel] = Path(full)
            return m[1] + "assets/" + quote(rel)
        if name not in links.warned:
            links.warned.add(name)
            why = ("is a Markdown file that is not imported" if os.path.isfile(full)
                   else "is a folder, which a static site cannot show (link its files)" if os.path.isdir(full)
                   else "names no file" if inside else "leads out of the repository")
            it.warnings.append(f"the relative link '{target}' {why}: it will not work on the site (mkdocs build --strict fails)")
        return m[0]


def _output_pass(
    it: _Item,
    relinker: _Relinker,
    *,
    edges: Sequence[tuple[str, str]],
    ids: dict[str, str],
    status: str,
    as_written: str | None,
    git: GitInfo,
    target_dir: Path,
    schema_ref: str,
) -> Planned:
    """One file's decision: its fields, the text kept as sections, where the source came
    from, and the YAML text to write."""
    me = it.src.repo_path
    supersedes = tuple(sorted({ids[o] for n, o in edges if n == me}, key=_id_order))
    adr = it.adr
    title = adr.title
    if not title:
        title = it.slug.replace("-", " ").capitalize()
        it.warnings.append(f"no '# Title' heading; title taken from the file name: {title}")
    if adr.is_stub:
        it.warnings.append("a stub: no text besides the title")
    data: dict[str, Any] = {"schema": CURRENT, "id": it.id, "title": " ".join(title.split()), "status": status,
                            "date": it.date}
    if adr.deciders:
        data["deciders"] = list(adr.deciders)
    if adr.tags:
        data["tags"] = list(adr.tags)
    if supersedes:
        data["supersedes"] = list(supersedes)
    for key in ("context", "decision", "consequences"):
        value = block_text(relinker.relink(getattr(adr, key), it))
        if value:
            data[key] = value + "\n"
    if sections := _sections(it, relinker):
        data["sections"] = sections
    if adr.options:
        data["options"] = [
            {"name": o.name, **({"chosen": True} if o.chosen else {}), **({"pros": list(o.pros)} if o.pros else {}),
             **({"cons": list(o.cons)} if o.cons else {})}
            for o in adr.options
        ]
    imported: dict[str, Any] = {"path": me, "format": adr.format}
    if as_written is not None:
        imported["status_as_written"] = as_written
    if git.renamed_from.get(me):
        imported["renamed_from"] = list(git.renamed_from[me])
    data["imported_from"] = imported
    target = it.existing.path if it.existing else target_dir / file_name(it.number or 0, it.slug)
    text = schema_comment(schema_ref) + "\n" + dump_mapping(data)
    return Planned(
        it.src, adr, it.number or 0, it.id, target, status, it.date or dt.date.today(), supersedes, adr.unmapped, text,
        tuple(dict.fromkeys(it.read_warnings + it.warnings)),
        tuple((target_dir / rel, src) for rel, src in sorted(it.assets.items())),
        it.existing,
    )


def _sections(it: _Item, relinker: _Relinker) -> list[dict[str, str]]:
    """The text that fits no field, under its headings; links kept as text first (under
    "Links") unless a kept section already shows them. A date read in the folder's
    day/month order needs no "As written" section."""
    adr = it.adr
    sections = [{"heading": x.heading, "after": x.after, "body": block_text(relinker.relink(x.body, it)) + "\n"}
                for x in adr.sections
                if not (it.date_read and x.heading == "Date" and x.body == f"As written: {adr.date_text}")]
    if it.unmapped_extra and not any(line in x.body for x in adr.sections for line in it.unmapped_extra):
        sections.insert(0, {"heading": "Links", "after": "title", "body": "\n\n".join(dict.fromkeys(it.unmapped_extra)) + "\n"})
    return [{k: v for k, v in x.items() if not (k == "heading" and not v)} for x in sections]


def _statuses_pass(
    items: Sequence[_Item],
    edges: Sequence[tuple[str, str]],
    ids: dict[str, str],
    skipped: Sequence[Skipped],
    default_status: str | None,
) -> tuple[dict[str, str], dict[str, str | None]]:
    """Each file's status (and its status as written, when the mapped one does not say it
    all): none stated is ``default_status`` or proposed ("not stated in the source");
    superseded with nothing imported replacing it is deprecated; accepted but superseded
    by an imported decision is superseded."""
    status: dict[str, str] = {}
    as_written: dict[str, str | None] = {}
    for it in items:
        info = it.adr.status
        me = it.src.repo_path
        as_written[me] = it.adr.status_as_written
        if info.status is None:
            fallback = default_status or "proposed"
            if info.unrecognised:
                it.warnings.append(f"status '{' '.join(info.unrecognised)}' not recognised; imported as {fallback} (shown as written)")
            elif default_status:
                it.warnings.append(f"no status; imported as {fallback} (--default-status)")
                as_written[me] = None
            else:
                it.warnings.append("no status; imported as proposed, shown as 'not stated in the source' "
                                   "(--default-status sets another)")
                as_written[me] = ""
            status[me] = fallback
        elif info.status == "superseded" and not any(o == me for _, o in edges):
            it.warnings.append("superseded, but what replaces it is not imported; imported as deprecated "
                               "(set it to superseded once the replacing decision is imported)")
            status[me] = "deprecated"
            as_written[me] = as_written[me] or "Superseded"
        else:
            status[me] = info.status
    item_by_key = {it.src.repo_path: it for it in items}
    for newer, older in edges:
        if older in item_by_key and status.get(older) == "accepted" and status.get(newer, _existing_status(skipped, newer)) in (
            "accepted",
            "superseded",
            "deprecated",
        ):
            item_by_key[older].warnings.append(
                f"its status says accepted, but {ids[newer]} supersedes it; imported as superseded"
            )
            status[older] = "superseded"
    return status, as_written


def _numbers_pass(
    items: Sequence[_Item],
    existing: Sequence[ExistingFile],
    *,
    workload: str,
    prefix: str,
    decisions_dir: Path,
    display: Callable[[Path], str],
    git: GitInfo,
) -> list[str]:
    """Numbers and ids (a file keeps its number when free; duplicates and files without
    one take the next free numbers), and warnings for dates that disagree with the
    numbering. Returns notes about the folder (gaps in the numbering)."""
    notes: list[str] = []
    taken = used_numbers(existing, workload)
    ids_in_use = {e.id for e in existing if e.id}
    numbered: list[tuple[int, _Item]] = []
    unnumbered: list[_Item] = []
    deferred: list[_Item] = []
    holder: dict[int, _Item] = {}
    for it in items:
        if it.existing is not None:
            parts = split_id(it.existing.id or "")
            assert parts is not None
            it.number = holder_number = parts[1]
            holder.setdefault(holder_number, it)
            continue
        n_file, n_title = source_number(it.src), it.adr.title_number
        if n_file is not None and n_title is not None and n_file != n_title:
            it.warnings.append(
                f"its name says number {n_file} but its title says {n_title}; kept {n_file} (renamed or renumbered?)"
            )
        n = n_file if n_file is not None else n_title
        (numbered.append((n, it)) if n is not None else unnumbered.append(it))
    numbered.sort(key=lambda p: (p[0], git.created.get(p[1].src.repo_path) or p[1].date, p[1].src.name))
    for n, it in numbered:
        if n in holder:
            first = holder[n]
            first.warnings.append(f"number {n} is used by {it.src.display} too")
            it.warnings.append(f"number {n} is already used by {first.src.display}")
            deferred.append(it)
        elif n in taken or format_id(prefix, n) in ids_in_use:
            it.warnings.append(f"number {n} is already taken in {display(decisions_dir / workload)}")
            deferred.append(it)
        else:
            holder[n] = it
            it.number = n
    gaps_from = sorted(holder)
    if gaps_from:
        missing = sorted(set(range(gaps_from[0], gaps_from[-1] + 1)) - set(holder) - {n for n, _ in numbered})
        if missing:
            notes.append(f"numbers {_ranges(missing)} are missing in the source folder (deleted, renamed or never merged?)")
    next_number = max([*taken, *holder, *(n for n, _ in numbered), 0]) + 1
    unnumbered.sort(key=lambda it: (it.date, it.src.name))
    for it in deferred + unnumbered:
        while next_number in taken or format_id(prefix, next_number) in ids_in_use:
            next_number += 1
        it.number = next_number
        if it in deferred:
            it.warnings[-1] += f"; imported as number {next_number}"
        elif it.adr.format != "log4brains":
            it.warnings.append(f"no number in its name or title; numbered {next_number}")
        next_number += 1
    for it in items:
        assert it.number is not None
        it.id = it.existing.id if it.existing and it.existing.id else format_id(prefix, it.number)
        it.slug = source_slug(it.src)

    # Dates that disagree with the numbering (the site orders by date).
    latest: tuple[dt.date, _Item] | None = None
    for it in sorted((i for i in items if i.number in holder), key=lambda i: i.number or 0):
        assert it.date is not None
        if latest and it.date < latest[0]:
            it.warnings.append(
                f"dated {it.date}, before {latest[1].src.name} ({latest[0]}) although numbered after it; "
                "the site orders decisions by date"
            )
        if latest is None or it.date >= latest[0]:
            latest = (it.date, it)
    return notes


def _validate(
    planned: Sequence[Planned],
    *,
    lens: Lens,
    workload: str,
    existing_decisions: Sequence[Decision],
    display: Callable[[Path], str],
) -> list[Diagnostic]:
    """Validation of the planned files, before anything is written: each on its own,
    then with the decisions already there (ids, supersedes)."""
    diags: list[Diagnostic] = []
    built: list[Decision] = []
    for p in planned:
        doc, problems = parse_text(p.text, display(p.target))
        decision = None
        if doc is not None:
            decision, problems = build_decision(doc, lens, workload)
        if decision is None or any(d.is_error for d in problems):
            diags.extend(problems)
            continue
        built.append(decision)
    replanned = {display(p.target) for p in planned if p.existing is not None}
    others = [d for d in existing_decisions if d.path not in replanned]
    _, cross = cross_check(sorted([*others, *built], key=lambda d: (d.workload, d.date, d.id)))
    targets = {display(p.target) for p in planned}
    diags.extend(d for d in cross if d.path in targets)
    return diags


_FENCE_LINE = re.compile(r"[ \t]{0,3}(?:```|~~~)")


def block_text(text: str) -> str:
    """Markdown that YAML can write as a ``|`` block: no trailing spaces on any line.

    Two or more trailing spaces are a hard line break in Markdown (outside code): they
    become ``<br />``, which the site renders; a single one is dropped. Tabs become
    spaces (to the next multiple of 4, as Markdown reads them); other control characters
    are dropped (a block cannot hold them).
    """
    out: list[str] = []
    lines = text.split("\n")
    code = False
    for i, line in enumerate(lines):
        if _FENCE_LINE.match(line):
            code = not code
        stripped = line.rstrip(" \t")
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not code and len(line) - len(stripped) >= 2 and stripped.strip() and nxt.strip():
            stripped += "<br />"
        # Tabs to spaces (Markdown's tab stops are 4): YAML writes no block holding a tab.
        out.append("".join(c for c in stripped.expandtabs(4) if c >= " " and c != "\x7f"))
    return "\n".join(out)


def _dates_pass(items: Sequence[_Item], git: GitInfo, mtime: Callable[[Path], dt.date] | None) -> None:
    """Each file's date: as written (an ambiguous 03/04/2018 read in the order the
    folder's unambiguous dates show); else log4brains' file name; else the commit that
    added it (renames followed); else the file's modification time. A written date later
    than the file's first commit is reported."""
    orders = {o for it in items if (o := day_month_order(it.adr.date_text))}
    order = orders.pop() if len(orders) == 1 else None
    example = next((it.adr.date_text for it in items if day_month_order(it.adr.date_text) == order), "") if order else ""
    for it in items:
        first_commit = git.created.get(it.src.repo_path)
        if it.adr.date:
            it.date = it.adr.date
            if it.adr.date_from == "the status line":
                it.warnings.append(f"no Date; used the date on the status line, {it.date}")
        elif order and it.adr.date_text and (found := find_date(it.adr.date_text, order)).date:
            it.date = found.date
            it.date_read = True
            way = "day/month" if order == "dmy" else "month/day"
            it.warnings.append(f"'{it.adr.date_text}' read as {way}, {found.date}, as the folder's other dates are written "
                               f"(e.g. '{example}')")
        elif (d := file_date(it.src.name)) is not None:
            it.date = d
        elif first_commit is not None:
            it.date = first_commit
            it.warnings.append(f"no date in the file; used the date of the commit that added it, {first_commit}")
        else:
            d = (mtime or _mtime)(it.src.path)
            it.date = d
            it.warnings.append(f"no date in the file and none in git; used the file's modification date, {d}")
        if it.date and first_commit and it.date > first_commit and it.adr.date:
            it.warnings.append(f"the written date, {it.date}, is later than the file's first commit, {first_commit}: "
                               "check it (kept as written)")


def _existing_status(skipped: Sequence[Skipped], key: str) -> str:
    return next((s.existing.status or "" for s in skipped if s.existing and s.source.repo_path == key), "")


def _id_order(decision_id: str) -> tuple[str, int]:
    parts = split_id(decision_id)
    return parts if parts else (decision_id, 0)


def _mtime(path: Path) -> dt.date:
    return dt.date.fromtimestamp(path.stat().st_mtime)


def _schema_ref(existing: Sequence[ExistingFile], decisions_dir: Path) -> str:
    refs = [e.schema_ref for e in existing if e.schema_ref and e.path.parent.parent == decisions_dir]
    return refs[0] if refs else f"../{SCHEMA_FILE_NAME}"
