"""How a build spreads the pipeline over processes: each reads, merges and renders a share; dedupe is here.

The entry files are dealt out by size, one share per process. Each process reads its files and merges,
normalizes and describes (renders) every work whose items it has all of: the first pass of `works.collect`.
Only the lists and those results come back; a fork shares the settings and fetched records without
copying them. This process then pins the keys of items added by hand, makes the first pass of the works
whose items were dealt to several processes (a work listed in two lists), and dedupes as `collect` does.
With one process, it is `load` then `collect`, in that order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from curabib import entries, rows
from curabib.build import Rendered
from curabib.export import ExportOptions
from curabib.forked import Codec, map_in_processes
from curabib.model import CuratedList, Diagnostic
from curabib.store import Record
from curabib.works import Bibliography, First, collect, first_pass, group_items, pin_missing_keys

PER_MILLE = 1000  # `build_bibliography` reports its progress in thousandths


def deal(paths: Sequence[Path], jobs: int) -> list[list[Path]]:
    """`paths` in at most `jobs` shares of about equal size (largest file first to the smallest share),
    each in path order."""
    shares: list[list[Path]] = [[] for _ in range(min(jobs, len(paths)) or 1)]
    totals = [0] * len(shares)
    sizes = {path: entries.file_size(path) for path in paths}
    for path in sorted(paths, key=lambda p: -sizes[p]):
        smallest = totals.index(min(totals))
        shares[smallest].append(path)
        totals[smallest] += sizes[path]
    order = {path: n for n, path in enumerate(paths)}
    return [sorted(share, key=order.__getitem__) for share in shares]


def build_bibliography(
    paths: Sequence[Path],
    records: Mapping[str, Record],
    prefer: str,
    venue_style: str,
    options: ExportOptions,
    jobs: int,
    progress: Callable[[int], None] = lambda n: None,
) -> tuple[list[CuratedList], list[Diagnostic], Bibliography[Rendered]]:
    """The lists in `paths` (in that order), the warnings for items without a key, and their works,
    rendered (near-identical titles are not looked for: `check` reports those). `progress` is told
    thousandths."""
    parent = os.getpid()
    shares = deal(paths, jobs)
    describe = functools.partial(Rendered.of, options=options)

    def read_and_merge(share: list[Path]) -> tuple[list[CuratedList], dict[str, First[Rendered]]]:
        with entries.paused_gc():
            lists = [entries.load(path) for path in share]
            grouped = group_items(lists, keyed_only=True)
            keys = list(grouped)

            def share_done(n: int) -> None:
                # The shares are alike in size: this process's progress through its own stands for all
                # (a helper process drawing the progress bar too would garble the terminal).
                if os.getpid() == parent:
                    progress(round(PER_MILLE * n / len(keys)))

            done = first_pass(grouped, keys, records, prefer, venue_style, describe, share_done)
            return lists, dict(zip(keys, done, strict=True))

    with entries.paused_gc():  # also while the results of the other processes are decoded
        results = map_in_processes(read_and_merge, shares, len(shares), codec=Codec(rows.encode, rows.decode))
    read: dict[Path, CuratedList] = {}
    for share, (share_lists, _) in zip(shares, results, strict=True):
        read.update(zip(share, share_lists, strict=True))
    lists = [read[path] for path in paths]
    known: dict[str, First[Rendered]] = {}
    spread: set[str] = set()
    for _, firsts in results:
        for key in firsts:
            if key in known:
                spread.add(key)  # items in files of two processes: neither saw the whole work
        known.update(firsts)
    for key in spread:
        del known[key]
    diagnostics = pin_missing_keys(lists)
    with entries.paused_gc():
        bibliography = collect(lists, records, prefer, venue_style, describe, known, near_titles=False)
    return lists, diagnostics, bibliography
