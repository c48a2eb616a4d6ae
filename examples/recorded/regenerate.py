"""Rebuild this example: import list.md, refresh it through the local recorded server, rekey, build bib/.

    python examples/recorded/regenerate.py

The server (tests/recorded_server.py) answers only from the recorded responses in tests/fixtures/recorded/.
The example is a function of those recordings alone, so a rerun changes nothing: the store's URLs are the
public APIs' (as every refresh stores them, whatever endpoint answered), and its `fetched_at` is the fixed
`RECORDED_AT` rather than the time of the run, since no answer here was fetched now. The store is rebuilt
from scratch each time, so freshness plays no part.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from curabib.cli import main as curabib  # noqa: E402
from curabib.project import store  # noqa: E402
from recorded_server import RecordedServer  # noqa: E402

# When the example's answers count as fetched: a fixed point, so that regenerating never rewrites them.
RECORDED_AT = datetime(2026, 11, 22, 23, 0, 27, tzinfo=UTC)


def main() -> None:
    server = RecordedServer()
    os.environ.update(
        CURABIB_ARXIV_URL=server.arxiv_url,
        CURABIB_CROSSREF_URL=server.crossref_url,
        CURABIB_DBLP_URL=server.dblp_url,
        CURABIB_MAILTO="you@example.org",
    )
    store.now_utc = lambda: RECORDED_AT  # read by `refresh` when it runs, not at import
    for folder in ("entries", "bib"):
        shutil.rmtree(HERE / folder, ignore_errors=True)
    (HERE / "entries").mkdir()
    try:
        for args in (
            ["import-md", str(HERE / "list.md"), "--list", "recorded"],
            ["refresh"],
            ["rekey"],
            ["build"],
        ):
            code = curabib.main(["-C", str(HERE), *args], standalone_mode=False)
            if code:
                raise SystemExit(f"curabib {args[0]} failed ({code})")
    finally:
        server.close()


if __name__ == "__main__":
    main()
