"""Cold and warm diagram render times: ``python benchmarks/diagram_render.py``.

Cold: an empty cache folder, every diagram drawn by Graphviz. Warm: the same build
again, every diagram read from the cache. Prints the counters with the times, for the
demo decisions (``--demo``, default ``decisions/``) and for ``--count`` generated ones
(``benchmarks/synthetic_diagrams.py``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from synthetic_diagrams import write_synthetic  # a sibling: this file runs as a script

from mkdocs_wa.diagrams import render_all, resolve
from mkdocs_wa.source.lens import load_lens
from mkdocs_wa.source.validate import load_catalog


def measure(decisions: Path, project_root: Path, cache_dir: Path, workers: int) -> list[str]:
    lens, _ = load_lens(None)
    assert lens is not None
    t0 = time.perf_counter()
    catalog, _ = load_catalog([decisions], lens)
    archs, _ = resolve(catalog, project_root=project_root)
    t_resolve = time.perf_counter() - t0
    lines = [f"  load+resolve: {t_resolve:.3f} s for {len(archs)} architectures"]
    for run in ("cold", "warm"):
        t = time.perf_counter()
        result = render_all(catalog, archs, cache_dir=cache_dir, project_root=project_root, workers=workers)
        took = time.perf_counter() - t
        size = sum(len(s) for s in result.svgs.values()) / max(1, len(result.svgs)) / 1024
        lines.append(
            f"  {run}: {took:.3f} s  rendered={result.rendered} cached={result.cached} "
            f"diagnostics={len(result.diagnostics)} mean SVG {size:.0f} KiB"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/diagram_render.py", description=__doc__)
    parser.add_argument("--demo", type=Path, default=Path("decisions"), help="demo decisions folder (default: decisions/)")
    parser.add_argument("--count", type=int, default=200, help="generated diagrams (default: 200)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="render threads (default: CPUs)")
    args = parser.parse_args(argv)
    print(f"workers={args.workers} cpus={os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="mkdocs-wa-bench-") as tmp:
        if args.demo.is_dir():
            print(f"demo ({args.demo}):")
            print("\n".join(measure(args.demo, Path.cwd(), Path(tmp) / "demo-cache", args.workers)))
        root = Path(tmp) / "generated"
        write_synthetic(root / "decisions", args.count)
        print(f"generated ({args.count}):")
        print("\n".join(measure(root / "decisions", root, root / ".cache", args.workers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
