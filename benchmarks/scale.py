"""How the build grows with the number of decisions: warm build time and peak memory at
several sizes, and the ratio between them.

    python benchmarks/scale.py                       # 1,000 and 10,000 decisions
    python benchmarks/scale.py --sizes 200 2000      # while working on it
    python benchmarks/scale.py --configs prune plain tiny   # against MkDocs by itself

For each size N it generates (or reuses, from ``--workdir``) a repository with everything
in proportion: N/100 workloads of 100 decisions, 2N commits, N/5 diagrams. It builds it
once to fill the diagram cache, then ``--runs`` warm ``mkdocs build`` runs for each
configuration (``mkdocs.yml``: Material's defaults; ``mkdocs-prune.yml``: with
``navigation.prune``), each a child process measured by ``run.py``'s launcher (wall
time, CPU time of the build and what it waited for, peak RSS from ``wait4``). It prints
a table with the ratio of each figure between the largest and the smallest size: a
build that grows linearly has a time ratio equal to the size ratio (10x for 1,000 ->
10,000); the target is at most 12x, under 60 s and 1 GB at 10,000 decisions.

A build that would take too long (the whole navigation in every page at 10,000
decisions, before decisions left the navigation) can be left out with ``--configs``;
one that exceeds ``--timeout`` seconds is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import PRUNE_CONFIG, generate, plain_site  # noqa: E402
from run import ENV, REPO, Sample, machine, summary  # noqa: E402

#: What each configuration builds: the plugin's project with Material's defaults or with
#: ``navigation.prune``; or, with ``navigation.prune`` and no plugin, the same pages
#: (``plain``: generate.plain_site) or as many tiny ones at the same paths (``tiny``: one
#: heading and one sentence each): what MkDocs and Material cost by themselves.
CONFIGS = {"full": "mkdocs.yml", "prune": PRUNE_CONFIG, "plain": PRUNE_CONFIG, "tiny": PRUNE_CONFIG}


def baseline_for(root: Path, name: str) -> Path:
    """The project ``name`` ("plain" or "tiny") builds, written beside ``root`` once."""
    out = root.with_name(f"{root.name}-{name}")
    stamp = out / ".from.json"
    if stamp.exists() and stamp.read_text() == (root / ".scale.json").read_text():
        return out
    plain = root.with_name(f"{root.name}-plain")
    if name == "plain" or not (plain / ".from.json").exists():
        plain_site(root, plain)
        (plain / ".from.json").write_text((root / ".scale.json").read_text())
    if name == "tiny":
        shutil.rmtree(out, ignore_errors=True)
        for page in (plain / "docs").rglob("*.md"):
            target = out / "docs" / page.relative_to(plain / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"# {page.stem}\n\nA page.\n", encoding="utf-8")
        for config in ("mkdocs.yml", PRUNE_CONFIG):
            shutil.copy(plain / config, out / config)
        stamp.write_text((root / ".scale.json").read_text())
    return out


def timed_build(project: Path, config: str, site: Path, log: Path, timeout: float) -> Sample | None:
    """One ``mkdocs build`` through run.py's ``_exec`` launcher; None when it ran out of time
    (the launcher's process group is killed, so no build is left running)."""
    shutil.rmtree(site, ignore_errors=True)
    result = log.with_suffix(".usage.json")
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(HERE / "run.py"), "_exec", str(result),
           sys.executable, "-m", "mkdocs", "build", "-f", str(project / config), "-d", str(site)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None
    u = json.loads(result.read_text(encoding="utf-8"))
    if u["returncode"] != 0:
        raise SystemExit(f"build failed (exit {u['returncode']}); see {log}\n{log.read_text(errors='replace')[-3000:]}")
    return Sample(u["wall"], u["user"], u["sys"], u["maxrss_kb"] / 1024, u["returncode"])


def page_sizes(site: Path) -> dict:
    """Median size of a decision page (``architecture/<workload>/<slug>/index.html``), KB."""
    pages = [p for p in (site / "architecture").glob("*/*/index.html") if p.parent.name != "timeline"]
    return {"decision_page_kb": round(statistics.median(p.stat().st_size for p in pages) / 1024, 1) if pages else None,
            "pages": sum(1 for _ in site.rglob("index.html"))}


def project_for(work: Path, n: int, seed: int) -> Path:
    root = work / f"project-{n}"
    sizes = {"decisions": n, "workloads": max(1, n // 100), "commits": 2 * n, "diagrams": n // 5}
    stamp = root / ".scale.json"
    if stamp.exists() and json.loads(stamp.read_text()) == sizes | {"seed": seed}:
        return root
    shutil.rmtree(root, ignore_errors=True)
    print(f"Generating {n} decisions ({sizes})...", flush=True)
    made = generate(root, **sizes, seed=seed)
    print(f"  written in {made.seconds:.1f} s", flush=True)
    stamp.write_text(json.dumps(sizes | {"seed": seed}), encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description="Warm build time and peak memory against the number of decisions.")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    p.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=["full", "prune"])
    p.add_argument("--skip", nargs="*", default=[], metavar="CONFIG@N",
                   help="leave out one configuration at one size, e.g. full@10000")
    p.add_argument("--runs", type=int, default=2, help="warm builds per configuration and size; the median is reported")
    p.add_argument("--timeout", type=float, default=1200, help="seconds before a build is stopped (default 1200)")
    p.add_argument("--no-fill", action="store_true", help="no first build to fill the diagram cache (it is warm already)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--label", default="", help="a word for the result file's name (e.g. before, after)")
    p.add_argument("--workdir", type=Path, default=HERE / "results" / "scale")
    args = p.parse_args(argv)
    work = args.workdir.resolve()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    r: dict = {"command": "python benchmarks/scale.py " + " ".join(argv), "machine": machine(),
               "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "sizes": {}}
    for n in sorted(args.sizes):
        root = project_for(work, n, args.seed)
        site = work / "site"
        # Fill the diagram cache (and the OS's file cache) with one build that is not reported.
        first = None if args.no_fill else next((c for c in args.configs if f"{c}@{n}" not in args.skip and c in ("full", "prune")), None)
        if first is not None:
            cold = timed_build(root, CONFIGS[first], site, work / "logs" / f"{n}-cold.log", args.timeout)
            print(f"  {n} cold ({first}): " + (f"{cold.wall:.1f} s, {cold.peak_mb:.0f} MB" if cold else "timed out"), flush=True)
        entry: dict = {"project": json.loads((root / ".scale.json").read_text())}
        for name in args.configs:
            if f"{name}@{n}" in args.skip:
                entry[name] = {"skipped": True}
                continue
            samples: list[Sample] = []
            sizes: dict = {}
            project = baseline_for(root, name) if name in ("plain", "tiny") else root
            for i in range(args.runs):
                s = timed_build(project, CONFIGS[name], site, work / "logs" / f"{n}-{name}-{i}.log", args.timeout)
                if s is None:
                    print(f"  {n} {name} run {i + 1}: stopped after {args.timeout:.0f} s", flush=True)
                    break
                samples.append(s)
                sizes = page_sizes(site)
                print(f"  {n} {name} run {i + 1}: {s.wall:6.1f} s wall, {s.cpu:6.1f} s cpu, {s.peak_mb:6.0f} MB peak, "
                      f"decision page {sizes['decision_page_kb']} KB", flush=True)
            entry[name] = (summary(samples) | sizes) if samples else {"timed_out_s": args.timeout}
        shutil.rmtree(site, ignore_errors=True)
        r["sizes"][str(n)] = entry
    small, large = (str(n) for n in (min(args.sizes), max(args.sizes)))
    lines = [f"Machine: {r['machine']['cpu']}, {r['machine']['cores']} cores, load at start {r['machine']['load_average_start']}",
             "", f"| {'decisions':>9} | {'config':<6} | {'wall s':>7} | {'CPU s':>7} | {'peak MB':>7} | {'page KB':>7} |",
             f"|{'-' * 10}:|{'-' * 8}|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|"]
    for n, entry in r["sizes"].items():
        for name in args.configs:
            e = entry[name]
            if "wall_s" in e:
                lines.append(f"| {n:>9} | {name:<6} | {e['wall_s']:7.1f} | {e['cpu_s']:7.1f} | {e['peak_mb']:7.0f} | {e['decision_page_kb']!s:>7} |")
            else:
                lines.append(f"| {n:>9} | {name:<6} | {'skipped' if e.get('skipped') else 'timeout':>7} | | | |")
    if small != large:
        r["ratios"] = {}
        lines.append("")
        for name in args.configs:
            a, b = r["sizes"][small][name], r["sizes"][large][name]
            if "wall_s" in a and "wall_s" in b:
                ratio = {k: round(b[k] / a[k], 2) for k in ("wall_s", "cpu_s", "peak_mb")}
                r["ratios"][name] = ratio
                lines.append(f"{name}: {large} / {small} decisions: {ratio['wall_s']}x wall, {ratio['cpu_s']}x CPU, "
                             f"{ratio['peak_mb']}x peak memory (linear: {int(large) / int(small):g}x)")
    r["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    r["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = "\n".join(lines)
    print("\n" + text)
    out = HERE / "results" / f"scale-{r['finished'].replace(':', '')[:17]}{'-' + args.label if args.label else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r | {"table": text}, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
