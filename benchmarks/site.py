"""Benchmark `curabib site`; prints a table and, last, one line of JSON.

    python benchmarks/site.py [--repeat 3] [--works 5000]

Our five lists' site (entries/ of this repository) is written in a fresh process each time, as a user runs
`curabib site`: the first time with its references rendered in one process, then spread over the cores
as `site` does, then again with the references of the last run kept. `wall_s` counts the whole process
(interpreter and imports included), `work_s` from after the imports. Then a generated list of `--works`
works (benchmarks/generate.py: five to ten authors a work) gives the bytes of a list page, as written and
gzipped as a web server sends it, beside the bytes a work costs in our own pages. Times are medians of
the repeats. Figures to read, never asserted (tests/test_site.py runs the script on a small list).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The goals (issue 21): our lists' site well under a second; a 5,000-work list page under 2 MB.
GOAL_SECONDS, GOAL_PAGE_BYTES = 1.0, 2_000_000

# `curabib site` in a fresh process; argv: project, site folder, "1" to render in one process.
_SITE_CHILD = """
import sys, time
from pathlib import Path
import curabib.project.site as site
from curabib.project import Project
if sys.argv[3] == "1":
    site.map_over_processes = lambda function, items: list(map(function, items))
start = time.perf_counter()
Project.open(Path(sys.argv[1])).write_site(Path(sys.argv[2]))
print(time.perf_counter() - start)
"""


def _site(project: Path, folder: Path, one_process: bool) -> tuple[float, float]:
    """(wall, work) seconds of one `curabib site` in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _SITE_CHILD, str(project), str(folder), "1" if one_process else "0"],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, float(done.stdout)


def _our_lists(workdir: Path, repeat: int) -> dict[str, dict[str, float]]:
    project = workdir / "ours"
    shutil.copytree(ROOT / "entries", project / "entries")
    runs: dict[str, list[tuple[float, float]]] = {"first, one process": [], "first": [], "again": []}
    for _ in range(repeat):  # interleaved, so that a busy moment of the machine falls on each alike
        for name in ("first, one process", "first"):
            shutil.rmtree(project / "site", ignore_errors=True)
            runs[name].append(_site(project, project / "site", name.endswith("one process")))
        runs["again"].append(_site(project, project / "site", False))
    return {
        name: {
            "wall_s": statistics.median(w for w, _ in rows),
            "work_s": statistics.median(s for _, s in rows),
        }
        for name, rows in runs.items()
    }


def _work_lines(page: bytes) -> list[bytes]:
    return re.findall(rb'^<li id="w[0-9]*-.*</li>$', page, re.MULTILINE)


def _bytes_a_work_of_ours(workdir: Path) -> float:
    lines = [
        line for page in (workdir / "ours" / "site").glob("*.html") for line in _work_lines(page.read_bytes())
    ]
    return sum(map(len, lines)) / len(lines)


def _generated_page(workdir: Path, works: int) -> dict[str, float]:
    project = workdir / "generated"
    generate = [
        sys.executable,
        str(ROOT / "benchmarks" / "generate.py"),
        str(works),
        str(project),
        "--lists",
        "1",
    ]
    subprocess.run(generate, check=True, capture_output=True)
    _site(project, project / "site", False)
    page = max((project / "site").glob("*.html"), key=lambda p: p.stat().st_size).read_bytes()
    shown = len(_work_lines(page))
    return {
        "works": shown,
        "bytes": len(page),
        "gzipped": len(gzip.compress(page)),
        "per_work": len(page) / shown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--works", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ours = _our_lists(workdir, args.repeat)
        per_work = _bytes_a_work_of_ours(workdir)
        generated = _generated_page(workdir, args.works)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"curabib site, our five lists ({cores} cores, medians of {args.repeat}):")
    print("| run | wall | after imports |\n| --- | ---: | ---: |")
    for name, row in ours.items():
        print(f"| {name} | {row['wall_s']:.2f} s | {row['work_s']:.2f} s |")
    print(
        f"a page of {generated['works']:,} generated works: {generated['bytes'] / 1e6:.2f} MB, "
        f"{generated['gzipped'] / 1e6:.2f} MB gzipped ({generated['per_work']:.0f} bytes a work); "
        f"a work of our lists: {per_work:.0f} bytes ({5000 * per_work / 1e6:.2f} MB for 5,000)"
    )
    print(
        f"goals: first site {ours['first']['wall_s']:.2f} s (< {GOAL_SECONDS:.0f} s); "
        f"5,000 works like ours {5000 * per_work / 1e6:.2f} MB (< {GOAL_PAGE_BYTES / 1e6:.0f} MB)"
    )
    print(json.dumps({"ours": ours, "bytes_a_work_of_ours": per_work, "generated": generated}))


if __name__ == "__main__":
    main()
