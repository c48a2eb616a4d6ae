"""CSL-JSON export, written the way Zotero itself writes it so Zotero imports every file whole.

arXiv preprints: `article` + publisher arXiv + number arXiv:<id> + the 10.48550 DOI (Zotero: Preprint).
Code repositories: `webpage` with genre "Computer program". Zotero refuses a WHOLE CSL-JSON file when any item
has CSL type `software`, and `webpage` is both valid CSL and imported by Zotero (as Web Page).
Name particles stay inside `family` because Zotero drops `non-dropping-particle`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from curabib.export.common import ExportOptions, display_title, publication, site_name, venue_name
from curabib.model import Person, Work

_TYPES = {
    "preprint": "article",
    "conference": "paper-conference",
    "journal": "article-journal",
    "report": "report",
    "software": "webpage",
    "model": "webpage",
    "dataset": "dataset",
    "blog": "post-weblog",
    "webpage": "webpage",
}
_GENRES = {"software": "Computer program", "model": "Machine learning model"}


def render(work: Work, options: ExportOptions) -> str:
    text = json.dumps(item(work), ensure_ascii=False, indent=2, sort_keys=True)
    return "  " + text.replace("\n", "\n  ")


def join(rendered: Sequence[str]) -> str:
    if not rendered:
        return "[]\n"
    return "[\n" + ",\n".join(rendered) + "\n]\n"


def item(work: Work) -> dict[str, Any]:
    kind = publication(work)
    data: dict[str, Any] = {
        "id": work.key,
        "citation-key": work.key,
        "type": _TYPES[kind],
        "title": display_title(work),
    }
    if work.authors:
        data["author"] = [_name(p) for p in work.authors]
    if work.year:
        data["issued"] = {"date-parts": [[work.year]]}
    if work.url:
        data["URL"] = work.url
    venue = venue_name(work)
    arxiv = work.identifier("arxiv")
    doi = work.identifier("doi")
    if arxiv is not None:
        data["publisher"] = "arXiv"
        data["number"] = f"arXiv:{arxiv.value}"
        data["DOI"] = doi.value if doi else f"10.48550/arXiv.{arxiv.value}"
    elif doi is not None:
        data["DOI"] = doi.value
    if kind in ("conference", "journal") and venue:
        data["container-title"] = venue
    elif kind in ("software", "model", "blog", "webpage") and site_name(work.url):
        data["container-title"] = site_name(work.url)
    elif kind == "dataset" and site_name(work.url):
        data["publisher"] = site_name(work.url)
    if kind in _GENRES:
        data["genre"] = _GENRES[kind]
    return data


def _name(person: Person) -> dict[str, str]:
    if person.literal or not person.given:
        return {"literal": person.family} if person.literal else {"family": person.family}
    return {"family": person.family, "given": person.given}
