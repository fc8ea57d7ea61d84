"""How fast the history stage reads git, cold and warm, in two YAML styles.

``python benchmarks/history.py [--runs 3] [--commits 10000] [--workdir DIR] [--baseline DIR]`` writes three
generated repositories (``benchmarks/generate.py``'s writer, the same synthetic commits):

* ``large``: 1,000 decisions, ``--commits`` commits, the generator's own style;
* ``style-bench``: 300 decisions, 1,500 commits, the generator's style;
* ``style-default``: the very same commits, every file written back in PyYAML's default
  style (``yaml.safe_dump``: sequences at their key's column, ``deciders:`` then
  ``- team``), which people and tools write too;

and reads each one's history in a fresh interpreter (``read_history`` as ``build.py``
calls it), printing the median wall time of ``--runs`` runs:

* cold: no cache folder (a first build, or a CI machine);
* warm: a second build with the cache folder the first one left (when ``read_history``
  takes a ``cache_dir``; before it did, warm is simply a second cold read);
* serve: in one interpreter, a commit made after a first read, then the read again (what
  ``mkdocs serve`` does after a commit, with its memo).

Figures depend on the machine; ``--baseline DIR`` (a folder holding another ``mkdocs_wa``
package, e.g. an older checkout) measures both interleaved and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import yaml

# A sibling: this file runs as a script.
from synthetic_history import synthetic_commits

from mkdocs_wa.authoring.demo import git_env, write_git_repo

HERE = Path(__file__).resolve().parent


def _default_style(text: str | bytes) -> str | bytes:
    if isinstance(text, bytes):
        return text
    return yaml.safe_dump(yaml.safe_load(text), sort_keys=False, allow_unicode=True, width=100)


def make_repo(out: Path, *, decisions: int, commits: int, default_style: bool, seed: int = 0) -> None:
    stream = synthetic_commits(decisions=decisions, commits=commits, workloads=10, diagram_share=0.2, seed=seed)
    if default_style:
        stream = (replace(c, write={p: _default_style(t) for p, t in c.write.items()}) for c in stream)
    write_git_repo(out, stream)


PROBE = """
import json, sys, time, inspect
from pathlib import Path
start = time.perf_counter()
try:
    from mkdocs_wa.history.reader import read_history
except ImportError:  # the code before the packages by stage (--baseline)
    from mkdocs_wa.history import read_history
root = Path(sys.argv[1])
kwargs = {}
if sys.argv[2] and "cache_dir" in inspect.signature(read_history).parameters:
    kwargs["cache_dir"] = Path(sys.argv[2])
h = read_history(root, root / "decisions", **kwargs)
wall = time.perf_counter() - start
assert h.warning is None, h.warning
print(json.dumps({"wall_s": wall, "commits": h.commits, "files": len(h.files),
                  "revisions": sum(len(f.revisions) for f in h.files.values())}))
"""

SERVE = """
import json, subprocess, sys, time, inspect
from pathlib import Path
try:
    from mkdocs_wa.history.reader import read_history
except ImportError:
    from mkdocs_wa.history import read_history
root = Path(sys.argv[1])
kwargs = {}
params = inspect.signature(read_history).parameters
if "memo" in params:
    from mkdocs_wa.memo import Memo
    kwargs["memo"] = memo = Memo()
    memo.start_build()
read_history(root, root / "decisions", **kwargs)
if "memo" in params:
    memo.start_build()
f = sorted((root / "decisions").glob("*/*.yaml"))[0]
f.write_text(f.read_text(encoding="utf-8").replace("title: ", "title: Again ", 1), encoding="utf-8")
subprocess.run(["git", "commit", "-qam", "Retitle"], cwd=root, check=True, env=json.loads(sys.argv[2]))
start = time.perf_counter()
h = read_history(root, root / "decisions", **kwargs)
wall = time.perf_counter() - start
subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=root, check=True)
assert h.warning is None, h.warning
print(json.dumps({"wall_s": wall}))
"""


def _env(pythonpath: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def probe(root: Path, cache: Path | None, pythonpath: str | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(root), str(cache or "")],
        capture_output=True, text=True, cwd=root, check=False, env=_env(pythonpath),
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def serve(root: Path, pythonpath: str | None = None) -> dict:
    env = git_env({"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
                   "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com"})
    done = subprocess.run(
        [sys.executable, "-c", SERVE, str(root), json.dumps(env)],
        capture_output=True, text=True, cwd=root, check=False, env=_env(pythonpath),
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def measure(root: Path, runs: int, variants: dict[str, str | None]) -> dict[str, dict]:
    """Each variant (name -> PYTHONPATH holding its mkdocs_wa) measured ``runs`` times,
    interleaved, so load from other work on the machine spreads over all of them."""
    cache = root.parent / (root.name + "-cache")
    samples: dict[str, dict[str, list[float]]] = {v: {"cold": [], "warm": [], "serve": []} for v in variants}
    first: dict = {}
    for _ in range(runs):
        for name, path in variants.items():
            shutil.rmtree(cache, ignore_errors=True)
            first = probe(root, cache, path)
            samples[name]["cold"].append(first["wall_s"])
            samples[name]["warm"].append(probe(root, cache, path)["wall_s"])
            samples[name]["serve"].append(serve(root, path)["wall_s"])
    return {
        name: {
            "commits": first["commits"], "files": first["files"], "revisions": first["revisions"],
            **{f"{k}_s": round(statistics.median(v), 3) for k, v in figures.items()},
        }
        for name, figures in samples.items()
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--commits", type=int, default=10_000)
    p.add_argument("--workdir", type=Path, default=HERE / "results" / "history")
    p.add_argument("--keep", action="store_true", help="reuse repositories already in --workdir")
    p.add_argument("--baseline", type=Path, help="a folder holding another mkdocs_wa package (e.g. a checkout of main): measured interleaved with this one")
    args = p.parse_args(argv)
    work: Path = args.workdir
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    repos = {
        "large": {"decisions": 1000, "commits": args.commits, "default_style": False},
        "style-bench": {"decisions": 300, "commits": 1500, "default_style": False},
        "style-default": {"decisions": 300, "commits": 1500, "default_style": True},
    }
    variants: dict[str, str | None] = {"this": None}
    if args.baseline:
        variants = {"baseline": str(args.baseline), "this": None}
    print(f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}; variants: {variants}")
    results: dict[str, dict[str, dict]] = {}
    for name, spec in repos.items():
        root = work / name
        if not (root / ".git").exists():
            t = time.perf_counter()
            make_repo(root, **spec)
            print(f"  wrote {name} in {time.perf_counter() - t:.1f} s")
        results[name] = measure(root, args.runs, variants)
        for variant, r in results[name].items():
            print(
                f"{name:14} {variant:9} {r['commits']:6} commits {r['files']:5} files {r['revisions']:6} revisions: "
                f"cold {r['cold_s']:.3f} s, warm {r['warm_s']:.3f} s, serve after a commit {r['serve_s']:.3f} s",
                flush=True,
            )
    for variant in variants:
        ratio = results["style-default"][variant]["cold_s"] / results["style-bench"][variant]["cold_s"]
        print(f"{variant}: default style / benchmark style, cold: {ratio:.2f}x")
    if args.baseline:
        for name, by in results.items():
            b, t = by["baseline"], by["this"]
            print(f"{name}: this / baseline: cold {t['cold_s'] / b['cold_s']:.2f}x, warm {t['warm_s'] / b['warm_s']:.2f}x, "
                  f"serve {t['serve_s'] / b['serve_s']:.2f}x")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
