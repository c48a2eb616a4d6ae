"""Item types by rule: ONE table from what we know of a work to its CSL type, BibTeX and biblatex entry
types and Zotero item type, read by every format (`csl.py`, `bibtex.py`, and the Zotero export).

What we know, in the order it is weighed (`publication`):
1. the published version's Crossref type (a fetched Crossref or DBLP record, or the list's own venue claim);
2. the work kind when it is a dataset or a model (a list calls it so: a dataset hosted on GitHub stays one);
3. a GitHub repository as the work's own link, without a paper identifier: software, whatever word the
   list put on the link ("blog", "site", "paper");
4. any other non-paper kind (blog, webpage, software);
5. an arXiv id: a preprint;
6. a known venue (conference, journal) named by the list, or an identifier kind that names one (ACL,
   PMLR and NeurIPS ids and the ACL Anthology's, AAAI's and IJCAI's DOIs: conference; a DOI with an ISBN,
   10.1007/978-...: book, or chapter with `_<n>`; an ACM proceedings-shaped or IEEE DOI: nothing, as
   their journals' look alike; any other DOI or a PMC id: journal; `ids/doi.py` reads a DOI's shape);
7. otherwise a paper whose venue is unknown: CSL `document`, CSL's generic type (a Document in Zotero, as
   its `@misc` is): not `article`, which Zotero imports as a Preprint (a journal article linked on its
   publisher's page is none), nor `report`, which claims an institution's report series we know nothing of.

BibTeX types that need fields we may not have fall back to `@misc` in `bibtex.py` (`@book` and
`@techreport` without a publisher, `@article` without a journal...): BibTeX styles and biber warn about a
missing mandatory field, never about `@misc`. A missing author is no reason to: the type says what the work
is in every format alike, and the styles' "empty author" warning is the honest sign of what is missing
(`curabib check` reports it as `missing-authors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from curabib.data import venues
from curabib.ids import KINDS, PAPER_KINDS
from curabib.model import Work


@dataclass(frozen=True, slots=True)
class ItemType:
    csl: str
    bibtex: str  # the default dialect: only types every BibTeX style knows
    biblatex: str
    zotero: str  # Zotero's item type, as Zotero names it (what its CSL-JSON import makes of `csl`)
    # Zotero's item type in Zotero RDF, where it differs: RDF names any Zotero type (`z:itemType`), so
    # software is a Computer Program there, where CSL-JSON must say `webpage`.
    rdf: str | None = None


# Our publication kind -> the types. `software` is CSL `webpage` (+ genre "Computer program"): Zotero refuses
# a whole CSL-JSON file when any item is `software`. Theses and reports use the BibTeX names in biblatex too:
# biber reads @phdthesis / @techreport as @thesis / @report with the `type` biblatex requires.
TYPES: dict[str, ItemType] = {
    "preprint": ItemType("article", "misc", "misc", "preprint"),
    "paper": ItemType("document", "misc", "misc", "document"),
    "conference": ItemType("paper-conference", "inproceedings", "inproceedings", "conferencePaper"),
    "journal": ItemType("article-journal", "article", "article", "journalArticle"),
    "book": ItemType("book", "book", "book", "book"),
    "chapter": ItemType("chapter", "incollection", "incollection", "bookSection"),
    "thesis": ItemType("thesis", "phdthesis", "phdthesis", "thesis"),
    "report": ItemType("report", "techreport", "techreport", "report"),
    "dataset": ItemType("dataset", "misc", "dataset", "dataset"),
    "software": ItemType("webpage", "misc", "software", "webpage", "computerProgram"),
    "model": ItemType("webpage", "misc", "online", "webpage"),
    "blog": ItemType("post-weblog", "misc", "online", "blogPost"),
    "webpage": ItemType("webpage", "misc", "online", "webpage"),
}

# Crossref's type of the published record (DBLP's and the venue claims' are mapped to these) -> our kind.
# A type not here (Crossref's "other", "component", "peer-review"...) says nothing we can cite it as.
CROSSREF_KINDS: dict[str, str] = {
    "journal-article": "journal",
    "proceedings-article": "conference",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-chapter": "chapter",
    "book-part": "chapter",
    "book-section": "chapter",
    "reference-entry": "chapter",
    "dissertation": "thesis",
    "report": "report",
    "dataset": "dataset",
    "posted-content": "preprint",  # bioRxiv, medRxiv, SSRN, Research Square: the server is the publisher
}

# Kinds the list decides: a dataset or a model stays one whatever its link looks like.
_DECLARED = ("dataset", "model")


def publication(work: Work) -> str:
    """The work's publication kind, a key of `TYPES`, by the rules in the module's docstring."""
    if work.published is not None:
        return CROSSREF_KINDS.get(work.published.type, "paper")
    if work.kind in _DECLARED:
        return work.kind
    has_paper_id = any(i.kind in PAPER_KINDS and not i.derived for i in work.ids)
    if not has_paper_id and is_repository(work.url):
        return "software"
    if work.kind != "paper":
        return work.kind
    if work.identifier("arxiv") is not None:
        return "preprint"
    venue = venues.find(work.venue)
    if venue is not None and venue.kind in ("conference", "journal"):
        return venue.kind
    # What the identifiers say (`IdKind.says`), the most specific first. Derived identifiers count here: a
    # DOI read off a publisher's URL (nature.com) still says "journal".
    said = {KINDS[i.kind].says(i.value) for i in work.ids if i.kind in KINDS}
    for kind in ("conference", "chapter", "book", "journal"):
        if kind in said:
            return kind
    if venue is not None and venue.kind == "preprint":
        return "preprint"
    return "paper"


def item_type(work: Work) -> ItemType:
    return TYPES[publication(work)]


def is_repository(url: str | None) -> bool:
    """A GitHub repository or a folder in one (github.com/<owner>/<repo>[/tree/...]): not a file in one
    (`/blob/`: a document, a notebook), a gist, or a page of GitHub itself."""
    if not url:
        return False
    parts = urlsplit(url)
    if parts.netloc.lower().removeprefix("www.") != "github.com":
        return False
    path = [p for p in parts.path.split("/") if p]
    if len(path) < 2 or path[0] in ("orgs", "topics", "features", "sponsors", "settings", "marketplace"):
        return False
    return len(path) == 2 or path[2] == "tree"
