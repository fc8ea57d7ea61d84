"""A synthetic mkdocs-wa project for the benchmarks: decisions, diagrams and git history.

``python benchmarks/generate.py OUT --decisions 1000 --workloads 10 --commits 10000 --diagrams 200``
writes, under ``OUT``:

* a git repository whose ``decisions/<workload>/NNNN-slug.yaml`` files were written by
  ``commits`` backdated commits: each decision is proposed, then accepted or rejected,
  superseded, measured (observed values, a result), rescored, edited and renamed
  (:func:`synthetic_history.synthetic_commits`, written by one ``git fast-import``);
* on exactly ``diagrams`` of the decisions, spread evenly, an architecture that evolves
  from one iteration of its workload to the next (:mod:`synthetic_diagrams`):
  8 to 12 nodes in two clusters, a node or two added, one changed, one removed each time,
  so every diagram after a workload's first one has a diff to draw;
* ``mkdocs.yml`` (Material, the plugin, a fixed ``today``), the same with Material's
  ``navigation.prune`` as ``mkdocs-prune.yml``, and ``docs/index.md``.

:func:`plain_site` then writes the *same* Markdown pages the plugin generates (and the
same diagrams, CSS and export) as an ordinary MkDocs project without the plugin: the
baseline the plugin's build is compared with.

Both generators are beside this file (``synthetic_history.py``, ``synthetic_diagrams.py``);
this module only fixes the diagram count exactly and puts a site around the repository.
Everything is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import yaml

# Siblings: this file runs as a script (or is imported by run.py from this folder).
from synthetic_diagrams import synthetic_decisions
from synthetic_history import synthetic_commits

from mkdocs_wa.authoring.demo import CommitSpec, git_env, write_git_repo

#: The date open loops are judged on: fixed, so every run builds the same pages.
TODAY = "2026-01-01"

SITE_CONFIG: dict = {
    "site_name": "Synthetic architecture",
    "theme": {"name": "material"},
    "markdown_extensions": ["admonition", "attr_list", "tables", {"toc": {"permalink": True}}],
    "plugins": ["search", {"well-architected": {"today": TODAY}}],
}
#: The same site with Material's ``navigation.prune``: each page carries only the
#: navigation around it instead of every page of the site (at 1,000 decisions the full
#: navigation is 340 KB of every page, and rendering it most of the build).
PRUNE_CONFIG = "mkdocs-prune.yml"


def _write_configs(folder: Path, config: dict) -> None:
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    pruned = dict(config, theme=dict(config["theme"], features=["navigation.prune"]))
    (folder / PRUNE_CONFIG).write_text(yaml.safe_dump(pruned, sort_keys=False), encoding="utf-8")


@dataclass(frozen=True)
class Generated:
    """What :func:`generate` wrote, counted back from the repository itself."""

    root: str
    decisions: int
    workloads: int
    commits: int
    diagrams: int
    #: Seconds to write the repository (fast-import and checkout included).
    seconds: float


# --- architectures ----------------------------------------------------------------------


def _diagram_slots(created: list[tuple[str, str]], diagrams: int) -> dict[str, tuple[int, int]]:
    """Which decisions get a diagram: exactly ``diagrams`` of them, shared out over the
    workloads as evenly as possible and spread evenly over each workload's decisions.

    ``created`` is (decision id, workload) in creation order; returns decision id ->
    (workload index, its diagram's position in that workload).
    """
    if diagrams > len(created):
        raise ValueError(f"--diagrams ({diagrams}) cannot exceed --decisions ({len(created)})")
    by_workload: dict[str, list[str]] = {}
    for ident, workload in created:
        by_workload.setdefault(workload, []).append(ident)
    # Workloads with more decisions first, so no workload is asked for more than it has.
    names = sorted(by_workload, key=lambda w: (-len(by_workload[w]), w))
    share = {w: diagrams // len(names) + (i < diagrams % len(names)) for i, w in enumerate(names)}
    slots: dict[str, tuple[int, int]] = {}
    for w_index, w in enumerate(names):
        ids, n = by_workload[w], share[w]
        for k in range(n):
            slots[ids[k * len(ids) // n]] = (w_index, k)
    return slots


def _architectures(workloads: int, per_workload: int, seed: int) -> list[list[dict]]:
    """``per_workload`` successive whole architectures for each of ``workloads`` workloads."""
    if per_workload == 0:
        return [[] for _ in range(workloads)]
    files = synthetic_decisions(workloads * per_workload, per_workload=per_workload, seed=seed, whole=True)
    out: list[list[dict]] = [[] for _ in range(workloads)]
    # Keys are "w000/0001-iteration-1.yaml": sorted, they come workload by workload, in order.
    for rel in sorted(files):
        w = int(rel.split("/", 1)[0][1:])
        out[w].append(yaml.safe_load(files[rel])["architecture"])
    return out


def _architecture_block(arch: dict) -> str:
    body = yaml.safe_dump(arch, sort_keys=False, default_flow_style=None, width=200)
    return "architecture:\n" + "".join(f"  {line}\n" for line in body.splitlines())


def _with_diagrams(commits: list[CommitSpec], workloads: int, diagrams: int, seed: int) -> list[CommitSpec]:
    """The commits, with an architecture appended to every text of the chosen decisions.

    A decision is created by the first commit that writes its id; it keeps its
    architecture through every later revision and rename, as a real one would.
    """
    created: dict[str, str] = {}
    for spec in commits:
        for path, text in spec.write.items():
            created.setdefault(_field(text, "id"), path.split("/")[-2])
    slots = _diagram_slots(list(created.items()), diagrams)
    per_workload = max((k for _, k in slots.values()), default=-1) + 1
    archs = _architectures(workloads, per_workload, seed)
    block = {ident: _architecture_block(archs[w][k]) for ident, (w, k) in slots.items()}
    out = []
    for spec in commits:
        if spec.write:
            written = {path: text + block.get(_field(text, "id"), "") for path, text in spec.write.items()}
            spec = replace(spec, write=written)
        out.append(spec)
    return out


def _field(text: str, key: str) -> str:
    prefix = key + ": "
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    raise ValueError(f"generated decision without '{key}'")


# --- the project -----------------------------------------------------------------------


def generate(
    out: Path,
    *,
    decisions: int = 1000,
    workloads: int = 10,
    commits: int = 10_000,
    diagrams: int = 200,
    seed: int = 0,
) -> Generated:
    """Write the synthetic project at ``out`` (which must not exist or be empty)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    if commits < decisions:
        raise ValueError("--commits must be at least --decisions (one commit creates each decision)")
    start = time.perf_counter()
    # Whole in memory (tens of MB at 10,000 commits): the diagram share needs to know
    # every decision's workload before the first commit is written.
    stream = list(synthetic_commits(decisions=decisions, commits=commits, workloads=workloads, diagram_share=0.0, seed=seed))
    write_git_repo(out, _with_diagrams(stream, workloads, diagrams, seed))
    (out / "docs").mkdir(exist_ok=True)
    (out / "docs" / "index.md").write_text(
        "# Synthetic architecture\n\nA generated project for the mkdocs-wa benchmarks.\n", encoding="utf-8"
    )
    _write_configs(out, SITE_CONFIG)
    # The site and the diagram cache are build output, not part of the history.
    (out / ".gitignore").write_text("/site/\n/.cache/\n", encoding="utf-8")
    seconds = time.perf_counter() - start
    return replace(count(out), seconds=round(seconds, 3))


def count(root: Path) -> Generated:
    """Count decisions, workloads, commits and diagrams in a generated project."""
    files = sorted((root / "decisions").glob("*/*.yaml"))
    done = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True, check=True, env=git_env()
    )
    return Generated(
        root=str(root),
        decisions=len(files),
        workloads=len({f.parent.name for f in files}),
        commits=int(done.stdout.strip()),
        diagrams=sum("\narchitecture:\n" in f.read_text(encoding="utf-8") for f in files),
        seconds=0.0,
    )


def plain_site(project: Path, out: Path) -> int:
    """Write an MkDocs project without the plugin holding the pages the plugin generates,
    with the same navigation (decision pages out of it, as the plugin keeps them).

    The plugin's own ``on_config``/``on_files`` run once here (through MkDocs' API) and
    every file it hands to MkDocs is written under ``out/docs``: the same Markdown
    pages, diagrams, CSS and export, next to the project's own ``docs/``. Returns the
    number of Markdown pages.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    # The decisions' warnings were already shown by the builds that matter.
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(project / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    docs = out / "docs"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(project / "docs", docs)
    pages = 0
    for f in files:
        if f.generated_by is None:
            continue
        target = docs / f.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content_bytes)
        pages += f.src_uri.endswith(".md")
    # The same navigation as the plugin's: decision pages are not in it (MkDocs'
    # not_in_nav), only the section's pages and each workload's log and timeline.
    section = config.plugins["well-architected"].options.layout.section
    not_in_nav = f"/{section}/*/*.md\n!/{section}/*/index.md\n!/{section}/*/timeline.md\n"
    # The same Markdown extensions as the plugin's site (it adds pymdownx.details and
    # tabbed for its collapsible blocks and tabs): without them MkDocs would turn each
    # collapsible block's content into a code block, a cheaper page that is not the same
    # page (until 2026-12-03 the plain site lacked them: 15.1 s instead of 21.2 s).
    extensions = [{name: dict(config.mdx_configs[name])} if config.mdx_configs.get(name) else name
                  for name in config.markdown_extensions]
    _write_configs(out, dict(SITE_CONFIG, plugins=["search"], markdown_extensions=extensions,
                             extra_css=list(config.extra_css), extra_javascript=[str(js) for js in config.extra_javascript],
                             not_in_nav=not_in_nav))
    config.plugins.on_shutdown()
    return pages + sum(1 for _ in (project / "docs").rglob("*.md"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a synthetic mkdocs-wa project with git history.")
    p.add_argument("out", type=Path, help="folder to create (must not exist or be empty)")
    p.add_argument("--decisions", type=int, default=1000)
    p.add_argument("--workloads", type=int, default=10)
    p.add_argument("--commits", type=int, default=10_000)
    p.add_argument("--diagrams", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plain", type=Path, help="also write the equivalent plain MkDocs project here")
    args = p.parse_args(argv)
    made = generate(
        args.out, decisions=args.decisions, workloads=args.workloads, commits=args.commits, diagrams=args.diagrams, seed=args.seed
    )
    result = asdict(made)
    if args.plain:
        result["plain_pages"] = plain_site(args.out, args.plain)
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
