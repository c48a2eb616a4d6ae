"""CSL-JSON export, written the way Zotero itself writes it so Zotero imports every file whole.

Types come from the one table in `types.py`. arXiv preprints: `article` + publisher arXiv + number
arXiv:<id> + the 10.48550 DOI (Zotero: Preprint); other preprints `article`, and papers of unknown venue
`document`, with the server (or the venue the list names) as publisher.
Code repositories: `webpage` with genre "Computer program". Zotero refuses a WHOLE CSL-JSON file when any item
has CSL type `software`, and `webpage` is both valid CSL and imported by Zotero (as Web Page).
Name particles stay inside `family` because Zotero drops `non-dropping-particle`.
"""

from __future__ import annotations

import json
from typing import Any

from curabib.export.common import (
    ExportOptions,
    Format,
    display_title,
    doi,
    publication,
    site_name,
    venue_name,
)
from curabib.export.types import TYPES
from curabib.model import Person, Work

# One item per line: diffs show which works changed, and the C encoder stays fast at 100k items. One
# encoder for all (`json.dumps` with options builds a new one per call); an item is a tree, with no cycle
# to look for.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, check_circular=False)
_SITE_KINDS = ("software", "model", "blog", "webpage", "dataset")  # the site that hosts them names them
_GENRES = {"software": "Computer program", "model": "Machine learning model"}


def render(work: Work, options: ExportOptions, kind: str | None = None) -> str:
    """The work's CSL item, as one line of JSON (`kind`: as `bibtex.render`'s)."""
    return _JSON.encode(item_of(work, kind or publication(work)))


def item(work: Work) -> dict[str, Any]:
    """The work as a CSL item (the Zotero RDF format describes this item too)."""
    return item_of(work, publication(work))


def item_of(work: Work, kind: str, names: bool = True) -> dict[str, Any]:
    """`item` for a work of publication `kind`, without its `author` names unless `names`: the Zotero RDF
    writes each work's names straight from its `Person`s, twice per build or so."""
    data: dict[str, Any] = {
        "id": work.key,
        "citation-key": work.key,
        "type": TYPES[kind].csl,
        "title": display_title(work),
    }
    if names and work.authors:
        data["author"] = [_name(p) for p in work.authors]
    if work.year:
        data["issued"] = {"date-parts": [[work.year]]}
    if work.url:
        data["URL"] = work.url
    if (cite_doi := doi(work)) is not None:
        data["DOI"] = cite_doi
    data.update(_arxiv_fields(work, kind))
    data.update(_published_fields(work))
    data.update(_container_fields(work, kind))
    return data


def _arxiv_fields(work: Work, kind: str) -> dict[str, str]:
    arxiv = work.identifier("arxiv")
    if arxiv is None:
        return {}
    if kind == "preprint":
        return {"publisher": "arXiv", "number": f"arXiv:{arxiv.value}"}
    # The published version: Zotero keeps "arXiv: <id>" from the note in Extra.
    return {"note": f"arXiv: {arxiv.value}"}


def _published_fields(work: Work) -> dict[str, str]:
    published = work.published
    if published is None:
        return {}
    values = {
        "URL": f"https://doi.org/{published.doi}" if published.doi else None,
        "volume": published.volume,
        "issue": published.issue,
        "page": published.pages,
        "publisher": published.publisher,
    }
    return {name: value for name, value in values.items() if value}


def _container_fields(work: Work, kind: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    if kind in ("conference", "journal", "chapter"):
        if venue := venue_name(work):
            fields["container-title"] = venue
    elif kind in ("preprint", "paper") and work.identifier("arxiv") is None:
        # An unpublished paper's venue as the list names it ("OpenAI", "bioRxiv") is where it is published:
        # Zotero reads a CSL article's publisher as the preprint's repository. A posted-content record's
        # server is already the publisher (`_published_fields`).
        if work.venue and not (work.published and work.published.publisher):
            fields["publisher"] = work.venue
    elif kind in _SITE_KINDS and work.published is None and (site := site_name(work.url)):
        fields["publisher" if kind == "dataset" else "container-title"] = site
    if kind in _GENRES:
        fields["genre"] = _GENRES[kind]
    if kind == "software" and work.version:  # the release its authors cite (CITATION.cff)
        fields["version"] = work.version
    return fields


def _name(person: Person) -> dict[str, str]:
    if person.literal:
        return {"literal": person.family}
    name = {"family": person.family}
    if person.given:
        name["given"] = person.given
    if person.suffix:
        name["suffix"] = person.suffix
    return name


# A JSON array with one item per line: diffs show which works changed.
FORMAT = Format("csl-json", ".json", render, opening="[\n", separator=",\n", closing="\n]\n", empty="[]\n")
