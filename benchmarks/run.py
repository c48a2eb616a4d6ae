"""Benchmark curabib's pipeline on synthetic lists; prints a table and, last, one line of JSON.

    python benchmarks/run.py --entries 10000 [--repeat 3]

Times are medians of the repeats, measured in one process. The baseline is bibtexparser 2 parsing and
writing the very same entries (our all.bib) in the same run, so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import bibtexparser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Corpus, generate

from curabib import entries
from curabib.build import plan, render, render_files
from curabib.dedupe import find_duplicates
from curabib.export import ExportOptions
from curabib.fsutil import replace_tree
from curabib.latex import load_terms
from curabib.normalize import normalize
from curabib.store import Store
from curabib.works import _merge, collect_works, fetched_for, group_items, pin_missing_keys

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def full_build(root: Path) -> int:
    """What `curabib build` does, without the CLI's printing."""
    lists = entries.load_all(root / "entries")
    pin_missing_keys(lists)
    with entries.paused_gc():
        bibliography = collect_works(lists, Store(root / "entries").records())
        groups = plan(lists, bibliography.canonical)
        files = render_files(groups, bibliography.works, ExportOptions(terms=load_terms()))
        return replace_tree(root / "bib", files)


# VmHWM is the process's own high-water mark, reset by exec (unlike getrusage, which a forked child
# inherits from this large benchmark process).
_PEAK_CHILD = """
import atexit, sys
def report():
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print("VmHWM", line.split()[1], file=sys.stderr)
atexit.register(report)
from curabib.cli import main
main(["-C", sys.argv[1], "build"])
"""


def build_peak_mib(root: Path) -> float:
    """Peak memory of `curabib build` on its own, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_CHILD, str(root)], capture_output=True, text=True, check=True
    )
    kib = next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM"))
    return round(int(kib) / 1024, 1)


def once(corpus: Corpus, root: Path) -> dict[str, Any]:
    lists = corpus.lists
    for curated in lists:
        entries.save(curated, root / "entries")
    load_s, loaded = timed(lambda: entries.load_all(root / "entries"))
    pin_missing_keys(loaded)
    grouped = group_items(loaded)
    first = {
        k: normalize(_merge(k, items, fetched_for(items, {}), "published")) for k, items in grouped.items()
    }
    dedupe_s, result = timed(lambda: find_duplicates(first, list(grouped)))
    normalize_s, bibliography = timed(lambda: collect_works(loaded, {}))
    groups = plan(loaded, bibliography.canonical)
    export_s, files = timed(lambda: render(groups, bibliography.works, ExportOptions(terms=load_terms())))
    build_s, _ = timed(lambda: full_build(root))
    peak_mib = build_peak_mib(root)
    all_bib = files["all.bib"]
    # bibtexparser at its fastest: the writer may modify the parsed library in place (no deep copy).
    fast_stack = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
    baseline_s, _ = timed(
        lambda: bibtexparser.write_string(bibtexparser.parse_string(all_bib), unparse_stack=fast_stack)
    )
    canonical = result.canonical
    found = sum(1 for a, b in corpus.duplicate_pairs if canonical[a] == canonical[b])
    false_merges = sum(1 for a, b in corpus.near_miss_pairs if canonical[a] == canonical[b])
    return {
        "load_s": load_s,
        "normalize_dedupe_s": normalize_s,
        "dedupe_s": dedupe_s,
        "export_s": export_s,
        "build_s": build_s,
        "baseline_s": baseline_s,
        "dedupe_recall": found / len(corpus.duplicate_pairs) if corpus.duplicate_pairs else 1.0,
        "false_merges": false_merges,
        "works": len(bibliography.works),
        "peak_mib": peak_mib,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = generate(args.entries, seed=args.seed)
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "entries").mkdir()
            runs.append(once(corpus, root))
    summary: dict[str, Any] = {"entries": args.entries, "repeat": args.repeat}
    for name in runs[0]:
        values = [run[name] for run in runs]
        summary[name] = round(statistics.median(values), 4) if isinstance(values[0], float) else values[0]
    summary["build_ratio"] = round(summary["build_s"] / summary["baseline_s"], 3)
    summary["duplicates_injected"] = len(corpus.duplicate_pairs)
    summary["near_misses_planted"] = len(corpus.near_miss_pairs)
    summary["benchmark_process_peak_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    summary["machine"] = (
        f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    )
    for name, value in summary.items():
        print(f"{name:>22}  {value}")
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
