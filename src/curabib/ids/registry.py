"""The registry: every identifier kind, in the order its identifiers are reported.

This is the one place a kind plugs in. Order matters: a link carrying ids of several kinds lists them
in this order (direct ones before derived ones), and `parse_identifier` tries kinds in this order.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from curabib.ids import acl, arxiv, doi, github, jmlr, neurips, openreview, pmc, pmlr
from curabib.ids.base import IdKind

KINDS: Mapping[str, IdKind] = MappingProxyType(
    {
        kind.name: kind
        for kind in (
            arxiv.KIND,
            doi.KIND,
            acl.KIND,
            openreview.KIND,
            pmlr.KIND,
            jmlr.KIND,
            neurips.KIND,
            pmc.KIND,
            github.KIND,
        )
    }
)

# Kinds whose ids say which paper an item is (every kind but code repositories).
PAPER_KINDS: frozenset[str] = frozenset(name for name, kind in KINDS.items() if kind.names_paper)
