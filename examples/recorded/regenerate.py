"""Rebuild this example: import list.md, refresh it through the local recorded server, rekey, build bib/.

    python examples/recorded/regenerate.py

The server (tests/recorded_server.py) answers only from the recorded responses in tests/fixtures/recorded/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from recorded_server import RecordedServer  # noqa: E402


def main() -> None:
    server = RecordedServer()
    env = {
        **os.environ,
        "CURABIB_ARXIV_URL": server.arxiv_url,
        "CURABIB_CROSSREF_URL": server.crossref_url,
        "CURABIB_DBLP_URL": server.dblp_url,
        "CURABIB_MAILTO": "you@example.org",
    }
    for folder in ("entries", "bib"):
        shutil.rmtree(HERE / folder, ignore_errors=True)
    (HERE / "entries").mkdir()
    curabib = [sys.executable, "-m", "curabib", "-C", str(HERE)]
    try:
        for args in (
            ["import-md", str(HERE / "list.md"), "--list", "recorded"],
            ["refresh"],
            ["rekey"],
            ["build"],
        ):
            subprocess.run([*curabib, *args], env=env, check=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
