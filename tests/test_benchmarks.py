"""The benchmark script keeps working (it is run by hand for figures; no timing is asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_and_reports_what_it_promises() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--entries", "400", "--repeat", "1"],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for name in (
        "build_s",
        "baseline_s",
        "build_ratio",
        "dedupe_s",
        "dedupe_recall",
        "false_merges",
        "peak_mib",
    ):
        assert name in figures
    # Correctness, not speed: every injected duplicate found, no planted near-miss merged.
    assert figures["duplicates_injected"] > 0 and figures["dedupe_recall"] == 1.0
    assert figures["near_misses_planted"] > 0 and figures["false_merges"] == 0
