"""``mkdocs serve`` with and without ``gc.freeze()``: rebuild time and memory after edits.

    python benchmarks/serve_gc.py --decisions 1000 --commits 10000 --diagrams 200 --edits 5

generates the benchmark's synthetic repository (:mod:`generate`), then for each variant
starts ``mkdocs serve`` (``--dirty`` unless ``--full``), edits one decision's title
``--edits`` times and reports, per variant, the median of MkDocs' own "Documentation
built in" figure, the time from writing the file to the served page showing the edit, the serve
process's CPU time (user + system, from ``/proc``) over that span, the time (wall and
CPU) spent in Python's full (generation 2) garbage collections during the rebuilds,
and the serve process's resident memory after the first build and after the last edit
(``VmRSS``) and its peak (``VmHWM``), from ``/proc``.

Variants: ``as-is`` runs the code as it is; ``no-freeze`` makes ``gc.freeze`` a no-op
before MkDocs starts; ``freeze`` calls ``gc.collect(); gc.freeze()`` once after the first
build (what the plugin's ``on_serve`` did up to December 2026), whatever the code does.
The variants run one after another on the same repository.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import ENV, _free_port, _get, edit_and_wait, stop_serve  # noqa: E402

#: Started as ``python -c``: records every full collection's duration in a file (the
#: path in WA_GC_LOG) and applies the variant before MkDocs' command line runs.
# gc.freeze is replaced by a no-op for both patched variants; "freeze" keeps the real one.
LAUNCHER = r"""
import gc, os, sys, time
log = open(os.environ["WA_GC_LOG"], "a", buffering=1)
start = [0.0, 0.0]
def callback(phase, info):
    if info["generation"] != 2:
        return
    if phase == "start":
        start[:] = [time.perf_counter(), time.process_time()]
    else:
        log.write(f"{time.time():.3f} {time.perf_counter() - start[0]:.4f} {time.process_time() - start[1]:.4f}\n")
gc.callbacks.append(callback)
variant = os.environ["WA_GC_VARIANT"]
real_freeze = gc.freeze
if variant in ("no-freeze", "freeze"):
    gc.freeze = lambda: None
if variant == "freeze":
    import mkdocs.livereload as lr
    serve = lr.LiveReloadServer.serve
    def frozen_serve(self, *a, **k):  # after the first build, as on_serve did
        gc.collect()
        real_freeze()
        return serve(self, *a, **k)
    lr.LiveReloadServer.serve = frozen_serve
from mkdocs.__main__ import cli
sys.argv = ["mkdocs"] + sys.argv[1:]
cli()
"""


def _status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of ``pid`` in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _gc_since(log: Path, t0: float, t1: float) -> tuple[int, float, float]:
    """Full collections between t0 and t1: how many, wall and CPU seconds in them."""
    n, wall, cpu = 0, 0.0, 0.0
    for line in log.read_text().splitlines():
        when, took, took_cpu = map(float, line.split())
        if t0 <= when <= t1:
            n, wall, cpu = n + 1, wall + took, cpu + took_cpu
    return n, wall, cpu


def serve(project: Path, work: Path, variant: str, edits: int, dirty: bool) -> dict:
    files = sorted((project / "decisions").glob("*/*.yaml"))
    target = files[len(files) // 2]
    url_path = f"architecture/{target.parent.name}/{target.stem}/"
    original = target.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title: "))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    log_path = work / f"serve-{variant}{'-dirty' if dirty else ''}.log"
    gc_log = work / f"gc-{variant}{'-dirty' if dirty else ''}.log"
    gc_log.write_text("")
    env = {**ENV, "WA_GC_VARIANT": variant, "WA_GC_LOG": str(gc_log)}
    log = open(log_path, "w+b")
    cmd = [sys.executable, "-c", LAUNCHER, "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")]
    proc = subprocess.Popen(cmd + (["--dirty"] if dirty else []), cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    visible, built, gcs, rss, cpus = [], [], [], [], []
    try:
        start = time.perf_counter()
        while title[len("title: "):] not in (_get(url) or ""):
            if proc.poll() is not None or time.perf_counter() - start > 1800:
                raise SystemExit(f"mkdocs serve did not come up; see {log_path}")
            time.sleep(0.2)
        first = time.perf_counter() - start
        time.sleep(2.0)
        after_first = _status(proc.pid)
        for r in range(edits):
            t0 = time.time()
            cpu0 = _cpu(proc.pid)
            shown, rebuilt = edit_and_wait(target, original, title, url, log_path, r + 1, timeout=600)
            visible.append(shown)
            built += [rebuilt] if rebuilt is not None else []
            cpus.append(_cpu(proc.pid) - cpu0)
            time.sleep(1.0)
            gcs.append(_gc_since(gc_log, t0, time.time()))
            rss.append(_status(proc.pid)["VmRSS"])
            print(f"  {variant}{' --dirty' if dirty else ''} edit {r + 1}: visible {visible[-1]:.2f} s, "
                  f"rebuild {built[-1] if built else float('nan'):.2f} s, CPU {cpus[-1]:.2f} s, {gcs[-1][0]} full "
                  f"collection(s) {gcs[-1][1]:.3f} s ({gcs[-1][2]:.3f} s CPU), RSS {rss[-1]:.0f} MB", flush=True)
        end = _status(proc.pid)
    finally:
        target.write_text(original, encoding="utf-8")
        stop_serve(proc, log)
    return {
        "variant": variant,
        "dirty": dirty,
        "first_build_s": round(first, 2),
        "rebuild_s": round(statistics.median(built), 3) if built else None,
        "visible_s": round(statistics.median(visible), 3),
        "rebuild_cpu_s": round(statistics.median(cpus), 3),
        "full_collections_per_rebuild": statistics.median(g[0] for g in gcs),
        "full_collection_s_per_rebuild": round(statistics.median(g[1] for g in gcs), 3),
        "full_collection_cpu_s_per_rebuild": round(statistics.median(g[2] for g in gcs), 3),
        "rss_after_first_mb": round(after_first["VmRSS"]),
        "rss_after_edits_mb": round(end["VmRSS"]),
        "peak_rss_mb": round(end["VmHWM"]),
        "rebuilds": built,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--decisions", type=int, default=1000)
    p.add_argument("--workloads", type=int, default=10)
    p.add_argument("--commits", type=int, default=10_000)
    p.add_argument("--diagrams", type=int, default=200)
    p.add_argument("--edits", type=int, default=5)
    p.add_argument("--full", action="store_true", help="plain mkdocs serve (every page rendered again), not --dirty")
    p.add_argument("--variants", default="as-is,no-freeze,freeze")
    p.add_argument("--workdir", type=Path, default=HERE / "results" / "serve-gc")
    p.add_argument("--reuse", action="store_true", help="reuse the repository generated by an earlier run")
    args = p.parse_args(argv)
    work = args.workdir.resolve()
    project = work / "project"
    if not (args.reuse and (project / "mkdocs.yml").exists()):
        import shutil

        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        print(f"Generating {args.decisions} decisions, {args.commits} commits, {args.diagrams} diagrams...", flush=True)
        generate(project, decisions=args.decisions, workloads=args.workloads, commits=args.commits,
                 diagrams=args.diagrams, seed=0)
    results = [serve(project, work, v, args.edits, not args.full) for v in args.variants.split(",")]
    print()
    print(f"{'variant':<10} {'rebuild s':>9} {'CPU s':>6} {'gen2 s':>7} {'gen2 CPU s':>10} {'RSS first MB':>12} "
          f"{'RSS end MB':>10} {'peak MB':>8}")
    for r in results:
        print(f"{r['variant']:<10} {r['rebuild_s']:>9} {r['rebuild_cpu_s']:>6} {r['full_collection_s_per_rebuild']:>7} "
              f"{r['full_collection_cpu_s_per_rebuild']:>10} {r['rss_after_first_mb']:>12} {r['rss_after_edits_mb']:>10} "
              f"{r['peak_rss_mb']:>8}")
    (work / "results.json").write_text(json.dumps({"command": " ".join(sys.argv), "load": os.getloadavg(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
