"""The `curabib` command line: each module registers its commands on `main` and only parses options, calls
the library and prints."""

from curabib.cli import add, build, import_bib, import_md, keys, lint, papers, refresh, site
from curabib.cli.app import main

__all__ = ["add", "build", "import_bib", "import_md", "keys", "lint", "main", "papers", "refresh", "site"]
