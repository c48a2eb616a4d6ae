"""Benchmark curabib's pipeline on synthetic lists; prints a table and, last, one line of JSON.

    python benchmarks/run.py --entries 10000 [--repeat 3]

Times are medians of the repeats. The full build is `curabib build` in a fresh process, as users run it:
`build_s` with its default of one process per core, `build_one_process_s` with `--jobs 1`. The stages
(`load_s`, `normalize_dedupe_s`, `dedupe_s`, `export_s`) are timed in this one process. The baseline is
bibtexparser 2 parsing and writing the very same entries (our all.bib) in the same run, so the ratios hold
on a noisy machine. `yaml_parse_s` is libyaml alone composing the entry files, to compare with `load_s`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import bibtexparser
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Corpus, generate

from curabib.dedupe.duplicates import Candidate, find_duplicates
from curabib.export import ExportOptions
from curabib.export.latex import load_terms
from curabib.export.layout import OutputGroup, Rendered, files, plan
from curabib.merge.normalize import normalize
from curabib.merge.works import _merge, collect_works, fetched_for, group_items, pin_missing_keys
from curabib.model import Work
from curabib.project import entries

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


# `curabib build` in a fresh process, as a user runs it: cold caches and none of this benchmark's data in
# the heap. The time is that of the command itself (interpreter start and imports aside); VmHWM is the
# process's own high-water mark, reset by exec (unlike getrusage, which a forked child inherits); the
# processes it forks to read and render report theirs through RUSAGE_CHILDREN (the largest of them).
_BUILD_CHILD = """
import atexit, resource, sys, time
start = time.perf_counter()
def report():
    print("elapsed", time.perf_counter() - start, file=sys.stderr)
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
    print("VmHWM", line.split()[1], file=sys.stderr)
    print("helpers", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
atexit.register(report)
main(["-C", sys.argv[1], "build", *sys.argv[2:]])
"""


@dataclass
class BuildRun:
    seconds: float
    peak_mib: float  # the build process's own high-water mark (VmHWM)
    helper_peak_mib: float  # the largest forked helper's, counting the pages it shares with the build
    total_peak_mib: float  # the whole process tree at its largest, shared pages counted once (PSS, sampled)


def full_build(root: Path, *options: str, sample: bool = False) -> BuildRun:
    """`curabib build` on `root`, run in its own process. With `sample`, the memory of it and its helpers
    is read every 20 ms as it runs, which slows it (the kernel walks their page tables): time another run."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from curabib.cli import main\n" + _BUILD_CHILD, str(root), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    total_kib = 0
    while sample and process.poll() is None:
        total_kib = max(total_kib, _tree_pss_kib(process.pid))
        time.sleep(0.02)
    _, stderr = process.communicate()
    if process.returncode:
        raise RuntimeError(f"curabib build failed:\n{stderr}")
    report = dict(
        line.split() for line in stderr.splitlines() if line.startswith(("elapsed", "VmHWM", "helpers"))
    )
    return BuildRun(
        float(report["elapsed"]),
        round(int(report["VmHWM"]) / 1024, 1),
        round(int(report["helpers"]) / 1024, 1),
        round(total_kib / 1024, 1),
    )


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and its children: each shared page counted once in all."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0  # it has just ended
    own = next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return own + sum(_tree_pss_kib(int(child)) for child in children)


def export(groups: list[OutputGroup], works: dict[str, Work], options: ExportOptions) -> dict[str, bytes]:
    """Every work rendered once, and every file laid out in memory: the build's export, in one process."""
    rendered = {key: Rendered.of(work, options) for key, work in works.items()}
    return {path: b"".join(pieces) for path, pieces in files(groups, rendered)}


def once(corpus: Corpus, root: Path) -> dict[str, Any]:
    lists = corpus.lists
    for curated in lists:
        entries.save(curated, root / "entries")
    build = full_build(root)
    one_process = full_build(root, "--jobs", "1")
    sampled = full_build(root, sample=True)
    all_bib = (root / "bib" / "all.bib").read_text(encoding="utf-8")
    # bibtexparser at its fastest: the writer may modify the parsed library in place (no deep copy).
    fast_stack = bibtexparser.middlewares.default_unparse_stack(allow_inplace_modification=True)
    baseline_s, _ = timed(
        lambda: bibtexparser.write_string(bibtexparser.parse_string(all_bib), unparse_stack=fast_stack)
    )
    # The stages, each in this one process.
    load_s, loaded = timed(lambda: entries.load_all(root / "entries", jobs=1))
    # The floor for any build that reads YAML: libyaml (C) composing the same files, nothing else.
    texts = [path.read_text(encoding="utf-8") for path in entries.list_paths(root / "entries")]
    with entries.paused_gc():
        yaml_parse_s, _ = timed(lambda: [yaml.compose(text, Loader=yaml.CSafeLoader) for text in texts])
    pin_missing_keys(loaded)
    grouped = group_items(loaded)
    first = {
        k: normalize(_merge(k, items, fetched_for(items, {}), "published")) for k, items in grouped.items()
    }
    # Dedupe whole, with what it compares of each work (in a build, worked out by the merging processes).
    dedupe_s, result = timed(
        lambda: find_duplicates({k: Candidate.of(w) for k, w in first.items()}, list(grouped))
    )
    normalize_s, bibliography = timed(lambda: collect_works(loaded, {}))
    groups = plan(loaded, bibliography.canonical)
    export_s, _ = timed(lambda: export(groups, bibliography.works, ExportOptions(terms=load_terms())))
    canonical = result.canonical
    found = sum(1 for a, b in corpus.duplicate_pairs if canonical[a] == canonical[b])
    false_merges = sum(1 for a, b in corpus.near_miss_pairs if canonical[a] == canonical[b])
    return {
        "load_s": load_s,
        "yaml_parse_s": yaml_parse_s,
        "normalize_dedupe_s": normalize_s,
        "dedupe_s": dedupe_s,
        "export_s": export_s,
        "build_s": build.seconds,
        "build_one_process_s": one_process.seconds,
        "baseline_s": baseline_s,
        "dedupe_recall": found / len(corpus.duplicate_pairs) if corpus.duplicate_pairs else 1.0,
        "false_merges": false_merges,
        "works": len(bibliography.works),
        "peak_mib": build.peak_mib,
        "helper_peak_mib": build.helper_peak_mib,
        "total_peak_mib": sampled.total_peak_mib,
        "one_process_peak_mib": one_process.peak_mib,
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
    summary["build_one_process_ratio"] = round(summary["build_one_process_s"] / summary["baseline_s"], 3)
    summary["yaml_parse_ratio"] = round(summary["yaml_parse_s"] / summary["baseline_s"], 3)
    summary["duplicates_injected"] = len(corpus.duplicate_pairs)
    summary["near_misses_planted"] = len(corpus.near_miss_pairs)
    summary["benchmark_process_peak_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    summary["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    for name, value in summary.items():
        print(f"{name:>22}  {value}")
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
