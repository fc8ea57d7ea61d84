"""What an import did with each file, as data, text and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from mkdocs_wa.diagnostics import Diagnostic
from mkdocs_wa.nouns import count


@dataclass(frozen=True)
class FileOutcome:
    #: The source file as shown to the user.
    source: str
    #: ``imported``, ``would import`` (dry run) or ``skipped``.
    action: str
    target: str = ""
    id: str = ""
    format: str = ""
    status: str = ""
    #: Why the file was skipped.
    reason: str = ""
    #: Skipped for a reason a person should look at (not just "this is the README").
    problem: bool = False
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    source_dir: str
    decisions_dir: str
    workload: str
    id_prefix: str
    dry_run: bool
    files: tuple[FileOutcome, ...]
    #: Observations about the folder as a whole (gaps in the numbering, no git...).
    notes: tuple[str, ...] = ()
    #: (target path, YAML text) of every file written, or that would be written.
    outputs: tuple[tuple[str, str], ...] = ()
    #: Validation of the decisions folder after the import (or of the planned files).
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    #: Why the folder gave no ADR at all ("" when it did): the import then fails.
    empty: str = ""

    @property
    def imported(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.action in ("imported", "would import", "updated", "would update"))

    @property
    def problems(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.problem)

    @property
    def ok(self) -> bool:
        """Nothing needs a person: no problem skips, no errors in the result."""
        return not self.problems and not self.empty and not any(d.is_error for d in self.diagnostics)

    def to_json(self) -> str:
        data = asdict(self)
        data["diagnostics"] = [d.to_json() for d in self.diagnostics]
        data["outputs"] = [{"path": p, "text": t} for p, t in self.outputs]
        return json.dumps(data, indent=2, ensure_ascii=False)

    def format_text(self, *, show_outputs: bool = False) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [
            f"{'Dry run: ' if self.dry_run else ''}ADRs from {self.source_dir} into {self.decisions_dir}/{self.workload}/ "
            f"(ids {self.id_prefix}-NNNN)",
            "",
        ]
        for f in self.files:
            if f.action == "skipped":
                lines.append(f"  {f.source}: skipped: {f.reason}")
            elif f.action in ("updated", "would update"):
                lines.append(f"  {f.source}: {f.action} {f.target} ({f.id}, {f.status})")
            else:
                action = "would import" if self.dry_run else "imported"
                lines.append(f"  {f.source}: {action} to {f.target} as {f.id} ({f.format}, {f.status})")
            lines.extend(f"      warning: {w}" for w in f.warnings)
        if self.notes:
            lines.append("")
            lines.extend(f"note: {n}" for n in self.notes)
        if self.diagnostics:
            lines.append("")
            lines.append("Validation of the result:" if not self.dry_run else "Validation of the files it would write:")
            lines.extend(f"  {d.format()}" for d in self.diagnostics)
        skipped = sum(f.action == "skipped" for f in self.files)
        # Every warning printed above counts: the importer's own, and the validation's.
        errors = sum(d.is_error for d in self.diagnostics)
        warnings = sum(len(f.warnings) for f in self.files) + len(self.diagnostics) - errors
        lines.append("")
        lines.append(
            f"{verb} {count(len(self.imported), 'file')}; skipped {skipped:,} ({len(self.problems):,} need attention); "
            + (f"{count(errors, 'error')}, " if errors else "")
            + f"{count(warnings, 'warning')}." + (" Nothing was written." if self.dry_run else "")
        )
        if show_outputs:
            for path, text in self.outputs:
                lines += ["", f"--- {path}", text.rstrip("\n")]
        return "\n".join(lines) + "\n"
