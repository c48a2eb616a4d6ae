"""Title searches, as every source runs them: judge the candidates by the acceptance rule and record the
outcome (the match, or the best refused candidate and why). A wrong match is worse than a miss."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from curabib.matching import Verdict, family_names, judge, normalized_title
from curabib.model import FOUND, NOT_FOUND, Item, Record
from curabib.sources.protocol import Request, person_name

# A candidate: its fields, its record id ("arxiv:1706.03762", "doi:10.1/x") and its year as text.
Candidate = tuple[Mapping[str, Any], str, str]
# Why a candidate may never be the match whatever the rule says (DBLP's CoRR records are preprints), or None.
Refusal = Callable[[Mapping[str, Any]], str | None]


def choose(
    item: Item, candidates: Sequence[Candidate], refuse: Refusal | None = None
) -> dict[str, Any] | None:
    """The first accepted candidate, else the best refused one (match None), else None. A candidate
    `refuse` names a reason for is judged like the others, so that a miss can still show it as the best
    candidate, but never accepted."""
    families = family_names(item.authors)
    best: dict[str, Any] | None = None
    for fields, ident, year in candidates:
        names = [person_name(a) for a in fields.get("authors", [])]
        verdict = judge(
            str(item.title),
            item.year,
            families,
            str(fields.get("title") or ""),
            int(year) if year.isdigit() else None,
            family_names(names),
        )
        refused = refuse(fields) if refuse is not None and verdict.accepted else None
        if refused is not None:
            verdict = Verdict(False, verdict.score, refused)
        entry = {
            "match": ident if verdict.accepted else None,
            "candidate": ident,
            "candidate_title": fields.get("title"),
            "score": round(verdict.score, 3),
            "reason": verdict.reason,
        }
        if verdict.accepted:
            return entry
        if best is None or entry["score"] > best["score"]:
            best = entry
    return None if best is None else {**best, "match": None}


def search_records(
    request: Request,
    candidates: Sequence[Candidate],
    found_store: str,
    keep: Callable[[Mapping[str, Any]], dict[str, Any]],
    now: datetime,
    refuse: Refusal | None = None,
) -> list[Record]:
    """For each item the search was for: the matched work's record under `found_store` (fields through
    `keep`), if any, then the item's search record under the request's store (`refuse`: see `choose`)."""
    fetched_at = now.isoformat()
    records = []
    for key, item in zip(request.ids, request.items, strict=True):
        choice = choose(item, candidates, refuse)
        if choice is not None and choice["match"]:
            fields = next(c for c, ident, _ in candidates if ident == choice["match"])
            records.append(Record(found_store, choice["match"], FOUND, fetched_at, request.url, keep(fields)))
        outcome = {"query": item.title, **(choice or {"match": None, "reason": "no candidates"})}
        status = FOUND if outcome.get("match") else NOT_FOUND
        records.append(Record(request.store, key, status, fetched_at, request.url, outcome))
    return records


def search_requests(
    source: str,
    store: str,
    wanted: Iterable[tuple[str, Item]],
    query: Callable[[Item], str],
    url: Callable[[str], str],
    line: Callable[[Item], str],
    endpoint: str,
) -> list[Request]:
    """One request per work among the (search key, item) pairs `wanted`, its query made from the first
    item of the work: the answer is the same for all of them, and each is still judged (title, year,
    authors) and recorded under its own key, once. One work: the same normalized title (a copy in another
    list may differ in case or punctuation), or the same citation key (the curator said so)."""
    grouped: dict[str, dict[str, Item]] = {}
    work_of_key: dict[str, str] = {}  # citation key -> the group its first copy joined
    for key, item in wanted:
        if any(key in keyed for keyed in grouped.values()):
            continue
        work = (work_of_key.get(item.key) if item.key else None) or normalized_title(str(item.title))
        grouped.setdefault(work, {})[key] = item
        if item.key:
            work_of_key.setdefault(item.key, work)
    requests = []
    for keyed in grouped.values():
        first = next(iter(keyed.values()))
        text = query(first)
        requests.append(
            Request(
                source,
                store,
                tuple(keyed),
                url=url(text),
                line=line(first),
                endpoint=endpoint,
                query=text,
                items=tuple(keyed.values()),
            )
        )
    return requests
