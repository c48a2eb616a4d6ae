"""The benchmark script keeps working (it is run by hand for figures; no timing is asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_and_reports_what_it_promises() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "400,600", "--repeat", "1"]
    command += ["--startup-runs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert [run["entries"] for run in figures["runs"]] == [400, 600]
    for run in figures["runs"]:
        assert {"build_s", "baseline_s", "build_ratio", "peak_mib"} <= set(run)
        # Correctness, not speed: every injected duplicate found, no planted near-miss merged.
        assert run["duplicates_injected"] > 0 and run["dedupe_recall"] == 1.0
        assert run["near_misses_planted"] > 0 and run["false_merges"] == 0
    assert {"help_s", "click_yaml_import_s", "startup_ratio"} <= set(figures)
    assert "    400 entries: build " in done.stdout  # the ratio and peak, one line per size
