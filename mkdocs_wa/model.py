"""The domain model: frozen dataclasses, built once by :mod:`mkdocs_wa.source.validate`.

Nothing here reads files or knows about MkDocs. ``architecture`` stays the declarative
mapping from the file; :mod:`mkdocs_wa.diagrams` resolves and draws it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model names the loaded file it came from; it does not read files
    from mkdocs_wa.source.load import Document

STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
OUTCOMES = ("confirmed", "refuted", "inconclusive")


@dataclass(frozen=True)
class Measure:
    """How a metric is measured: one source ``kind`` (prometheus, cloudwatch, cost, file)
    and its settings as written (read by :mod:`mkdocs_wa.measure`)."""

    kind: str
    spec: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Evidence:
    """One recorded measurement of a metric (a line of an evidence file)."""

    metric: str
    value: float
    unit: str
    #: When the value holds (``--at``), timezone-aware UTC.
    time: dt.datetime
    #: The source kind (prometheus, cloudwatch, cost, file).
    kind: str = ""
    #: The query (or file and column) as run.
    query: str = ""
    #: Where it was measured: a server URL without credentials, a file path.
    source: str = ""
    #: Where the record is (evidence file path and 1-based line), for diagnostics and pages.
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class Metric:
    name: str
    target: str | float
    unit: str = ""
    baseline: str | float | None = None
    observed: str | float | None = None
    source: str = ""
    measure: Measure | None = None
    #: Recorded measurements, oldest first (from the decision's evidence file). Not part
    #: of equality: two versions of a decision file are compared as written (``diff``).
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def latest(self) -> Evidence | None:
        """The latest evidence: the metric's observed value when there is any."""
        return self.evidence[-1] if self.evidence else None


@dataclass(frozen=True)
class Hypothesis:
    statement: str
    metrics: tuple[Metric, ...] = ()
    review_by: dt.date | None = None


@dataclass(frozen=True)
class Result:
    outcome: str
    measured_on: dt.date | None = None
    summary: str = ""
    learned: str = ""
    next: str = ""


@dataclass(frozen=True)
class PillarScore:
    pillar: str
    score: int
    note: str = ""


@dataclass(frozen=True)
class ImportedFrom:
    path: str
    format: str = ""
    #: Text of files imported before ``sections`` existed (nothing writes it now).
    unmapped: str = ""
    #: The status as the source wrote it ("Partly superseded", "On hold"); "" when the
    #: source states no status; None when the mapped status says it all.
    status_as_written: str | None = None
    #: The names the source file had before (oldest first), so its history follows renames.
    renamed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSection:
    """A titled piece of Markdown beyond context, decision and consequences."""

    heading: str
    body: str
    #: The field it follows on the page: ``title``, ``context``, ``decision`` or ``consequences``.
    after: str = "consequences"


@dataclass(frozen=True)
class Option:
    """A considered option (MADR's "Considered Options" and their pros and cons)."""

    name: str
    chosen: bool = False
    description: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    id: str
    title: str
    status: str
    date: dt.date
    workload: str
    #: Path of the YAML file as shown to users (relative to the project root).
    path: str
    deciders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    #: Derived from other decisions' ``supersedes``; never written in a file.
    superseded_by: tuple[str, ...] = ()
    context: str = ""
    decision: str = ""
    consequences: str = ""
    sections: tuple[TextSection, ...] = ()
    options: tuple[Option, ...] = ()
    principles: tuple[str, ...] = ()
    hypothesis: Hypothesis | None = None
    result: Result | None = None
    pillars: tuple[PillarScore, ...] = ()
    architecture: Mapping[str, Any] | None = None
    imported_from: ImportedFrom | None = None
    #: The parsed file, for diagnostics that point into it later (diagram types...).
    source: Document | None = field(default=None, compare=False, repr=False)

    @property
    def slug(self) -> str:
        """The file name without its extension, e.g. ``0003-video-through-cloudfront``."""
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0]

    @property
    def imported_history_path(self) -> str | None:
        """``imported_from.path`` when its git history may join this decision's (a
        Markdown file outside the decisions tree; validate warns about any other)."""
        if self.imported_from is None or imported_path_problem(self.imported_from.path, self.path, self.workload):
            return None
        return self.imported_from.path

    @property
    def score_map(self) -> dict[str, int]:
        return {p.pillar: p.score for p in self.pillars}

    @property
    def is_iteration(self) -> bool:
        """An accepted (or later replaced) decision: a step of the workload's evolution."""
        return self.status in ("accepted", "superseded", "deprecated")


@dataclass(frozen=True)
class Pillar:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Lens:
    id: str
    name: str
    pillars: tuple[Pillar, ...]
    principles: tuple[Principle, ...] = ()
    url: str = ""
    description: str = ""
    #: Where the lens came from (a file path or "builtin:<id>").
    origin: str = ""

    @property
    def pillar_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pillars)

    @property
    def principle_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.principles)

    def pillar(self, pillar_id: str) -> Pillar | None:
        return next((p for p in self.pillars if p.id == pillar_id), None)

    def principle(self, principle_id: str) -> Principle | None:
        return next((p for p in self.principles if p.id == principle_id), None)


@dataclass(frozen=True)
class Catalog:
    """All valid decisions of a site, in a stable order (workload, date, id)."""

    decisions: tuple[Decision, ...]
    lens: Lens

    # Pages ask for these once per decision, so each is computed once per catalog (it is
    # frozen) and handed out read-only: computing them per call made a site's pages cost
    # time quadratic in its decisions.
    @cached_property
    def _by_id(self) -> Mapping[str, Decision]:
        return MappingProxyType({d.id: d for d in self.decisions})

    @cached_property
    def _workloads(self) -> Mapping[str, tuple[Decision, ...]]:
        out: dict[str, list[Decision]] = {}
        for d in self.decisions:
            out.setdefault(d.workload, []).append(d)
        return MappingProxyType({w: tuple(ds) for w, ds in sorted(out.items())})

    @cached_property
    def _iterations(self) -> Mapping[str, tuple[Decision, ...]]:
        return MappingProxyType({w: tuple(d for d in ds if d.is_iteration) for w, ds in self._workloads.items()})

    def by_id(self) -> Mapping[str, Decision]:
        return self._by_id

    def workloads(self) -> Mapping[str, tuple[Decision, ...]]:
        return self._workloads

    def iterations(self, workload: str) -> tuple[Decision, ...]:
        """The workload's accepted-or-later decisions, oldest first: its evolution."""
        return self._iterations.get(workload, ())


def imported_path_problem(value: str, decision_path: str, workload_folder: str | None) -> str | None:
    """Why ``imported_from.path`` cannot name the ADR a decision came from: its history
    joins the decision's, so it must be one Markdown file of the repository, outside the
    decisions tree (not another decision, not "." which would make git read everything)."""
    p = value.strip().replace("\\", "/")
    parts = [x for x in p.split("/") if x not in ("", ".")]
    if not parts or p.startswith("/") or re.match(r"^[A-Za-z]:", p) or ".." in parts:
        return f"'{value[:80]}' is not a repository-relative file path (e.g. docs/adr/0001-use-x.md)"
    if not parts[-1].lower().endswith((".md", ".markdown")):
        return f"'{value[:80]}' is not a Markdown file (.md): imported_from.path names the ADR this decision came from"
    shown = decision_path.replace("\\", "/")
    if workload_folder and (cut := shown.rfind(f"/{workload_folder}/")) > 0:
        tree = shown[:cut].split("/")
        if parts[: len(tree)] == tree:
            return f"'{value[:80]}' is inside the decisions folder; imported_from.path names the ADR outside it"
    return None
