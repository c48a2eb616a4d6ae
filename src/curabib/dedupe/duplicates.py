"""Dedupe stage: which keys are one work, across sections and lists, and which only look alike.

Same work when the identifiers say so (the versionless arXiv id, the DOI, the ACL Anthology id, an arXiv
record's DOI against the other's, arXiv's 10.48550 DOI against the arXiv id) and the titles agree; or,
without identifier evidence, the same normalized title (stop words removed), years within one, the same
first author where both name authors, and no identifier that says otherwise. Candidates come from indexes
(identifiers, title blocks), never from comparing all pairs. Near misses are reported, never merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from curabib.ids import PAPER_KINDS
from curabib.matching import names_agree, normalized_title, normalized_words
from curabib.model import Work

POSSIBLE = 85.0  # title similarity (0-100) from which two works are reported as possible duplicates
NEIGHBOURS = 8  # titles compared with each title in its block, once the block is sorted
_STOP = frozenset(
    ("a", "an", "the", "of", "on", "in", "for", "to", "and", "with", "via", "by", "from", "at", "is", "are")
)


@dataclass(frozen=True, slots=True)
class Merge:
    kept: str
    merged: tuple[str, ...]
    reason: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Possible:
    keys: tuple[str, str]
    score: float
    reason: str


class Candidate(NamedTuple):
    """What dedupe compares of a work, worked out once per work when it is merged."""

    kind: str
    title: str | None
    label: str | None
    cited_as: str | None  # the title a repository's own citation gives it (a paper's title)
    year: int | None
    first_author: str | None  # the first author's family name
    identity: tuple[str, ...]  # `identity_keys`
    block: str | None  # `title_block`
    provisional: bool  # its key was derived, not pinned: another key of its work is kept first

    @classmethod
    def of(cls, work: Work) -> Candidate:
        first_author = work.authors[0].family if work.authors else None
        # A repository that asks to be cited as its paper (a CITATION.cff's preferred citation, a README's
        # BibTeX: a published version or a paper identifier of its own) is compared as that paper, so it
        # joins the paper a list already has, with the repository kept as its code link.
        paper = work.published is not None or any(i.kind in PAPER_KINDS and not i.derived for i in work.ids)
        return cls(
            "paper" if paper else work.kind,
            work.title,
            work.label,
            work.cited_as,
            work.year,
            first_author,
            tuple(identity_keys(work)),
            title_block(work),
            work.provisional,
        )


@dataclass
class Dedupe:
    canonical: dict[str, str] = field(default_factory=dict)  # every key -> the key its work keeps
    merges: list[Merge] = field(default_factory=list)
    possible: list[Possible] = field(default_factory=list)
    conflicts: list[Possible] = field(default_factory=list)  # one identifier, clearly different titles

    def members(self) -> dict[str, list[str]]:
        """Each kept key -> every key of its work, in curated order."""
        members: dict[str, list[str]] = {}
        for key, kept in self.canonical.items():
            members.setdefault(kept, []).append(key)
        return members

    def report_lines(self) -> list[str]:
        """What `curabib dedupe` prints for people: one line per group, then the counts."""
        lines = [
            f"merged  {m.kept} <- {', '.join(m.merged)}  ({m.reason}; confidence {m.confidence})"
            for m in self.merges
        ]
        lines += [f"possible  {' / '.join(p.keys)}  ({p.reason}; {p.score})" for p in self.possible]
        lines += [f"conflict  {' / '.join(c.keys)}  ({c.reason}): kept apart" for c in self.conflicts]
        lines.append(
            f"{len(self.merges)} merged groups, {len(self.possible)} possible duplicates, "
            f"{len(self.conflicts)} identifier conflicts"
        )
        return lines

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """What `curabib dedupe --format json` prints for tools."""
        return {
            "merged": [asdict(m) for m in self.merges],
            "possible": [asdict(p) for p in self.possible],
            "conflicts": [asdict(c) for c in self.conflicts],
        }


def title_block(work: Work) -> str | None:
    words = [w for w in normalized_words(work.title or "") if w not in _STOP]
    return " ".join(words) if len(words) >= 3 else None


def identity_keys(work: Work) -> list[str]:
    """The identifiers that say which work this IS: a paper's code repository does not."""
    keys = []
    for ident in work.ids:
        if ident.derived or (work.kind == "paper" and ident.kind not in PAPER_KINDS):
            continue
        value = ident.value.lower()
        if ident.kind == "doi" and value.startswith("10.48550/arxiv."):
            keys.append(f"arxiv:{ident.value[len('10.48550/arxiv.') :]}")
        else:
            keys.append(f"{ident.kind}:{value}")
    if work.published is not None and work.published.doi:
        keys.append(f"doi:{work.published.doi.lower()}")
    return list(dict.fromkeys(keys))


class _UnionFind:
    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}
        self.reasons: dict[str, list[tuple[str, float]]] = defaultdict(list)

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str, reason: str, confidence: float) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.reasons[ra] += [(reason, confidence), *self.reasons.pop(rb, [])]


def find_duplicates(
    candidates: Mapping[str, Candidate], order: Sequence[str], *, near_titles: bool = True
) -> Dedupe:
    """`order` is the keys in curated order (lists by name): the kept key is the first pinned one.
    Without `near_titles`, near-identical titles are not looked for: they are only ever reported (by
    `check` and `dedupe`), and looking is half the time of deduplicating 100k works."""
    result = Dedupe()
    groups = _UnionFind(order)
    titles = {key: candidates[key].block for key in order}
    _by_identifiers(candidates, order, groups, result)
    _by_titles(candidates, titles, groups, result)
    if near_titles:
        result.possible += _near_titles(titles, groups)
    _collect(result, candidates, order, groups)
    return result


def _by_identifiers(
    candidates: Mapping[str, Candidate], order: Sequence[str], groups: _UnionFind, result: Dedupe
) -> None:
    by_identity: dict[str, list[str]] = defaultdict(list)
    for key in order:
        for ident in candidates[key].identity:
            by_identity[ident].append(key)
    for ident, keys in by_identity.items():
        if len(keys) == 1:
            continue  # most identifiers: one work only
        first = keys[0]
        for other in keys[1:]:
            if _titles_agree(candidates[first], candidates[other]):
                groups.union(first, other, f"same {ident}", 1.0)
            else:
                result.conflicts.append(Possible((first, other), 0.0, f"{ident} shared, titles differ"))


def _by_titles(
    candidates: Mapping[str, Candidate],
    titles: Mapping[str, str | None],
    groups: _UnionFind,
    result: Dedupe,
) -> None:
    by_title: dict[str, list[str]] = defaultdict(list)
    for key, block in titles.items():
        if block is not None:
            by_title[block].append(key)
    for block, keys in by_title.items():
        if len(keys) == 1:
            continue  # most titles: one work only
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                same, reason = _same_by_title(candidates[a], candidates[b])
                if same:
                    groups.union(a, b, f"same title '{block}', {reason}", 0.95)
                elif groups.find(a) != groups.find(b):
                    result.possible.append(Possible((a, b), 100.0, f"same title but {reason}"))


def _titles_agree(a: Candidate, b: Candidate) -> bool:
    names_a = [n for n in (a.title, a.label, a.cited_as) if n]
    names_b = [n for n in (b.title, b.label, b.cited_as) if n]
    return not (a.title and b.title) or any(names_agree(x, y) for x in names_a for y in names_b)


def _same_by_title(a: Candidate, b: Candidate) -> tuple[bool, str]:
    if a.kind != b.kind:
        return False, f"kinds differ ({a.kind}, {b.kind})"
    if a.year and b.year and abs(a.year - b.year) > 1:
        return False, f"years differ ({a.year}, {b.year})"
    fa, fb = a.first_author, b.first_author
    if fa is not None and fb is not None and normalized_title(fa) != normalized_title(fb):
        return False, f"first authors differ ({fa}, {fb})"
    ids_a = dict(i.split(":", 1) for i in a.identity)
    for ident in b.identity:
        kind, value = ident.split(":", 1)
        if kind in ids_a and ids_a[kind] != value and kind != "doi":
            return False, f"different {kind} ids"
    return True, "year within one and no contradicting identifier"


def _near_titles(titles: Mapping[str, str | None], groups: _UnionFind) -> list[Possible]:
    """Near-identical titles, reported and never merged. Candidates share their first three significant
    words; within a block, titles are sorted and each is compared with the next few only (a sorted
    neighbourhood), so a large block does not turn into all pairs."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for key, block in titles.items():
        if block is not None:
            blocks[" ".join(block.split()[:3])].append(key)
    found = []
    for keys in blocks.values():
        position = {key: i for i, key in enumerate(keys)}  # curated order, to name each pair stably
        ordered = sorted(keys, key=lambda k: titles[k] or "")
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 : i + 1 + NEIGHBOURS]:
                ta, tb = titles[a] or "", titles[b] or ""
                if ta == tb or groups.find(a) == groups.find(b):
                    continue
                score = fuzz.ratio(ta, tb)
                if score >= POSSIBLE:
                    pair = (a, b) if position[a] < position[b] else (b, a)
                    found.append(Possible(pair, round(score, 1), "near-identical titles"))
    return found


def _collect(
    result: Dedupe, candidates: Mapping[str, Candidate], order: Sequence[str], groups: _UnionFind
) -> None:
    members: dict[str, list[str]] = defaultdict(list)
    parent = groups.parent
    for key in order:
        members[key if parent[key] == key else groups.find(key)].append(key)
    for root, keys in members.items():
        if len(keys) == 1:
            result.canonical[root] = root  # most works: one key, kept
            continue
        # The key to keep: a pinned (not provisional) one if any, else the first in curated order.
        kept = next((k for k in keys if not candidates[k].provisional), keys[0])
        for key in keys:
            result.canonical[key] = kept
        reasons = groups.reasons.get(root, [])
        confidence = min((c for _, c in reasons), default=1.0)
        merged = tuple(k for k in keys if k != kept)
        result.merges.append(Merge(kept, merged, "; ".join(r for r, _ in reasons), confidence))
