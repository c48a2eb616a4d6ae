"""Zotero RDF export: one file per list, and one for all lists, that Zotero imports in one go (File →
Import) as the list's collection tree: the list on top, its sections and subsections nested below, each
item filed in every collection the list names it in, and described once per file.

The vocabulary is the one Zotero writes itself, so that Zotero's RDF import reads every field back. We
follow the two translators of zotero/translators (read at commit 28143701): "Zotero RDF.js" (the export,
which says what each field is written as) and "RDF.js" (the import, which is what reads our file). Line
numbers below are theirs.

A work's item type comes from its CSL type (`csl.item`), through Zotero's own CSL ↔ Zotero type table
(zotero/zotero-schema, schema.json `csl.types`), so these files type a work as our CSL-JSON files do.
Writing is plain text with the standard library's XML escaping: deterministic, streamed, no RDF library.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from curabib.export import csl
from curabib.export.common import ExportOptions, publication
from curabib.export.types import TYPES
from curabib.model import Person, Work

if TYPE_CHECKING:  # the type only: layout imports this module to register it
    from curabib.export.layout import Collection

NAME, SUFFIX = "zotero-rdf", ".rdf"

# The namespaces and prefixes of the export translator (Zotero RDF.js 26-38), vcard ones left out (unused).
NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "z": "http://www.zotero.org/namespaces/export#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "bib": "http://purl.org/net/biblio#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "link": "http://purl.org/rss/1.0/modules/link/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/",
}
# CSL type -> Zotero item type: the first Zotero type schema.json's `csl.types` lists for each CSL type.
ZOTERO_TYPES = {
    "article": "preprint",
    "article-journal": "journalArticle",
    "paper-conference": "conferencePaper",
    "chapter": "bookSection",
    "book": "book",
    "report": "report",
    "thesis": "thesis",
    "dataset": "dataset",
    "software": "computerProgram",
    "webpage": "webpage",
    "post-weblog": "blogPost",
    "post": "forumPost",
    "manuscript": "manuscript",
    "document": "document",
}
FALLBACK_TYPE = "document"  # for a CSL type without a Zotero one: as RDF.js 893-897 does for a type it lacks
# Zotero item type -> (the item's rdf:type, its container's rdf:type), as Zotero RDF.js 138-221 types them.
# Types without a class there (preprint, dataset, conferencePaper, ...) are written untyped
# (rdf:Description); z:itemType alone tells the import their type (RDF.js 496-509).
TRANSLATOR_TYPES: dict[str, tuple[str | None, str | None]] = {
    "book": ("bib:Book", None),
    "bookSection": ("bib:BookSection", "bib:Book"),
    "journalArticle": ("bib:Article", "bib:Journal"),
    "thesis": ("bib:Thesis", None),
    "manuscript": ("bib:Manuscript", None),
    "webpage": ("bib:Document", "z:Website"),
    "report": ("bib:Report", None),
    "blogPost": ("bib:Document", "z:Blog"),
    "forumPost": ("bib:Document", "z:Forum"),
    "computerProgram": ("bib:Data", None),
    "conferencePaper": (None, "bib:Journal"),
}
# Item types whose "type" field (websiteType, reportType, thesisType) is written as dc:type
# (Zotero RDF.js 279-282 and 486-487, read back by RDF.js 1253-1265); others have no such field or one the
# import does not read from dc:type, so the CSL genre is left out there.
GENRE_TYPES = frozenset({"webpage", "blogPost", "report", "thesis", "manuscript"})
# What no XML 1.0 document can hold; and that with what text must escape.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SAFE = re.compile(r"[A-Za-z0-9._~-]+")  # a key that needs no percent-encoding in a URI


def item_uri(key: str) -> str:
    """The item's URI in every file: stable across builds, one per work (the translator's own fallback form,
    `#item_<id>`, Zotero RDF.js 550, with the citation key as the id)."""
    return "#item_" + (key if _SAFE.fullmatch(key) else quote(key, safe=""))


def collection_uri(collection_id: str) -> str:
    """As the translator names collections (`#collection_<id>`, Zotero RDF.js 70), with our stable id."""
    return "#collection_" + quote(collection_id, safe="/")


def render(work: Work, options: ExportOptions, kind: str | None = None) -> str:
    """The work's description, indented for its place inside <rdf:RDF>: software as a Computer Program,
    with its licence (`types.ItemType.rdf`). Its names are written from its `Person`s, not through CSL's.
    `kind`: as `bibtex.render`'s."""
    kind = kind or publication(work)
    rdf_type = TYPES[kind].rdf
    data = csl.item_of(work, kind, names=False)
    if rdf_type and data.get("container-title") and not data.get("publisher"):
        # A program has no container: the site that hosts it ("GitHub") is its company (dc:publisher).
        data["publisher"] = data["container-title"]
    people = [_person_of(person) for person in work.authors]
    return _description(work.key, data, people, rdf_type, work.license if rdf_type else None)


def render_item(
    key: str, data: Mapping[str, Any], zotero_type: str | None = None, rights: str | None = None
) -> str:
    """A CSL item as Zotero RDF.js `generateItem` (132-519) writes the Zotero item it would import as
    (`zotero_type`: when the CSL type is not the Zotero type; `rights`: a licence, dc:rights, 391-392)."""
    people = [
        _person(name.get("family") or name.get("literal") or "", name.get("given"), name.get("suffix"))
        for name in data.get("author") or ()
    ]
    return _description(key, data, people, zotero_type, rights)


def _description(
    key: str, data: Mapping[str, Any], people: list[str], zotero_type: str | None, rights: str | None
) -> str:
    """`render_item`, the names (`data`'s "author") already written as foaf:Person elements. Written
    straight as text, one f-string per element: a tree of elements walked by a generator took twice as
    long as all the other formats together."""
    zotero_type = zotero_type or ZOTERO_TYPES.get(str(data.get("type")), FALLBACK_TYPE)
    item_class, container_class = TRANSLATOR_TYPES.get(zotero_type, (None, None))
    tag = item_class or "rdf:Description"
    out = [f'    <{tag} rdf:about="{item_uri(key)}">\n', f"        <z:itemType>{zotero_type}</z:itemType>\n"]
    if container_class is None:
        out += _part(data, False, _FIELD)
    else:
        # Zotero RDF.js 238-251: the container is a node of its own, linked by dcterms:isPartOf.
        part = _part(data, True, _PART)
        out.append("        <dcterms:isPartOf>\n")
        if part:
            out += [f"            <{container_class}>\n", *part, f"            </{container_class}>\n"]
        else:
            out.append(f"            <{container_class}/>\n")
        out.append("        </dcterms:isPartOf>\n")
    if data.get("publisher"):
        # Zotero RDF.js 262-277 and 453-463: publisher, a preprint's repository ("arXiv"), a dataset's
        # repository, a program's company, a report's institution: one foaf:Organization.
        out.append(_PUBLISHER.format(_text(str(data["publisher"]))))
    if people:
        # A program's authors are its programmers (its primary creator type), z:programmers (Zotero RDF.js
        # 303-307; RDF.js 948-949 reads them back): as bib:authors its import would drop them.
        creators = "z:programmers" if zotero_type == "computerProgram" else "bib:authors"
        out += [
            f"        <{creators}>\n            <rdf:Seq>\n",
            *people,
            f"            </rdf:Seq>\n        </{creators}>\n",
        ]
    out.append(f"        <dc:title>{_text(str(data.get('title') or key))}</dc:title>\n")
    if data.get("URL"):
        # Zotero RDF.js 374-389: the URL as a dcterms:URI identifier (read back by RDF.js 1183-1186).
        out.append(_URL.format(_text(str(data["URL"]))))
    if date := _date(data.get("issued")):
        out.append(f"        <dc:date>{date}</dc:date>\n")  # Zotero RDF.js 396-401
    out += [_FIELD.format(tag, _text(str(data[name]))) for name, tag in _LITERALS if data.get(name)]
    if data.get("genre") and zotero_type in GENRE_TYPES:
        out.append(_FIELD.format("dc:type", _text(str(data["genre"]))))
    if rights:
        out.append(_FIELD.format("dc:rights", _text(rights)))
    # Extra is dc:description (Zotero RDF.js 409-410; RDF.js 1326-1328 reads it as Extra for Zotero RDF):
    # the citation key as Better BibTeX and Zotero read it, then the CSL note (a published work's arXiv id).
    extra = f"Citation Key: {data.get('citation-key') or key}"
    if data.get("note"):
        extra += f"\n{data['note']}"
    out += [_FIELD.format("dc:description", _text(extra)), f"    </{tag}>\n"]
    return "".join(out)


_FIELD = "        <{0}>{1}</{0}>\n"  # a literal on the item
_PART = "                <{0}>{1}</{0}>\n"  # a literal on the item's container
_PUBLISHER = (
    "        <dc:publisher>\n            <foaf:Organization>\n                <foaf:name>{}</foaf:name>\n"
    "            </foaf:Organization>\n        </dc:publisher>\n"
)
_URL = (
    "        <dc:identifier>\n            <dcterms:URI>\n                <rdf:value>{}</rdf:value>\n"
    "            </dcterms:URI>\n        </dc:identifier>\n"
)
# CSL fields written as one literal on the item: pages (Zotero RDF.js 406-408), version (393-395),
# abstract (441-442).
_LITERALS = (("page", "bib:pages"), ("version", "prism:edition"), ("abstract", "dcterms:abstract"))


def _part(data: Mapping[str, Any], container: bool, line: str) -> list[str]:
    """What the translator writes on the container when the type has one, else on the item (Zotero
    RDF.js 420-432): the container's title (only where there is a container), volume, issue or number,
    and the DOI."""
    part: list[str] = []
    if container and data.get("container-title"):
        part.append(line.format("dc:title", _text(str(data["container-title"]))))
    if data.get("volume"):
        part.append(line.format("prism:volume", _text(str(data["volume"]))))
    # issue and number are both prism:number; RDF.js 1012-1033 reads it as the issue, or as the number
    # where the type has no issue: a preprint's archiveID ("arXiv:<id>"), a report's reportNumber.
    if number := data.get("issue") or data.get("number"):
        part.append(line.format("prism:number", _text(str(number))))
    if data.get("DOI"):  # RDF.js 1168-1169 reads "DOI <doi>"
        part.append(line.format("dc:identifier", _text(f"DOI {data['DOI']}")))
    return part


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works
def _person_of(person: Person) -> str:
    """A name as a foaf:Person in an rdf:Seq (Zotero RDF.js 286-317), as `render_item` writes its CSL name.
    A literal name (an organisation) is a foaf:Person with a surname only: the translator writes a
    one-field name so, and RDF.js 136-155 reads a name without a given name as one field; a
    foaf:Organization with foaf:name would be dropped there."""
    if person.literal:
        return _person(person.family, None, None)
    return _person(person.family, person.given or None, person.suffix or None)


@functools.lru_cache(maxsize=1 << 16)  # the same authors recur across a list's works
def _person(surname: str, given: str | None, suffix: str | None) -> str:
    if not given:
        return _PERSON.format(_text(surname))
    # Zotero has no suffix field: "Given, Jr." is how a suffix stays with the name.
    return _PERSON_GIVEN.format(_text(surname), _text(f"{given}, {suffix}" if suffix else given))


# One string per person, formatted once: an author list is most of a paper's description.
_PERSON = (
    "                <rdf:li>\n                    <foaf:Person>\n"
    "                        <foaf:surname>{}</foaf:surname>\n"
    "                    </foaf:Person>\n                </rdf:li>\n"
)
_PERSON_GIVEN = (
    "                <rdf:li>\n                    <foaf:Person>\n"
    "                        <foaf:surname>{}</foaf:surname>\n"
    "                        <foaf:givenName>{}</foaf:givenName>\n"
    "                    </foaf:Person>\n                </rdf:li>\n"
)


def _date(issued: Any) -> str | None:
    """CSL date-parts [[2017, 6, 12]] as Zotero writes a date: 2017-06-12, 2017-06 or 2017."""
    try:
        parts = [int(part) for part in issued["date-parts"][0]]
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    return "-".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:3])]) if parts else None


def file(collections: Sequence[Collection], rendered: Iterable[bytes]) -> Iterator[bytes]:
    """The file's bytes in pieces: every work's description (`render`, in file order, in pieces of any
    size), then the collections, each its own z:Collection with dc:title and dcterms:hasPart for its items
    and its subcollections (Zotero RDF.js 69-88). RDF.js 1552-1560 makes a top collection of every
    collection that nothing has as a part, and nests the others where they are parts (RDF.js 165-199)."""
    yield _header().encode()
    yield from rendered
    for collection in collections:
        yield "".join(_collection_lines(collection)).encode()
    yield b"</rdf:RDF>\n"


def _header() -> str:
    declarations = "".join(f"\n xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NAMESPACES.items())
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF{declarations}>\n'


def _collection_lines(top: Collection) -> Iterator[str]:
    """A collection and all below it, parents first. A stack, not recursion: sections nest as deep as
    the entry file says."""
    stack = [top]
    while stack:
        collection = stack.pop()
        uris = [item_uri(key) for key in collection.keys]
        uris += [collection_uri(child.id) for child in collection.children]
        yield f"    <z:Collection rdf:about={quoteattr(collection_uri(collection.id))}>\n"
        yield f"        <dc:title>{_text(collection.title)}</dc:title>\n"
        yield from (f"        <dcterms:hasPart rdf:resource={quoteattr(uri)}/>\n" for uri in uris)
        yield "    </z:Collection>\n"
        stack.extend(reversed(collection.children))


def _text(text: str) -> str:
    """Text as XML 1.0 holds it: escaped, the characters it cannot hold dropped, a carriage return as a
    reference (a parser would turn it into a line feed), everything else kept as written. Most text needs
    none of this, and is returned as it is after one search."""
    if _SPECIAL.search(text) is None:
        return text
    return escape(_NOT_XML.sub("", text)).replace("\r", "&#13;")
