"""Write each command's `--help` into the docs, between `<!-- help: NAME -->` and `<!-- end help -->`.

The help texts are the reference (one source: the commands themselves); the docs around them explain.
`python docs/generate.py` rewrites the blocks; `--check` exits 1 when a block is out of date (the tests
run it), as sqlite-utils keeps its CLI reference with cog.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from click.testing import CliRunner

from curabib.cli import main

DOCS = Path(__file__).resolve().parent
BLOCK = re.compile(r"(<!-- help: (?P<name>[a-z-]+) -->\n).*?(<!-- end help -->)", re.S)


def help_text(name: str) -> str:
    """`curabib NAME --help` as a reader's terminal of 80 columns shows it."""
    result = CliRunner().invoke(main, [name, "--help"], prog_name="curabib", env={"COLUMNS": "80"})
    if result.exit_code != 0:
        raise SystemExit(f"curabib {name} --help failed: {result.output}")
    return result.output


def generated(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        return f"{match[1]}```text\n{help_text(match['name'])}```\n{match[3]}"

    return BLOCK.sub(block, text)


def documented() -> dict[str, list[Path]]:
    """Where each command's help is shown."""
    found: dict[str, list[Path]] = {}
    for path in sorted(DOCS.glob("*.md")):
        for match in BLOCK.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match["name"], []).append(path)
    return found


def main_(check: bool) -> int:
    stale = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = generated(text)
        if new != text:
            stale.append(path.name)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print(f"out of date: {', '.join(stale)}; run `python docs/generate.py`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ["COLUMNS"] = "80"
    sys.exit(main_("--check" in sys.argv[1:]))
