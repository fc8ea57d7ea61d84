"""The organisation portal's figures: the size of an export (diagrams as files beside it,
or embedded in it), and the time of a portal build from N copies of it, read from a
folder and fetched over HTTP on 127.0.0.1.

    python benchmarks/portal.py [--copies 1 10 40] [--workdir benchmarks/results/portal]

It makes the demo repository (the case studies replayed in git: `mkdocs-wa demo
--repo-only`), runs `mkdocs-wa export` in it, then builds portals with `mkdocs build`.
Prints the figures; writes nothing outside the work folder.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path) -> float:
    """Seconds ``args`` took; its peak memory (MB) goes to ``PEAK``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - start
        if proc.returncode != 0:
            out.seek(0)
            sys.exit(f"{' '.join(args)} failed:\n{out.read().decode(errors='replace')}")
    PEAK.append(usage.ru_maxrss / 1024)
    return took


#: Peak resident memory of each command run, MB.
PEAK: list[float] = []


def sizes(export: Path) -> dict[str, int]:
    text = (export / "decisions.json").read_text("utf-8")
    data = json.loads(text)
    svgs = {d["id"]: (export / d["diagram"]).read_text("utf-8") for d in data["decisions"] if d["diagram"]}
    # The embedded alternative: each decision carries its SVG text instead of a path.
    embedded = text
    for d in data["decisions"]:
        if d["diagram"]:
            embedded = embedded.replace(json.dumps(d["diagram"]), json.dumps(svgs[d["id"]], ensure_ascii=False), 1)
    files = len(text.encode()) + sum(len(s.encode()) for s in svgs.values())
    return {
        "decisions": len(data["decisions"]),
        "diagrams": len(svgs),
        "json_bytes": len(text.encode()),
        "svg_bytes": sum(len(s.encode()) for s in svgs.values()),
        "files_total": files,
        "files_gzip": len(gzip.compress(text.encode())) + sum(len(gzip.compress(s.encode())) for s in svgs.values()),
        "embedded_bytes": len(embedded.encode()),
        "embedded_gzip": len(gzip.compress(embedded.encode())),
    }


def portal(work: Path, sources: list, name: str) -> Path:
    root = work / name
    shutil.rmtree(root, ignore_errors=True)
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Portal\n", "utf-8")
    config = {"site_name": "Portal", "theme": {"name": "material"},
              "plugins": ["search", {"well-architected-portal": {"sources": sources, "today": "2026-01-01"}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 40])
    parser.add_argument("--workdir", type=Path, default=ROOT / "benchmarks" / "results" / "portal")
    args = parser.parse_args()
    work = args.workdir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    demo = work / "demo"
    run([sys.executable, "-m", "mkdocs_wa", "demo", "--repo-only", "-o", str(demo), "--source", str(ROOT)], work)
    took = run([sys.executable, "-m", "mkdocs_wa", "export", "export"], demo)
    export = demo / "export"
    s = sizes(export)
    print(f"export of the demo repository ({s['decisions']} decisions, {s['diagrams']} diagrams), `mkdocs-wa export` {took:.1f} s:")
    print(f"  diagrams as files beside it: decisions.json {s['json_bytes']:,} B + SVG files {s['svg_bytes']:,} B "
          f"= {s['files_total']:,} B ({s['files_gzip']:,} B gzipped, file by file)")
    print(f"  diagrams embedded:           one file {s['embedded_bytes']:,} B ({s['embedded_gzip']:,} B gzipped), "
          f"{s['embedded_bytes'] / s['json_bytes']:.1f}x the export without them")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(work / "www")))
    (work / "www").mkdir()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for n in args.copies:
        folder = work / f"exports-{n}"
        for i in range(n):
            shutil.copytree(export, folder / f"repo-{i:03d}")
            os.symlink(folder / f"repo-{i:03d}", work / "www" / f"{n}-{i:03d}")
        local = portal(work, [str(folder)], f"portal-local-{n}")
        t_local = run([sys.executable, "-m", "mkdocs", "build", "--strict"], local)
        peak = PEAK[-1]
        remote = portal(work, [{"url": f"{url}/{n}-{i:03d}/decisions.json", "name": f"repo-{i:03d}"} for i in range(n)],
                        f"portal-http-{n}")
        t_http = run([sys.executable, "-m", "mkdocs", "build", "--strict"], remote)
        print(f"portal of {n} export(s), {n * s['decisions']:,} decisions: `mkdocs build` {t_local:.1f} s from a folder "
              f"(peak {peak:,.0f} MB), {t_http:.1f} s over HTTP on 127.0.0.1 (peak {PEAK[-1]:,.0f} MB)")
    server.shutdown()


if __name__ == "__main__":
    main()
