"""A large, realistic-looking git history of decision files, for the benchmarks and tests.

:func:`synthetic_commits` describes thousands of decisions changed over tens of
thousands of commits (as :class:`mkdocs_wa.authoring.demo.CommitSpec`), and :func:`synthetic_repo`
writes them with the package's :func:`mkdocs_wa.authoring.demo.write_git_repo` (one ``git
fast-import``). Not shipped in the wheel: ``mkdocs-wa demo`` replays the case studies
only. Used by ``benchmarks/generate.py`` and by the tests' ``large_repo``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_wa.authoring.demo import CommitSpec, write_git_repo

_PILLARS = (
    "operational-excellence",
    "security",
    "reliability",
    "performance-efficiency",
    "cost-optimization",
    "sustainability",
)
_PRINCIPLES = ("on-demand", "automate-everything", "test-at-scale", "fact-based-feedback", "evolve-architectures", "practice")
_WORDS = (
    "cache queue stream ingest batch gateway index shard replica region cluster pool "
    "function container bucket table topic partition edge cdn proxy worker scheduler "
    "pipeline catalog ledger search archive export import report alert tenant"
).split()
_VERBS = ("Move", "Split", "Cache", "Shard", "Replicate", "Stream", "Batch", "Archive", "Route", "Scale")
_SENTENCE = (
    "The {a} handles {n} requests a second at peak and the {b} falls behind during "
    "releases, so the team measures {a} latency before and after every change."
)
_NODE_TYPES = ("aws.compute.EC2", "aws.compute.Lambda", "aws.database.Dynamodb", "aws.storage.S3", "aws.network.ALB")


@dataclass
class _Synthetic:
    """Mutable state of one generated decision while its history is replayed."""

    workload: str
    number: int
    slug: str
    title: str
    date: dt.date
    seed: int
    status: str = "proposed"
    supersedes: list[str] = field(default_factory=list)
    observed: dict[int, float] = field(default_factory=dict)
    result: tuple[str, dt.date] | None = None
    pillars: dict[str, int] = field(default_factory=dict)
    edits: int = 0
    diagram: bool = False

    @property
    def id(self) -> str:
        return f"{self.workload.upper().replace('-', '')}-{self.number:04d}"

    @property
    def path(self) -> str:
        return f"decisions/{self.workload}/{self.number:04d}-{self.slug}.yaml"

    def render(self) -> str:
        rng = random.Random(self.seed)
        a, b = rng.sample(_WORDS, 2)
        sentence = _SENTENCE.format(a=a, b=b, n=rng.randint(50, 5000))
        lines = [
            "# yaml-language-server: $schema=../../schema/decision-v1.schema.json",
            "schema: 1",
            f"id: {self.id}",
            f"title: {self.title}",
            f"status: {self.status}",
            f"date: {self.date.isoformat()}",
            f"deciders: [team-{self.workload}]",
            f"tags: [{a}, {b}]",
        ]
        if self.supersedes:
            lines.append(f"supersedes: [{', '.join(self.supersedes)}]")
        lines.append("context: |")
        lines += [f"  {sentence}"] * 3
        lines += [f"  Revision note {i + 1}: the {b} figures were checked again." for i in range(self.edits)]
        lines += ["decision: |", f"  {self.title} behind the existing {b}, one step at a time.", f"  {sentence}"]
        lines += ["consequences: |", f"  Less load on the {b}; one more {a} to run and watch.", f"  {sentence}"]
        lines.append(f"principles: [{', '.join(rng.sample(_PRINCIPLES, 2))}]")
        lines += ["hypothesis:", "  statement: |", f"    {self.title} keeps p95 response time under 500 ms at peak."]
        lines.append("  metrics:")
        metrics = (("p95 response time", "ms", 900, "<= 500"), ("Monthly cost", "USD/month", 12000, "<= 9000"))
        for i, (name, unit, baseline, target) in enumerate(metrics):
            lines += [f"    - name: {name}", f"      unit: {unit}", f"      baseline: {baseline}", f'      target: "{target}"']
            if i in self.observed:
                lines.append(f"      observed: {self.observed[i]:g}")
        lines.append(f"  review_by: {(self.date + dt.timedelta(days=60)).isoformat()}")
        if self.result:
            outcome, measured = self.result
            lines += ["result:", f"  outcome: {outcome}", f"  measured_on: {measured.isoformat()}", "  summary: |", f"    {sentence}"]
        if self.pillars:
            lines.append("pillars:")
            lines += [f'  {p}: {{score: {s}, note: "Rated after {a} review."}}' for p, s in self.pillars.items()]
        if self.diagram:
            lines += ["architecture:", "  nodes:"]
            lines += [f"    - {{id: n{i}, type: {_NODE_TYPES[i % len(_NODE_TYPES)]}, label: {w}}}" for i, w in enumerate((a, b, "users"))]
            lines += ["  edges:", "    - {from: n2, to: n0}", "    - {from: n0, to: n1}"]
        return "\n".join(lines) + "\n"


def synthetic_commits(
    *,
    decisions: int = 1000,
    commits: int = 10_000,
    workloads: int = 10,
    diagram_share: float = 0.2,
    tag_every: int = 500,
    seed: int = 0,
    start: dt.datetime = dt.datetime(2015, 1, 5, 9, 0, tzinfo=dt.UTC),
) -> Iterator[CommitSpec]:
    """A large, valid, realistic-looking history of ``decisions`` files in ``commits`` commits.

    Decisions are created as ``proposed`` at evenly spaced commits; every other commit
    changes one decision the way teams do: accepts or rejects it, records an observed
    metric, records the result, rescores a pillar, edits its text, retitles it (a
    rename), or accepts a newer decision that supersedes the workload's previous one
    (two files in one commit). Every ``tag_every`` commits a ``release-N`` tag. The final
    tree validates. Deterministic for a given ``seed``.
    """
    if commits < decisions:
        raise ValueError("need at least one commit per decision")
    rng = random.Random(seed)
    names = [f"wl-{i:02d}" for i in range(workloads)]
    made: list[_Synthetic] = []
    numbers = {w: 0 for w in names}
    last_accepted: dict[str, _Synthetic] = {}
    when = start
    create_every = commits / decisions
    next_create = 0.0
    for n in range(commits):
        when += dt.timedelta(minutes=rng.randint(30, 240))
        tags = (f"release-{n // tag_every}",) if tag_every and n % tag_every == tag_every - 1 else ()
        remaining = decisions - len(made)
        if remaining and (n >= next_create or commits - n <= remaining):
            next_create += create_every
            w = names[len(made) % workloads]
            numbers[w] += 1
            verb, noun = rng.choice(_VERBS), rng.choice(_WORDS)
            d = _Synthetic(w, numbers[w], f"{verb.lower()}-{noun}", f"{verb} the {noun}", when.date(), rng.randrange(1 << 30))
            d.diagram = rng.random() < diagram_share
            made.append(d)
            yield CommitSpec(f"Propose {d.id}: {d.title}", when, _author(rng), {d.path: d.render()}, tags=tags)
            continue
        d = rng.choice(made)
        spec = _mutate(d, rng, when, last_accepted)
        yield CommitSpec(spec[0], when, _author(rng), spec[1], rename=spec[2], tags=tags)


def _author(rng: random.Random) -> str:
    return rng.choice(("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"))


def _mutate(
    d: _Synthetic, rng: random.Random, when: dt.datetime, last_accepted: dict[str, _Synthetic]
) -> tuple[str, dict[str, str], tuple[tuple[str, str], ...]]:
    """Change ``d`` one plausible step; return (message, files written, renames)."""
    if d.status == "proposed":
        if rng.random() < 0.1:
            d.status = "rejected"
            return f"Reject {d.id}", {d.path: d.render()}, ()
        d.status = "accepted"
        d.pillars = {p: rng.randint(1, 4) for p in _PILLARS[: rng.randint(3, 6)]}
        written = {}
        previous = last_accepted.get(d.workload)
        if previous is not None and previous is not d and previous.status == "accepted" and rng.random() < 0.3:
            d.supersedes.append(previous.id)
            previous.status = "superseded"
            written[previous.path] = previous.render()
        last_accepted[d.workload] = d
        written[d.path] = d.render()
        return f"Accept {d.id}: {d.title}", written, ()
    choice = rng.random()
    if d.status in ("accepted", "superseded") and choice < 0.3 and len(d.observed) < 2:
        i = len(d.observed)
        d.observed[i] = rng.choice((420, 480, 650)) if i == 0 else rng.choice((8000, 9500))
        return f"{d.id}: record observed value", {d.path: d.render()}, ()
    if d.status in ("accepted", "superseded") and choice < 0.45 and d.observed and d.result is None:
        d.result = (rng.choice(("confirmed", "refuted", "inconclusive")), when.date())
        return f"{d.id}: record the result", {d.path: d.render()}, ()
    if choice < 0.6 and d.pillars:
        pillar = rng.choice(sorted(d.pillars))
        step = rng.choice((-1, 1))
        if not 0 <= d.pillars[pillar] + step <= 5:
            step = -step  # every commit changes something
        d.pillars[pillar] += step
        return f"{d.id}: rescore {pillar}", {d.path: d.render()}, ()
    if choice < 0.63:
        # A retitle renames the file (same number, so no reference breaks).
        old = d.path
        verb = rng.choice([v for v in _VERBS if not d.slug.startswith(v.lower() + "-")])
        d.slug = f"{verb.lower()}-{d.slug.split('-', 1)[1]}"
        d.title = f"{verb} the {d.slug.split('-', 1)[1]}"
        return f"{d.id}: retitle", {d.path: d.render()}, ((old, d.path),)
    d.edits += 1
    return f"{d.id}: clarify the context", {d.path: d.render()}, ()


def synthetic_repo(path: Path, **options: object) -> int:
    """Write :func:`synthetic_commits` (same options) as a git repository at ``path``."""
    return write_git_repo(path, synthetic_commits(**options))  # type: ignore[arg-type]
