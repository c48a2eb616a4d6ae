"""The citation a repository's README gives in BibTeX, when it has no usable CITATION.cff.

Many repositories show how to cite them only as a BibTeX block in their README, fenced or bare, often
beside blocks for the papers they build on. Only the block that names this repository (its URL on
github.com) is taken, or the README's only block: never one guessed among several, since citing another
work's entry would be worse than citing the repository itself (`sources/github.py` falls back to that).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import bibtexparser

from curabib.names import split_name
from curabib.sources.github_cff import four_digit_year

_BIBTEX_TYPES = (
    "article|inproceedings|conference|misc|software|online|techreport|report|book|incollection|inbook|"
    "phdthesis|mastersthesis|thesis|unpublished|manual|dataset|electronic|proceedings"
)
_BIBTEX_START = re.compile(rf"(?<![\w@])@({_BIBTEX_TYPES})\s*\{{", re.IGNORECASE)


def bibtex_blocks(readme: str) -> list[str]:
    """The BibTeX entries a README shows, fenced or bare, each as written (from `@` to its closing brace)."""
    blocks = []
    for match in _BIBTEX_START.finditer(readme):
        depth, end = 0, None
        for i in range(match.end() - 1, len(readme)):
            depth += {"{": 1, "}": -1}.get(readme[i], 0)
            if depth == 0:
                end = i + 1
                break
        if end is not None:
            blocks.append(readme[match.start() : end])
    return blocks


def chosen_block(blocks: Sequence[str], repo: Mapping[str, Any]) -> dict[str, Any] | None:
    """The citation of the block that names this repository, or of the only one; None when that is not
    clear."""
    entries = [entry for block in blocks for entry in bibtexparser.parse_string(block).entries]
    names = {str(repo.get(k) or "").lower() for k in ("full_name", "renamed_from")} - {""}
    naming = [
        e for e in entries if any(f"github.com/{n}" in str(f.value).lower() for f in e.fields for n in names)
    ]
    chosen = naming[0] if naming else entries[0] if len(entries) == 1 else None
    return _from_bibtex(chosen) if chosen is not None else None


def _from_bibtex(entry: Any) -> dict[str, Any]:
    fields = {f.key.lower(): _unbrace(str(f.value)) for f in entry.fields}
    archive = fields.get("archiveprefix", fields.get("eprinttype", "")).lower()
    eprint = fields.get("eprint") if archive == "arxiv" else None
    cited = {
        "type": entry.entry_type.lower(),
        "title": fields.get("title"),
        "authors": [_bibtex_person(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()],
        "year": four_digit_year(fields.get("year")),
        "version": fields.get("version"),
        "doi": (fields.get("doi") or "").lower() or None,
        "arxiv": eprint,
        "url": fields.get("url"),
        "container": fields.get("journal") or fields.get("booktitle"),
        "volume": fields.get("volume"),
        "issue": fields.get("number"),
        "pages": fields.get("pages"),
        "publisher": fields.get("publisher"),
    }
    return {k: v for k, v in cited.items() if v not in (None, "", [])}


def _bibtex_person(name: str) -> dict[str, str]:
    person = split_name(name.strip())
    if person.literal:
        return {"literal": person.family}
    out = {"family": person.family, "given": person.given, "suffix": person.suffix}
    return {k: v for k, v in out.items() if v}


def _unbrace(text: str) -> str:
    """A BibTeX value without its protecting braces and LaTeX's `\\url{...}` wrapper."""
    text = re.sub(r"\\url\{([^}]*)\}", r"\1", text.strip())
    return " ".join(text.replace("{", "").replace("}", "").split())
