"""The network edge: one HTTP client per source, through the real `arxiv` and `habanero` packages, with our
pacing, retries and timeouts (`fetch/policy.py`). Imported only by `fetch/connect.py` when `refresh` or
`add` connects a source; no pure stage may import this package (the import contract in pyproject.toml)."""
