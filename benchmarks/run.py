"""The mkdocs-wa benchmark: one command, one machine, every figure the issue asks for.

    python benchmarks/run.py --decisions 1000 --workloads 10 --commits 10000 --diagrams 200 --runs 3

generates a synthetic repository (:mod:`generate`), then measures, each figure the median
of ``--runs`` runs:

* ``mkdocs build`` with the plugin, cold diagram cache and warm, against ``mkdocs build``
  of the same Markdown pages without the plugin: wall time, CPU time (user + sys of the
  child and everything it waited for, from ``wait4``), peak memory (the child's max RSS);
* the diagram stage alone, cold and warm: diagrams rendered and taken from the cache,
  CPU time / wall time, and the most ``dot`` processes seen running at once;
* history extraction alone (``read_history``) at several commit counts, with a linear
  fit, and the git processes it starts (counted by a ``git`` wrapper on PATH);
* ``mkdocs serve --dirty`` (and, for comparison, plain ``mkdocs serve``, which renders
  every page again): from writing one edited decision to the served page showing it;
* ``mkdocs-wa validate`` over the whole tree;
* once, a build of ``--large-decisions`` decisions (default 10,000).

It prints a table, writes ``benchmarks/results/<time>.json``, and at the documented
sizes (or with ``--publish``) ``benchmarks/latest.json`` and the figures in
``docs/performance.md``. Builds run one after another, interleaved (plain, cold, warm,
plain, ...), so that load from other work on the machine spreads over all of them.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _exec(result: str, cmd: list[str]) -> int:
    """``run.py _exec RESULT CMD...``: run CMD and write its wall time and resource usage.

    Every measured command goes through this small launcher, started before the heavy
    imports below: Linux carries the parent's memory high-water mark over a vfork +
    exec into the child's ``ru_maxrss``, so a child started straight from this (large)
    process would report at least this process's size as its peak.
    """
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(result, "w", encoding="utf-8") as out:
        json.dump({"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
                   "returncode": os.waitstatus_to_exitcode(status)}, out)
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["_exec"]:
    sys.exit(_exec(sys.argv[2], sys.argv[3:]))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import IO  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import PRUNE_CONFIG, TODAY, generate, plain_site  # noqa: E402

#: The sizes the targets are stated for; a run at these sizes publishes its figures.
DOCUMENTED = {"decisions": 1000, "workloads": 10, "commits": 10_000, "diagrams": 200}
DOCS_PAGE = REPO / "docs" / "performance.md"
LATEST = HERE / "latest.json"
MARK_START, MARK_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "0"}
CACHE = Path(".cache/plugin/well-architected")


# --- measuring a child process ------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    wall: float
    user: float
    sys: float
    #: Max RSS of the child (or of the largest process it waited for), MB.
    peak_mb: float
    returncode: int

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def measure(cmd: Sequence[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None, timeout: float = 3600) -> Sample:
    """Run ``cmd`` to the end through the ``_exec`` launcher; its resource usage comes
    from ``wait4``, so each sample is this child's alone (and what it waited for)."""
    result = log.with_suffix(".usage.json")
    result.unlink(missing_ok=True)
    with open(log, "wb") as out:
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "_exec", str(result), *cmd],
            cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False,
        )
    if not result.exists():
        raise SystemExit(f"could not run {' '.join(cmd)}; see {log}:\n{log.read_text(errors='replace')[-3000:]}")
    u = json.loads(result.read_text(encoding="utf-8"))
    return Sample(u["wall"], u["user"], u["sys"], u["maxrss_kb"] / 1024, u["returncode"])


def summary(samples: Sequence[Sample]) -> dict:
    """Medians (and every run's wall time, to show the spread)."""
    return {
        "wall_s": round(statistics.median(s.wall for s in samples), 3),
        "cpu_s": round(statistics.median(s.cpu for s in samples), 3),
        "user_s": round(statistics.median(s.user for s in samples), 3),
        "sys_s": round(statistics.median(s.sys for s in samples), 3),
        "peak_mb": round(statistics.median(s.peak_mb for s in samples), 1),
        "walls": [round(s.wall, 3) for s in samples],
        "runs": len(samples),
    }


# --- the machine --------------------------------------------------------------------------


def _first_line(cmd: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    except OSError:
        return "not installed"
    return ((done.stdout or done.stderr).strip().splitlines() or ["?"])[0]


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    from importlib.metadata import version

    def ver(name: str) -> str:
        try:
            return version(name)
        except Exception:
            return "not installed"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_mb": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": ver("mkdocs"),
        "mkdocs_material": ver("mkdocs-material"),
        "mkdocs_wa": ver("mkdocs-wa"),
        "diagrams": ver("diagrams"),
        "graphviz": _first_line(["dot", "-V"]).replace("dot - graphviz version ", ""),
        "git": _first_line(["git", "--version"]).replace("git version ", ""),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- builds -------------------------------------------------------------------------------


def mkdocs_build(project: Path, site: Path, log: Path, config: str = "mkdocs.yml") -> Sample:
    shutil.rmtree(site, ignore_errors=True)
    return measure(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / config), "-d", str(site)], cwd=project, log=log
    )


def _built_in(log: Path) -> float | None:
    """MkDocs' own "Documentation built in N seconds" (without interpreter start-up)."""
    found = re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text(errors="replace"))
    return float(found[-1]) if found else None


def _cache_entries(project: Path) -> set[str]:
    folder = project / CACHE
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.svg")} if folder.is_dir() else set()


#: name -> (the plugin's project or the plain one, config file, empty the cache first).
VARIANTS = {
    "plain": ("plain", "mkdocs.yml", False),
    "cold": ("project", "mkdocs.yml", True),
    "warm": ("project", "mkdocs.yml", False),
    "plain_prune": ("plain", PRUNE_CONFIG, False),
    "warm_prune": ("project", PRUNE_CONFIG, False),
}


def run_builds(project: Path, plain: Path, work: Path, runs: int) -> dict:
    logs = work / "logs"
    out: dict[str, list[Sample]] = {k: [] for k in VARIANTS}
    built_in: dict[str, list[float]] = {k: [] for k in VARIANTS}
    rendered: dict[str, list[int]] = {k: [] for k, v in VARIANTS.items() if v[0] == "project"}
    for r in range(runs):
        for kind, (which, config, clear) in VARIANTS.items():
            root = project if which == "project" else plain
            log = logs / f"build-{kind}-{r}.log"
            if clear:
                shutil.rmtree(project / CACHE, ignore_errors=True)
            before = _cache_entries(project)
            sample = mkdocs_build(root, work / f"site-{kind}", log, config)
            if sample.returncode != 0:
                raise SystemExit(f"{kind} build failed (exit {sample.returncode}); see {log}\n{log.read_text()[-3000:]}")
            if kind in rendered:
                # Every diagram drawn adds its entry to the cache (a hit only touches it).
                rendered[kind].append(len(_cache_entries(project) - before))
            out[kind].append(sample)
            if (b := _built_in(log)) is not None:
                built_in[kind].append(b)
            print(f"  build {kind:11} run {r + 1}: {sample.wall:6.2f} s wall, {sample.cpu:6.2f} s cpu, {sample.peak_mb:6.0f} MB", flush=True)
    result: dict = {k: summary(v) for k, v in out.items()}
    for k, v in built_in.items():
        if v:
            result[k]["mkdocs_reported_s"] = round(statistics.median(v), 3)
    for k, v in rendered.items():
        result[k]["diagrams_rendered"] = v
    for a, b in (("cold", "plain"), ("warm", "plain"), ("warm_prune", "plain_prune")):
        result[f"{a}_vs_{b}"] = round(result[a]["wall_s"] / result[b]["wall_s"], 3)
        result[f"{a}_vs_{b}_cpu"] = round(result[a]["cpu_s"] / result[b]["cpu_s"], 3)
    warm_log = (logs / "build-warm-0.log").read_text(errors="replace").splitlines()
    result["warnings"] = sum(1 for line in warm_log if line.startswith("WARNING"))
    result["page_kb"] = _page_sizes(work)
    return result


ZENSICAL_CONFIG = "zensical.yml"


def run_zensical(project: Path, work: Path, runs: int) -> dict:
    """``mkdocs-wa generate`` + ``zensical build`` of the same project, beside the MkDocs
    builds: a copy of the project (with its warm diagram cache), the stylesheet added to
    ``extra_css``, the automatic navigation. Each run starts from an empty output folder
    and Zensical's cache cleaned (``--clean``), as an MkDocs build renders every page."""
    import yaml

    root = work / "zensical-project"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(project, root, symlinks=True)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra_css"] = [*config.get("extra_css", []), "architecture/assets/mkdocs-wa.css"]
    config["site_dir"] = "site-zensical"
    (root / ZENSICAL_CONFIG).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    logs = work / "logs"
    gen_cmd = [str(Path(sys.executable).with_name("mkdocs-wa")), "generate", "-f", ZENSICAL_CONFIG]
    zen_cmd = [str(Path(sys.executable).with_name("zensical")), "build", "--clean", "-f", ZENSICAL_CONFIG]
    gens: list[Sample] = []
    zens: list[Sample] = []
    for r in range(runs):
        shutil.rmtree(root / "docs" / "architecture", ignore_errors=True)
        g = measure(gen_cmd, cwd=root, log=logs / f"zensical-generate-{r}.log")
        z = measure(zen_cmd, cwd=root, log=logs / f"zensical-build-{r}.log")
        for name, sample, log in (("generate", g, f"zensical-generate-{r}.log"), ("zensical build", z, f"zensical-build-{r}.log")):
            if sample.returncode != 0:
                raise SystemExit(f"{name} failed (exit {sample.returncode}); see {logs / log}\n{(logs / log).read_text()[-3000:]}")
        gens.append(g)
        zens.append(z)
        print(f"  generate run {r + 1}: {g.wall:6.2f} s wall; zensical build: {z.wall:6.2f} s wall, {z.peak_mb:6.0f} MB", flush=True)
    again = measure(gen_cmd, cwd=root, log=logs / "zensical-generate-again.log")
    pages = sum(1 for _ in (root / "site-zensical" / "architecture").rglob("index.html"))
    total = [Sample(g.wall + z.wall, g.user + z.user, g.sys + z.sys, max(g.peak_mb, z.peak_mb), 0) for g, z in zip(gens, zens)]
    shutil.rmtree(root / "site-zensical", ignore_errors=True)
    return {
        "generate": summary(gens),
        "zensical_build": summary(zens),
        "total": summary(total),
        "generate_unchanged": summary([again]),
        "generated_pages": pages,
    }


def _page_sizes(work: Path) -> dict[str, float]:
    """Median size of a decision page's HTML, with and without navigation.prune."""
    sizes = {}
    for kind in ("warm", "warm_prune"):
        pages = sorted((work / f"site-{kind}" / "architecture").glob("*/*/index.html"))
        if pages:
            sizes[kind] = round(statistics.median(p.stat().st_size for p in pages) / 1024, 1)
    return sizes


# --- counting processes -------------------------------------------------------------------


def wrappers(folder: Path, log: Path, programs: Sequence[str]) -> dict[str, str]:
    """An environment whose PATH starts with wrappers that log each start of ``programs``
    (one line: the program and its arguments) and then run the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in programs:
        real = shutil.which(name)
        if real is None:
            continue
        script = folder / name
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "{name} $*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
        script.chmod(0o755)
    return {**ENV, "PATH": f"{folder}{os.pathsep}{ENV.get('PATH', '')}", "GIT_PYTHON_GIT_EXECUTABLE": str(folder / "git")}


def count_starts(log: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    if not log.exists():
        return counts
    for line in log.read_text(errors="replace").splitlines():
        program, _, args = line.partition(" ")
        if program == "dot" and args.strip() == "-V":
            counts["dot -V"] = counts.get("dot -V", 0) + 1
            continue
        counts[program] = counts.get(program, 0) + 1
    return counts


def processes_in_build(project: Path, work: Path) -> dict:
    """git and dot processes started by one warm build (not timed)."""
    log = work / "logs" / "processes-warm.log"
    log.unlink(missing_ok=True)
    env = wrappers(work / "wrappers", log, ["git", "dot"])
    measure(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(work / "site-count")],
        cwd=project, log=work / "logs" / "build-count.log", env=env,
    )
    return {"warm_build": count_starts(log), "commands": log.read_text().splitlines() if log.exists() else []}


# --- probes run in a fresh interpreter (python run.py _probe ...) ---------------------------


def _cpu_now() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def probe_history(root: Path) -> dict:
    from mkdocs_wa.history.reader import read_history

    start, cpu = time.perf_counter(), _cpu_now()
    history = read_history(root, root / "decisions")
    wall, cpu = time.perf_counter() - start, _cpu_now() - cpu
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "commits": history.commits,
        "files": len(history.files),
        "revisions": sum(len(f.revisions) for f in history.files.values()),
        "warning": history.warning,
    }


class _Sampler:
    """Samples, every 20 ms, how many diagram threads and ``dot`` children are alive."""

    def __init__(self) -> None:
        self.threads = 0
        self.dots = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = str(os.getpid())
        while not self._stop.wait(0.02):
            self.threads = max(self.threads, sum(t.name.startswith("mkdocs-wa-diagram") for t in threading.enumerate()))
            dots = 0
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
                if comm == "dot" and rest[1] == me:
                    dots += 1
            self.dots = max(self.dots, dots)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def probe_diagrams(root: Path) -> dict:
    """The diagram stage alone (as build.py runs it), with an empty cache, then again."""
    from mkdocs_wa.analysis.checks import run_checks
    from mkdocs_wa.diagrams import render_all
    from mkdocs_wa.pipeline.build import display_path
    from mkdocs_wa.source.lens import load_lens
    from mkdocs_wa.source.validate import load_catalog

    lens, _ = load_lens(None)
    catalog, _ = load_catalog([root / "decisions"], lens, display=display_path(root))
    checked = run_checks(catalog, dt.date.fromisoformat(TODAY), review_days=90, project_root=root)
    out = {"architectures": len(checked.archs), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="mkdocs-wa-bench-cache-") as cache:
        for kind in ("cold", "warm"):
            start, cpu = time.perf_counter(), _cpu_now()
            with _Sampler() as sampler:
                result = render_all(catalog, checked.archs, cache_dir=Path(cache), project_root=root)
            wall, cpu = time.perf_counter() - start, _cpu_now() - cpu
            out[kind] = {
                "wall_s": wall,
                "cpu_s": cpu,
                "cores_busy": cpu / wall if wall else 0.0,
                "rendered": result.rendered,
                "cached": result.cached,
                "svgs": len(result.svgs),
                "max_threads": sampler.threads,
                "max_dot_processes": sampler.dots,
                "errors": len(result.diagnostics),
            }
    return out


PROBES: dict[str, Callable[[Path], dict]] = {"history": probe_history, "diagrams": probe_diagrams}


def run_probe(name: str, root: Path, log: Path, *, env: dict[str, str] | None = None) -> dict:
    """Run a probe in a fresh interpreter (through the launcher: its peak memory is its own)."""
    out = log.with_suffix(".json")
    out.unlink(missing_ok=True)
    sample = measure([sys.executable, str(Path(__file__).resolve()), "_probe", name, str(root), str(out)], cwd=root, log=log, env=env)
    if sample.returncode != 0 or not out.exists():
        raise SystemExit(f"probe {name} failed; see {log}:\n{log.read_text(errors='replace')[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8")) | {"peak_mb": round(sample.peak_mb, 1)}


# --- history at several sizes ---------------------------------------------------------------


def _fit(xs: Sequence[float], ys: Sequence[float]) -> dict:
    """Least squares y = a + b x, and R^2 (1.0: perfectly linear)."""
    if len(xs) < 2:
        return {}
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return {"intercept_s": round(a, 4), "ms_per_1000_commits": round(b * 1e6, 1), "r2": round(1 - ss_res / ss_tot, 4) if ss_tot else 1.0}


def run_history(args: argparse.Namespace, project: Path, work: Path) -> dict:
    sizes = sorted({max(args.decisions, round(args.commits * f)) for f in (0.1, 0.25, 0.5, 1.0)})
    points = []
    for commits in sizes:
        if commits == args.commits:
            root = project
        else:
            root = work / f"history-{commits}"
            shutil.rmtree(root, ignore_errors=True)
            generate(root, decisions=args.decisions, workloads=args.workloads, commits=commits, diagrams=args.diagrams, seed=args.seed)
        samples = [run_probe("history", root, work / "logs" / f"history-{commits}-{r}.log") for r in range(args.runs)]
        log = work / "logs" / f"git-{commits}.log"
        log.unlink(missing_ok=True)
        counted = run_probe("history", root, work / "logs" / f"history-{commits}-git.log", env=wrappers(work / "wrappers", log, ["git"]))
        point = {
            "commits": commits,
            "commits_read": samples[0]["commits"],
            "files": samples[0]["files"],
            "revisions": samples[0]["revisions"],
            "wall_s": round(statistics.median(s["wall_s"] for s in samples), 3),
            "cpu_s": round(statistics.median(s["cpu_s"] for s in samples), 3),
            "peak_mb": round(statistics.median(s["peak_mb"] for s in samples), 1),
            "walls": [round(s["wall_s"], 3) for s in samples],
            "git_processes": count_starts(log).get("git", 0),
            "git_commands": log.read_text().splitlines() if log.exists() else [],
            "warning": samples[0]["warning"] or counted["warning"],
        }
        points.append(point)
        print(f"  history {commits:6} commits: {point['wall_s']:.3f} s wall, {point['cpu_s']:.3f} s cpu, {point['git_processes']} git process(es)", flush=True)
    return {"points": points, "fit": _fit([p["commits"] for p in points], [p["wall_s"] for p in points])}


# --- mkdocs serve ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def stop_serve(proc: subprocess.Popen, log: IO) -> None:
    """Stop a ``mkdocs serve`` started by a measurement (killed if it lingers) and close its log."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def edit_and_wait(target: Path, original: str, title: str, url: str, log_path: Path, number: int, *,
                  timeout: float) -> tuple[float, float | None]:
    """Add a token to the decision's ``title`` line in ``target`` while ``mkdocs serve``
    runs: the seconds until the page at ``url`` shows it, and the rebuild time MkDocs
    wrote in ``log_path`` (None when it wrote none within 10 s)."""
    token = f"edited {number} {time.time_ns()}"
    before = len(re.findall(rb"Documentation built in", log_path.read_bytes()))
    target.write_text(original.replace(title, f"{title} ({token})", 1), encoding="utf-8")
    edited = time.perf_counter()
    while token not in (_get(url) or ""):
        if time.perf_counter() - edited > timeout:
            raise SystemExit(f"the edit never showed; see {log_path}")
        time.sleep(0.02)
    visible = time.perf_counter() - edited
    # The log line may trail the page by a moment.
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        found = re.findall(rb"Documentation built in ([\d.]+) seconds", log_path.read_bytes())
        if len(found) > before:
            return visible, float(found[-1])
        time.sleep(0.05)
    return visible, None


def run_serve(project: Path, work: Path, runs: int, config: str = "mkdocs.yml", *, dirty: bool = False) -> dict:
    """Edit one decision's title while ``mkdocs serve`` (``--dirty``: rebuilding only what
    changed) runs; time until the page shows it."""
    files = sorted((project / "decisions").glob("*/*.yaml"))
    target = files[len(files) // 2]
    url_path = f"architecture/{target.parent.name}/{target.stem}/"
    original = target.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title: "))
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    log_path = work / "logs" / f"serve-{Path(config).stem}{'-dirty' if dirty else ''}.log"
    log = open(log_path, "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / config)] + (["--dirty"] if dirty else []),
        cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT,
    )
    visible: list[float] = []
    built: list[float] = []
    try:
        start = time.perf_counter()
        while title[len("title: "):] not in (_get(url) or ""):
            if proc.poll() is not None or time.perf_counter() - start > 900:
                raise SystemExit(f"mkdocs serve did not come up; see {log_path}")
            time.sleep(0.2)
        first = time.perf_counter() - start
        time.sleep(1.0)
        for r in range(runs):
            shown, rebuilt = edit_and_wait(target, original, title, url, log_path, r + 1, timeout=300)
            visible.append(shown)
            built += [rebuilt] if rebuilt is not None else []
            rebuild = built[-1] if built else float("nan")
            print(f"  serve{' --dirty' if dirty else ''} ({config}) edit {r + 1}: visible after {visible[-1]:.2f} s "
                  f"(rebuild {rebuild:.2f} s)", flush=True)
            time.sleep(1.0)
    finally:
        target.write_text(original, encoding="utf-8")
        stop_serve(proc, log)
    return {
        "config": config,
        "dirty": dirty,
        "page": url_path,
        "first_build_s": round(first, 3),
        "visible_s": round(statistics.median(visible), 3),
        "rebuild_s": round(statistics.median(built), 3) if built else None,
        "visibles": [round(v, 3) for v in visible],
        "rebuilds": built,
        "note": "visible: from writing the file to the served page containing the edit (includes MkDocs' 0.5 s "
                "polling and 0.1 s settle delay); rebuild: MkDocs' 'Documentation built in' figure",
    }


# --- validate -------------------------------------------------------------------------------


def run_validate(project: Path, work: Path, runs: int) -> dict:
    script = Path(sys.executable).parent / "mkdocs-wa"
    cmd = [str(script)] if script.exists() else [sys.executable, "-c", "import sys; from mkdocs_wa.cli import main; sys.exit(main())"]
    samples = []
    for r in range(runs):
        log = work / "logs" / f"validate-{r}.log"
        s = measure([*cmd, "validate", "decisions", "--today", TODAY], cwd=project, log=log)
        if s.returncode not in (0, 1):
            raise SystemExit(f"validate failed (exit {s.returncode}); see {log}")
        samples.append(s)
        print(f"  validate run {r + 1}: {s.wall:.2f} s wall, {s.cpu:.2f} s cpu", flush=True)
    result = summary(samples)
    result["files"] = len(list((project / "decisions").glob("*/*.yaml")))
    result["last_line"] = (work / "logs" / "validate-0.log").read_text(errors="replace").strip().splitlines()[-1:]
    return result


# --- report ---------------------------------------------------------------------------------


def targets(r: dict) -> list[dict]:
    b, h, d = r["builds"], r["history"]["points"][-1], r["diagram_stage"]
    peak = max(b["cold"]["peak_mb"], b["warm"]["peak_mb"], b["warm_prune"]["peak_mb"])
    cores = r["machine"]["cores_usable"]
    rows = [
        (
            "warm build <= 1.5x plain MkDocs",
            f"{b['warm_vs_plain']:.2f}x wall ({b['warm_vs_plain_cpu']:.2f}x CPU); "
            f"{b['warm_prune_vs_plain_prune']:.2f}x with navigation.prune",
            b["warm_vs_plain"] <= 1.5,
        ),
        ("history < 1 s, one git log (+ one cat-file)", f"{h['wall_s']:.2f} s, {h['git_processes']} git", h["wall_s"] < 1.0 and h["git_processes"] <= 2),
        (
            "cold build renders on every core",
            f"{d['cold']['max_dot_processes']} dot at once, {d['cold']['cores_busy']:.2f} cores busy, {d['cold']['rendered']} rendered",
            d["cold"]["max_dot_processes"] >= cores and d["cold"]["rendered"] > 0,
        ),
        ("warm build renders none", f"{d['warm']['rendered']} rendered (probe), {b['warm']['diagrams_rendered']} (builds)",
         d["warm"]["rendered"] == 0 and not any(b["warm"]["diagrams_rendered"])),
        ("peak memory < 400 MB", f"{peak:.0f} MB", peak < 400),
    ]
    if r.get("serve"):
        serve = r["serve"]
        rows.append(("serve --dirty rebuild after one edit < 2 s",
                     f"{serve['visible_s']:.2f} s visible ({serve['rebuild_s']} s build)", serve["visible_s"] < 2.0))
    rows.append(("validate all files < 2 s", f"{r['validate']['wall_s']:.2f} s ({r['validate']['files']} files)", r["validate"]["wall_s"] < 2.0))
    return [{"target": t, "measured": m, "met": ok} for t, m, ok in rows]


def table(r: dict) -> str:
    m, p, b = r["machine"], r["project"], r["builds"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_mb'] / 1024:.1f} GiB, {m['os']}; Python {m['python']}, "
        f"MkDocs {m['mkdocs']}, Material {m['mkdocs_material']}, Graphviz {m['graphviz']}, git {m['git']}",
        f"Load average at start {m['load_average_start']}, at end {m.get('load_average_end')} (shared machine: figures are noisy)",
        f"Project: {p['decisions']} decisions in {p['workloads']} workloads, {p['commits']} commits, {p['diagrams']} diagrams; "
        f"plain site: {r['plain_pages']} Markdown pages. Median of {r['runs']} runs.",
        "",
        f"| {'Measurement':<44} | {'wall s':>8} | {'CPU s':>8} | {'peak MB':>8} | {'vs plain':>8} |",
        f"|{'-' * 46}|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|",
    ]

    def row(name: str, wall: float | None, cpu: float | None = None, peak: float | None = None, ratio: str = "") -> None:
        f = lambda v, spec: format(v, spec) if v is not None else ""  # noqa: E731
        lines.append(f"| {name:<44} | {f(wall, '8.2f'):>8} | {f(cpu, '8.2f'):>8} | {f(peak, '8.0f'):>8} | {ratio:>8} |")

    row("mkdocs build, no plugin (same pages)", b["plain"]["wall_s"], b["plain"]["cpu_s"], b["plain"]["peak_mb"], "1.00x")
    row("mkdocs build + plugin, cold diagram cache", b["cold"]["wall_s"], b["cold"]["cpu_s"], b["cold"]["peak_mb"], f"{b['cold_vs_plain']:.2f}x")
    row("mkdocs build + plugin, warm diagram cache", b["warm"]["wall_s"], b["warm"]["cpu_s"], b["warm"]["peak_mb"], f"{b['warm_vs_plain']:.2f}x")
    row("same with navigation.prune: no plugin", b["plain_prune"]["wall_s"], b["plain_prune"]["cpu_s"], b["plain_prune"]["peak_mb"], "1.00x")
    row("same with navigation.prune: plugin, warm", b["warm_prune"]["wall_s"], b["warm_prune"]["cpu_s"],
        b["warm_prune"]["peak_mb"], f"{b['warm_prune_vs_plain_prune']:.2f}x")
    if r.get("zensical"):
        z = r["zensical"]
        row("mkdocs-wa generate (empty output folder)", z["generate"]["wall_s"], z["generate"]["cpu_s"], z["generate"]["peak_mb"])
        row("zensical build --clean of the generated files", z["zensical_build"]["wall_s"], z["zensical_build"]["cpu_s"], z["zensical_build"]["peak_mb"])
        row("generate + zensical build", z["total"]["wall_s"], z["total"]["cpu_s"], z["total"]["peak_mb"],
            f"{z['total']['wall_s'] / b['plain']['wall_s']:.2f}x")
        row("mkdocs-wa generate again (nothing changed)", z["generate_unchanged"]["wall_s"], z["generate_unchanged"]["cpu_s"])
    d = r["diagram_stage"]
    row(f"diagram stage cold ({d['cold']['rendered']} rendered)", d["cold"]["wall_s"], d["cold"]["cpu_s"])
    row(f"diagram stage warm ({d['warm']['rendered']} rendered, {d['warm']['cached']} cached)", d["warm"]["wall_s"], d["warm"]["cpu_s"])
    for pt in r["history"]["points"]:
        row(f"read_history, {pt['commits']} commits ({pt['git_processes']} git)", pt["wall_s"], pt["cpu_s"], pt["peak_mb"])
    if r.get("serve"):
        s = r["serve"]
        row("serve --dirty: edit one decision -> page shows it", s["visible_s"])
        row("serve --dirty: MkDocs' rebuild time for that edit", s["rebuild_s"])
    if r.get("serve_full"):
        s = r["serve_full"]
        row("serve (every page rebuilt): edit -> page shows it", s["visible_s"])
        row("serve (every page rebuilt): MkDocs' rebuild time", s["rebuild_s"])
    v = r["validate"]
    row(f"mkdocs-wa validate ({v['files']} files)", v["wall_s"], v["cpu_s"], v["peak_mb"])
    if r.get("large"):
        lg = r["large"]
        row(f"{lg['project']['decisions']} decisions, cold (once)", lg["cold"]["wall_s"], lg["cold"]["cpu_s"], lg["cold"]["peak_mb"])
        row(f"{lg['project']['decisions']} decisions, warm (once)", lg["warm"]["wall_s"], lg["warm"]["cpu_s"], lg["warm"]["peak_mb"])
    fit = r["history"]["fit"]
    if fit:
        lines += ["", f"History cost: {fit['ms_per_1000_commits']:.0f} ms per 1,000 commits + {fit['intercept_s']:.2f} s, R^2 = {fit['r2']}"]
    lines += [
        f"Diagram stage, cold: {d['cold']['max_threads']} render threads, up to {d['cold']['max_dot_processes']} dot processes at once, "
        f"{d['cold']['cores_busy']:.2f} cores busy on {d['cpus']}",
        f"Processes in one warm build: {r['processes']['warm_build']}",
    ]
    lines += ["", f"| {'Target (1,000 decisions, 10,000 commits, 200 diagrams)':<56} | {'measured':<84} | met |", f"|{'-' * 58}|{'-' * 86}|-----|"]
    for t in r["targets"]:
        lines.append(f"| {t['target']:<56} | {t['measured']:<84} | {'yes' if t['met'] else 'NO':<3} |")
    if not r["documented_sizes"]:
        lines.append("(targets are stated for the documented sizes; this run used others)")
    return "\n".join(lines)


def publish(r: dict, text: str) -> None:
    LATEST.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    if DOCS_PAGE.exists():
        page = DOCS_PAGE.read_text(encoding="utf-8")
        if MARK_START in page and MARK_END in page:
            head, rest = page.split(MARK_START, 1)
            _, tail = rest.split(MARK_END, 1)
            stamp = r["finished"][:16].replace("T", " ")
            body = f"{MARK_START}\n\nMeasured {stamp} UTC with `{r['command']}`.\n\n```text\n{text}\n```\n\n{MARK_END}"
            DOCS_PAGE.write_text(head + body + tail, encoding="utf-8")


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_probe"]:
        Path(argv[3]).write_text(json.dumps(PROBES[argv[1]](Path(argv[2]))), encoding="utf-8")
        return 0
    p = argparse.ArgumentParser(description="Benchmark mkdocs-wa on a synthetic repository (see benchmarks/README.md).")
    p.add_argument("--decisions", type=int, default=DOCUMENTED["decisions"])
    p.add_argument("--workloads", type=int, default=DOCUMENTED["workloads"])
    p.add_argument("--commits", type=int, default=DOCUMENTED["commits"])
    p.add_argument("--diagrams", type=int, default=DOCUMENTED["diagrams"])
    p.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--large-decisions", type=int, default=10_000, help="the once-only 'still builds' check; 0 skips it")
    p.add_argument("--large-workloads", type=int, default=100)
    p.add_argument("--large-commits", type=int, default=20_000)
    p.add_argument("--large-diagrams", type=int, default=None, help="default: the same share of decisions as --diagrams")
    p.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    p.add_argument("--zensical", action="store_true",
                   help="also measure mkdocs-wa generate + zensical build of the same project (needs the test extras)")
    p.add_argument("--workdir", type=Path, default=HERE / "results" / "work", help="where the repositories are generated")
    p.add_argument("--publish", action=argparse.BooleanOptionalAction, default=None,
                   help="write benchmarks/latest.json and docs/performance.md (default: only at the documented sizes)")
    args = p.parse_args(argv)

    sizes = {k: getattr(args, k) for k in DOCUMENTED}
    documented = sizes == DOCUMENTED
    work = args.workdir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    (work / "logs").mkdir(parents=True)
    r: dict = {
        "command": "python benchmarks/run.py " + " ".join(argv),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "runs": args.runs,
        "documented_sizes": documented,
    }
    print(f"Generating {args.decisions} decisions, {args.workloads} workloads, {args.commits} commits, {args.diagrams} diagrams...", flush=True)
    project = work / "project"
    made = generate(project, decisions=args.decisions, workloads=args.workloads, commits=args.commits, diagrams=args.diagrams, seed=args.seed)
    r["project"] = asdict(made) | {"root": os.path.relpath(made.root, REPO)}
    print(f"  written in {made.seconds:.1f} s", flush=True)
    r["plain_pages"] = plain_site(project, work / "plain")

    print(f"Builds ({', '.join(VARIANTS)}; interleaved)...", flush=True)
    r["builds"] = run_builds(project, work / "plain", work, args.runs)
    r["processes"] = processes_in_build(project, work)
    if args.zensical:
        print("mkdocs-wa generate + zensical build...", flush=True)
        r["zensical"] = run_zensical(project, work, args.runs)

    print("Diagram stage (cold, warm)...", flush=True)
    r["diagram_stage"] = run_probe("diagrams", project, work / "logs" / "diagrams.log")
    print("History extraction...", flush=True)
    r["history"] = run_history(args, project, work)
    if not args.no_serve:
        print("mkdocs serve...", flush=True)
        r["serve"] = run_serve(project, work, args.runs, dirty=True)
        r["serve_full"] = run_serve(project, work, args.runs)
    print("mkdocs-wa validate...", flush=True)
    r["validate"] = run_validate(project, work, args.runs)

    if args.large_decisions:
        share = args.diagrams / args.decisions if args.decisions else 0
        diagrams = args.large_diagrams if args.large_diagrams is not None else round(args.large_decisions * share)
        commits = max(args.large_commits, args.large_decisions)
        print(f"Large: {args.large_decisions} decisions, {args.large_workloads} workloads, {commits} commits, {diagrams} diagrams...", flush=True)
        root = work / "large"
        made = generate(root, decisions=args.large_decisions, workloads=args.large_workloads, commits=commits, diagrams=diagrams, seed=args.seed)
        large: dict = {"project": asdict(made) | {"root": os.path.relpath(made.root, REPO)}}
        for kind in ("cold", "warm"):
            log = work / "logs" / f"large-{kind}.log"
            # Material's defaults: decision pages are not in the navigation (nav_decisions),
            # so no page carries more than the workloads' entries. (With every decision in
            # it, 10,000 pages would each carry ~3 MB of navigation.) benchmarks/scale.py
            # compares sizes.
            s = mkdocs_build(root, work / "site-large", log)
            large[kind] = summary([s]) | {"returncode": s.returncode, "mkdocs_reported_s": _built_in(log)}
            print(f"  large {kind}: exit {s.returncode}, {s.wall:.1f} s wall, {s.cpu:.1f} s cpu, {s.peak_mb:.0f} MB", flush=True)
        r["large"] = large

    # The built sites are gigabytes at these sizes; the repositories and logs stay.
    for site in work.glob("site-*"):
        shutil.rmtree(site, ignore_errors=True)
    r["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    r["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    r["targets"] = targets(r)
    text = table(r)
    print()
    print(text)
    out = HERE / "results" / f"{r['finished'].replace(':', '')[:17]}-{args.decisions}d.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
    print(f"\nWritten {out.relative_to(REPO)}", end="")
    if args.publish or (args.publish is None and documented and args.runs >= 3):
        publish(r, text)
        print(f", {LATEST.relative_to(REPO)} and {DOCS_PAGE.relative_to(REPO)}", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
