"""``mkdocs-wa import``: Markdown ADRs (Nygard/adr-tools, MADR 2-4, log4brains) to decisions.

One module per format family (:mod:`.nygard`, :mod:`.madr`, :mod:`.log4brains`), what
they share (:mod:`.common`, :mod:`.status`, :mod:`.dates`, :mod:`.markdown`), reading
the folder (:mod:`.source`, :mod:`.gitinfo`), numbering and linking (:mod:`.plan`) and
the report (:mod:`.report`). :func:`import_adrs` runs them all.

The import never stops on one bad file, never overwrites or deletes anything, and
writes only files that validate.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from mkdocs_wa.authoring.adr_import.gitinfo import read_git
from mkdocs_wa.authoring.adr_import.plan import make_plan
from mkdocs_wa.authoring.adr_import.report import FileOutcome, ImportReport
from mkdocs_wa.authoring.adr_import.source import list_sources, read_source
from mkdocs_wa.authoring.adr_import.update import refresh
from mkdocs_wa.authoring.scaffold import SCHEMA_FILE_NAME, choose_prefix, create_exclusive, scan_existing, schema_text
from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.model import Lens
from mkdocs_wa.nouns import count
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import _display, load_catalog

__all__ = ["import_adrs", "ImportReport", "FileOutcome"]


def _copy_asset(src: Path, dest: Path, decisions_dir: Path, show: Callable[[Path], str]) -> str:
    """Copy an image (or other file) an ADR shows; "" when done (or already there), else why not."""
    try:
        # The nearest folder that exists, resolved: a symbolic link on the way (decisions/w
        # pointing elsewhere) must not take the copy out of the decisions folder.
        existing = dest.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not str(existing.resolve()).startswith(str(decisions_dir.resolve()) + os.sep) and existing.resolve() != decisions_dir.resolve():
            return f"{show(dest)}: not copied (its folder leads out of {show(decisions_dir)})"
        data = src.read_bytes()
        if dest.exists():
            if dest.is_file() and not dest.is_symlink() and dest.read_bytes() == data:
                return ""
            return f"{show(dest)} already exists with other content: {src.name} not copied (never overwritten)"
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except OSError as exc:
        return f"{show(dest)}: not copied ({exc.strerror or exc})"
    return ""


def import_adrs(
    source_dir: Path,
    workload: str,
    *,
    decisions_dir: Path = Path("decisions"),
    id_prefix: str | None = None,
    dry_run: bool = False,
    lens: Lens | None = None,
    display: Callable[[Path], str] | None = None,
    recursive: bool = False,
    default_status: str | None = None,
    update: bool = False,
) -> ImportReport:
    """Convert the Markdown ADRs in ``source_dir`` into ``decisions_dir/workload/``.

    ``recursive`` reads subfolders too (a folder named like an ADR holding an
    ``index.md`` is one ADR); ``default_status`` is the status of files that state none
    (else ``proposed``, shown as "not stated in the source"); ``update`` refreshes the
    decisions imported before whose source changed (otherwise they are reported).
    """
    show = display or _display
    if lens is None:
        lens, _ = load_lens(None)
        assert lens is not None, "the built-in lens always loads"
    git = read_git(source_dir)
    sources, others = list_sources(source_dir, git.root, show, recursive=recursive)
    results = [read_source(s) for s in sources]
    existing = scan_existing(decisions_dir)
    prefix = choose_prefix(existing, workload, id_prefix)
    current = load_catalog([decisions_dir], lens, display=show)[0].decisions if decisions_dir.is_dir() else ()

    # Validate what would be written; a file that would not validate is left out (and
    # the plan made again without it, since others may have linked to it).
    exclude: dict[str, list[Diagnostic]] = {}
    for _ in range(len(results) + 1):
        plan = make_plan(
            results, existing, workload=workload, prefix=prefix, decisions_dir=decisions_dir, git=git, lens=lens,
            existing_decisions=current, exclude=frozenset(exclude), display=show, default_status=default_status,
        )
        errors = [d for d in plan.diagnostics if d.is_error]
        if not errors:
            break
        for p in plan.planned:
            mine = [d for d in errors if d.path == show(p.target)]
            if mine:
                exclude[p.source.repo_path] = mine

    outcomes: dict[str, FileOutcome] = {}
    outputs: list[tuple[str, str]] = []
    updated: set[str] = set()
    for p in plan.planned:
        target = show(p.target)
        if p.existing is not None:
            outcome, write = _refreshed(p, target, update=update, dry_run=dry_run)
            outcomes[p.source.display] = outcome
            if write is not None:
                outputs.append((target, write))
                updated.add(target)
                if not dry_run:
                    copied = [w for dest, src in p.assets if (w := _copy_asset(src, dest, decisions_dir, show))]
                    if copied:
                        outcome = outcomes[p.source.display]
                        outcomes[p.source.display] = FileOutcome(**{**outcome.__dict__, "warnings": outcome.warnings + tuple(copied)})
            continue
        if not dry_run and not create_exclusive(p.target, p.text):
            outcomes[p.source.display] = FileOutcome(
                p.source.display, "skipped", target, p.id, p.adr.format, p.status,
                reason=f"{target} already exists (never overwritten)", problem=True, warnings=p.warnings,
            )
            continue
        outputs.append((target, p.text))
        copied = [] if dry_run else [problem for dest, src in p.assets if (problem := _copy_asset(src, dest, decisions_dir, show))]
        outcomes[p.source.display] = FileOutcome(
            p.source.display, "would import" if dry_run else "imported", target, p.id, p.adr.format, p.status,
            warnings=p.warnings + tuple(copied),
        )
    for s in plan.skipped:
        outcomes[s.source.display] = FileOutcome(s.source.display, "skipped", reason=s.reason, problem=s.problem, warnings=s.warnings)
    by_repo = {r.source.repo_path: r for r in results}
    for key, diags in exclude.items():
        src = by_repo[key].source
        first = diags[0]
        outcomes[src.display] = FileOutcome(
            src.display, "skipped", reason=f"the converted file would not validate: {first.message} (line {first.line})",
            problem=True,
        )
    for shown, reason in others:
        outcomes[shown] = FileOutcome(shown, "skipped", reason=reason)

    notes = list(plan.notes)
    if git.problem:
        notes.append(git.problem)
    empty = ""
    if not plan.planned and not any(s.existing for s in plan.skipped) and not exclude:
        found = len(sources)
        empty = (f"no ADR found in {show(source_dir)}: " + (
            "it holds no Markdown file" + ("" if recursive else " directly (ADRs in subfolders: use --recursive)")
            if not found else f"none of its {count(found, 'Markdown file')} is an ADR (see each file's reason)"))
        notes.append(empty)
    elif not any(f.action in ("imported", "updated") for f in outcomes.values()) and not dry_run:
        notes.append("nothing to import")
    schema_file = decisions_dir / SCHEMA_FILE_NAME
    if outputs and not dry_run and not any(e.schema_ref for e in existing) and create_exclusive(schema_file, schema_text()):
        notes.append(f"wrote the JSON Schema for editors to {show(schema_file)}")

    if dry_run:
        diagnostics = tuple(plan.diagnostics)
    else:
        _, after = load_catalog([decisions_dir], lens, display=show) if outputs else (None, [])
        written = {path for path, _ in outputs}
        diagnostics = tuple(d for d in after if d.path in written)
    return ImportReport(
        source_dir=show(source_dir),
        decisions_dir=show(decisions_dir),
        workload=workload,
        id_prefix=prefix,
        dry_run=dry_run,
        files=tuple(outcomes[k] for k in sorted(outcomes)),
        notes=tuple(notes),
        outputs=tuple(outputs),
        diagnostics=diagnostics,
        empty=empty,
    )


def _refreshed(p, target: str, *, update: bool, dry_run: bool) -> tuple[FileOutcome, str | None]:
    """What becomes of a decision imported before: unchanged, refreshed (``--update``),
    or reported as changed in its source."""
    assert p.existing is not None
    try:
        old = p.existing.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FileOutcome(p.source.display, "skipped", target, p.id, reason=f"already imported as {target}, "
                           f"which cannot be read ({exc})", problem=True), None
    fresh = refresh(old, p.text)
    if fresh.text == old or not fresh.changes:
        return FileOutcome(p.source.display, "skipped", target, p.id, reason=f"already imported as {target} ({p.id}); unchanged"), None
    changed = "; ".join(fresh.changes)
    if not update:
        superseded = any(c.startswith("status:") and c.endswith("→ superseded") for c in fresh.changes)
        return FileOutcome(
            p.source.display, "skipped", target, p.id, p.adr.format, p.status,
            reason=f"already imported as {target} ({p.id}), but it differs now: {changed}; "
                   "run the import with --update to refresh it (only the imported fields are rewritten)",
            problem=superseded, warnings=p.warnings,
        ), None
    if not dry_run:
        with open(p.existing.path, "w", encoding="utf-8", newline="\n") as out:
            out.write(fresh.text)
    return FileOutcome(
        p.source.display, "would update" if dry_run else "updated", target, p.id, p.adr.format, p.status,
        warnings=(f"changed: {changed}",) + p.warnings,
    ), fresh.text
