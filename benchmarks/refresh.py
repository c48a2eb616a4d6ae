"""Benchmark `refresh` against the local recorded server: request counts and wall time against the floor
that arXiv's 3 s rule and Crossref's advertised rate limit impose. Prints a table, then one line of JSON.

    python benchmarks/refresh.py --ids 300 --dois 200
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from curabib.fetch.clients.arxiv import ArxivClient
from curabib.fetch.clients.crossref import CrossrefClient
from curabib.fetch.connection import Client
from curabib.fetch.executor import execute
from curabib.fetch.policy import Clock
from curabib.ids import Identifier
from curabib.model import Item
from curabib.project.store import Store, now_utc
from curabib.sources.arxiv import SPACING
from curabib.sources.protocol import RefreshOptions
from recorded_server import RecordedServer


class NoWait(Clock):
    """Pacing patched out: time advances only on paper."""

    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(monotonic=lambda: self.now, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.now += seconds


def items(ids: int, dois: int) -> tuple[list[Item], list[Item]]:
    known_arxiv = ["1706.03762", "1605.08386", "1312.2021"]
    arxiv = known_arxiv + [f"2101.{n:05d}" for n in range(ids - len(known_arxiv))]
    known_dois = ["10.1038/s42256-024-00832-8", "10.1145/3448016.3452841", "10.7554/elife.01567"]
    doi = known_dois + [f"10.5555/bench.{n}" for n in range(dois - len(known_dois))]
    return (
        [Item(kind="paper", title=f"a{i}", ids=(Identifier("arxiv", i),)) for i in arxiv],
        [Item(kind="paper", title=f"d{d}", ids=(Identifier("doi", d),)) for d in doi],
    )


def run(
    server: RecordedServer, clock: Clock, arxiv_items: list[Item], doi_items: list[Item]
) -> dict[str, float]:
    store = Store(Path(tempfile.mkdtemp()) / "entries")
    arxiv = ArxivClient(base_url=server.arxiv_url, clock=clock)
    crossref = CrossrefClient(base_url=server.crossref_url, clock=clock)
    endpoints = {"arxiv": server.arxiv_url, "crossref": server.crossref_url}

    def refresh(name: str, client: Client, items: list[Item]) -> None:
        options = RefreshOptions(sources=frozenset({name}), endpoints=endpoints)
        execute(items, store, {name: client}, options, now_utc())

    before = len(server.log)
    start = time.perf_counter()
    refresh("arxiv", arxiv, arxiv_items)
    arxiv_s = time.perf_counter() - start
    start = time.perf_counter()
    refresh("crossref", crossref, doi_items)
    crossref_s = time.perf_counter() - start
    first = len(server.log) - before
    counts = {"arxiv_requests": arxiv.requests_made, "crossref_requests": crossref.requests_made}
    # The same run again, right away: every record is fresh, so nothing may be asked.
    refresh("arxiv", arxiv, arxiv_items)
    refresh("crossref", crossref, doi_items)
    return {
        **counts,
        "requests_first_run": first,
        "requests_second_run": len(server.log) - before - first,
        "arxiv_s": arxiv_s,
        "crossref_s": crossref_s,
        "crossref_spacing_s": crossref.limit.spacing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=300)
    parser.add_argument("--dois", type=int, default=200)
    args = parser.parse_args()
    arxiv_items, doi_items = items(args.ids, args.dois)
    server = RecordedServer()
    try:
        counted = run(server, NoWait(), arxiv_items, doi_items)
        paced = run(server, Clock(), arxiv_items, doi_items)
    finally:
        server.close()
    arxiv_floor = (math.ceil(args.ids / 100) - 1) * SPACING
    crossref_floor = (math.ceil(args.dois / 20) - 1) * paced["crossref_spacing_s"]
    summary = {
        "ids": args.ids,
        "dois": args.dois,
        "arxiv_requests": counted["arxiv_requests"],
        "arxiv_requests_expected": math.ceil(args.ids / 100),
        "crossref_requests": counted["crossref_requests"],
        "crossref_requests_expected": math.ceil(args.dois / 20),
        "requests_second_run": counted["requests_second_run"],
        "arxiv_wall_s": round(paced["arxiv_s"], 3),
        "arxiv_floor_s": arxiv_floor,
        "arxiv_wall_over_floor": round(paced["arxiv_s"] / arxiv_floor, 3) if arxiv_floor else None,
        "crossref_wall_s": round(paced["crossref_s"], 3),
        "crossref_floor_s": round(crossref_floor, 3),
    }
    for name, value in summary.items():
        print(f"{name:>28}  {value}")
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()
