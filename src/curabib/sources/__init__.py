"""Network edge: the arXiv and Crossref sources, and the politeness they share.

Each source turns API answers into plain `Record`s (pure functions, tested on recorded responses); only
the `fetch_*` methods do I/O, through the real `arxiv` and `habanero` clients pointed at configurable
endpoints.
"""
