"""Benchmark `curabib build` on synthetic lists of several sizes; prints a table and, last, one line of JSON.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--repeat 3]

For each size the build is `curabib build` in a fresh process, as users run it (one process: curabib has
no helpers). `build_s` is the command's work with the modules it imports already loaded (as the
baseline's are), `build_cold_s` the same run counted from before those imports, `peak_mib` the process's
high-water mark (VmHWM). The baseline is bibtexparser 2 parsing and writing the very same entries (the
build's all.bib) in this process, in the same run, so that the ratios hold on a noisy machine. Dedupe's
recall and false merges are read from the build's own output (bib/aliases.json) against the generator's
ground truth. Start-up is `curabib --help` against `python -c "import click, yaml"`, both in fresh
processes. Times are medians of the repeats (start-up: of ten).

After the table, one line per size gives the ratio and the peak against the goals (`GOAL_RATIO`, and
`GOAL_PEAK_MIB` at 100,000 entries): figures to read, never asserted (tests/test_benchmarks.py only runs
the script on small sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import bibtexparser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Corpus, generate

from curabib.project import writing

T = TypeVar("T")
STARTUP_RUNS = 10
# The goals (issue 23): the build at most this many times the baseline, and this peak at 100,000 entries.
GOAL_RATIO = 1.5
GOAL_PEAK_MIB, GOAL_PEAK_ENTRIES = 700, 100_000

# `curabib build` in a fresh process: cold caches and none of this benchmark's data in the heap.
_BUILD_CHILD = """
import atexit, sys, time
cold = time.perf_counter()
from curabib.cli import main
import curabib.export.latex, curabib.pipeline, curabib.project  # what `build` imports when it runs
start = time.perf_counter()
def report():
    print("elapsed", time.perf_counter() - start, file=sys.stderr)
    print("cold", time.perf_counter() - cold, file=sys.stderr)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print("VmHWM", line.split()[1], file=sys.stderr)
atexit.register(report)
main(["-C", sys.argv[1], "build"])
"""


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def build(root: Path) -> tuple[float, float, float]:
    """Seconds (imports aside, and with them) and peak MiB of `curabib build` on `root`, in its own
    process."""
    command = [sys.executable, "-c", _BUILD_CHILD, str(root)]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"curabib build failed:\n{done.stderr}")
    wanted = ("elapsed", "cold", "VmHWM")
    report = dict(line.split() for line in done.stderr.splitlines() if line.startswith(wanted))
    return float(report["elapsed"]), float(report["cold"]), round(int(report["VmHWM"]) / 1024, 1)


def baseline(all_bib: str) -> float:
    """bibtexparser at its fastest on our all.bib: the writer may change the parsed library in place."""
    stack = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
    seconds, _ = timed(
        lambda: bibtexparser.write_string(bibtexparser.parse_string(all_bib), unparse_stack=stack)
    )
    return seconds


def dedupe_quality(corpus: Corpus, bib: Path) -> tuple[float, int]:
    """Recall over the injected duplicates and the number of planted near-misses merged, as built."""
    aliases: dict[str, str] = json.loads((bib / ".curabib" / "aliases.json").read_text(encoding="utf-8"))

    def work(key: str) -> str:
        return aliases.get(key, key)

    found = sum(1 for a, b in corpus.duplicate_pairs if work(a) == work(b))
    false_merges = sum(1 for a, b in corpus.near_miss_pairs if work(a) == work(b))
    return (found / len(corpus.duplicate_pairs) if corpus.duplicate_pairs else 1.0), false_merges


def one_size(size: int, repeat: int, seed: int) -> dict[str, Any]:
    corpus = generate(size, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for curated in corpus.lists:
            writing.save(curated, root / "entries")
        builds, colds, baselines, peaks = [], [], [], []
        for _ in range(repeat):  # interleaved, so that a slow moment of the machine hits both alike
            seconds, cold, peak = build(root)
            builds.append(seconds)
            colds.append(cold)
            peaks.append(peak)
            baselines.append(baseline((root / "bib" / "all.bib").read_text(encoding="utf-8")))
        recall, false_merges = dedupe_quality(corpus, root / "bib")
        works = len(
            json.loads((root / "bib" / ".curabib" / "index.json").read_text(encoding="utf-8"))["files"]
        )
    build_s, baseline_s = statistics.median(builds), statistics.median(baselines)
    return {
        "entries": size,
        "build_s": round(build_s, 3),
        "build_cold_s": round(statistics.median(colds), 3),
        "baseline_s": round(baseline_s, 3),
        "build_ratio": round(build_s / baseline_s, 3),
        "peak_mib": max(peaks),
        "dedupe_recall": recall,
        "false_merges": false_merges,
        "duplicates_injected": len(corpus.duplicate_pairs),
        "near_misses_planted": len(corpus.near_miss_pairs),
        "files": works,
    }


def verdict(run: dict[str, Any]) -> str:
    """One line per size: the ratio and the peak against the goals (figures to read, not a test)."""
    ratio = f"build {run['build_ratio']:.2f}x the baseline (goal <= {GOAL_RATIO}x: "
    ratio += "met)" if run["build_ratio"] <= GOAL_RATIO else "not met)"
    peak = f"peak {run['peak_mib']:.0f} MiB"
    if run["entries"] == GOAL_PEAK_ENTRIES:
        peak += f" (goal < {GOAL_PEAK_MIB} MiB: {'met' if run['peak_mib'] < GOAL_PEAK_MIB else 'not met'})"
    return f"{run['entries']:>7,} entries: {ratio}, {peak}"


def startup(runs: int = STARTUP_RUNS) -> dict[str, float]:
    """`curabib --help` against importing click and yaml, each in a fresh interpreter (medians)."""

    def seconds(command: Sequence[str]) -> float:
        elapsed, _ = timed(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, check=True))
        return elapsed

    ours, floor = [], []
    for _ in range(runs):
        ours.append(seconds([sys.executable, "-m", "curabib", "--help"]))
        floor.append(seconds([sys.executable, "-c", "import click, yaml"]))
    help_s, floor_s = statistics.median(ours), statistics.median(floor)
    return {
        "help_s": round(help_s, 3),
        "click_yaml_import_s": round(floor_s, 3),
        "startup_ratio": round(help_s / floor_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="entries per run, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--startup-runs", type=int, default=STARTUP_RUNS, help="fresh processes per command")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    runs = [one_size(size, args.repeat, args.seed) for size in sizes]
    summary: dict[str, Any] = {"repeat": args.repeat, "runs": runs, **startup(args.startup_runs)}
    by_size = {run["entries"]: run for run in runs}
    if 10000 in by_size and 100000 in by_size:
        summary["scaling_100k_over_10k"] = round(by_size[100000]["build_s"] / by_size[10000]["build_s"], 2)
    summary["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    columns = ("entries", "build_s", "build_cold_s", "baseline_s", "build_ratio", "peak_mib", "dedupe_recall")
    print("  ".join(f"{c:>13}" for c in columns))
    for run in runs:
        print("  ".join(f"{run[c]!s:>13}" for c in columns))
    print()
    for run in runs:
        print(verdict(run))
    for name in ("help_s", "click_yaml_import_s", "startup_ratio", "scaling_100k_over_10k", "machine"):
        if name in summary:
            print(f"{name:>22}  {summary[name]}")
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
