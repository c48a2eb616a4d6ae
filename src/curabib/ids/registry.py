"""The registry: every identifier kind, in the order its identifiers are reported.

This is the one place a kind plugs in: our kinds are listed here, and a plugin's (or a test's) are added
with `register`. Order matters: a link carrying ids of several kinds lists them in this order (direct
ones before derived ones), and `parse_identifier` tries kinds in this order. A kind declares everything
the stages ask of it (`IdKind`): whether it names a paper, the publication and venue its ids imply, what
`add` makes of a work it names; no stage lists kinds by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from types import MappingProxyType

from curabib.ids import acl, arxiv, doi, github, jmlr, neurips, openreview, pmc, pmlr
from curabib.ids.base import IdKind

_KINDS: dict[str, IdKind] = {
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
KINDS: Mapping[str, IdKind] = MappingProxyType(_KINDS)  # read-only, and always the registry's current kinds


def register(kind: IdKind) -> None:
    """Add an identifier kind after the others (its ids are reported last). Its name must be new."""
    if kind.name in _KINDS:
        raise ValueError(f"an identifier kind named {kind.name!r} is registered already")
    _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    """Remove a kind `register` added (a test's, when it is done)."""
    del _KINDS[name]


class _PaperKinds(Set[str]):
    """The kinds whose ids say which paper an item is (every kind but code repositories), as registered
    now: a live view, so a kind registered later counts too."""

    def __contains__(self, name: object) -> bool:
        kind = _KINDS.get(name) if isinstance(name, str) else None
        return kind is not None and kind.names_paper

    def __iter__(self) -> Iterator[str]:
        return (name for name, kind in _KINDS.items() if kind.names_paper)

    def __len__(self) -> int:
        return sum(1 for _ in self)


PAPER_KINDS: Set[str] = _PaperKinds()
