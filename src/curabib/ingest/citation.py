"""Read what a curator wrote about one work: title, label, authors, year, venue hint, typed links.

Awesome lists write citations in a handful of informal styles; each style is one small reader here:
  `Label **Title**, Venue Year, [Paper](url)`        (bold title)
  `**"Title"**. *Authors et al.* Venue Year.`        (bold quoted title, italic authors)
  `YYYY-[VENUE-]Title [[paper](url)]`               (year prefix; "- " stands for ": ")
  `Title. Year. [paper](url)`                         (trailing year)
  `./papers/2022-ICML-Title.pdf`                      (a local PDF whose file name carries the title)
Everything here is pure and works on the plain text of one Markdown inline run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from curabib.data import venues
from curabib.ids import PAPER_KINDS, identifiers_in_url
from curabib.ingest.link_kinds import BLOG_HOSTS, KIND_WORDS
from curabib.ingest.mojibake import repair

YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR_PREFIX = re.compile(r"^((?:19|20)\d\d)-(.+)$", re.S)
_TRAILING_YEAR = re.compile(r"^(?P<title>.+?)[\s.,;]+(?P<year>(?:19|20)\d\d)[\s.,;]*$", re.S)
_DASH_AS_COLON = re.compile(r"(?<=\S)- ")
_GLUED_NUMBER = re.compile(r"^\d{1,3}(?:\s+|(?=[A-Z][a-z]))(?=[A-Z])")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_ET_AL = re.compile(r"\s*,?\s*\bet\.?\s+al\.?\s*$", re.I)


@dataclass(frozen=True, slots=True)
class InlineLink:
    text: str
    url: str
    start: int  # offsets of the link text inside `Inline.text`
    end: int


@dataclass(slots=True)
class Inline:
    """The plain text of one inline run with where its links, bold and italic spans are."""

    text: str = ""
    links: list[InlineLink] = field(default_factory=list)
    strong: list[tuple[int, int]] = field(default_factory=list)
    emphasis: list[tuple[int, int]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # where line breaks were (a new reference may start)

    def outside_links(self) -> str:
        parts, pos = [], 0
        for link in self.links:
            parts.append(self.text[pos : link.start])
            parts.append(" ")
            pos = link.end
        parts.append(self.text[pos:])
        return "".join(parts)


@dataclass(slots=True)
class Citation:
    title: str | None = None
    label: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    year: int | None = None
    venue: str | None = None
    style: str = "plain"  # the reader that recognised it: strong, year-prefix, trailing-year, plain, none,
    # or reference (a full reference, reference.py)
    note: str | None = None  # the curator's remark next to the citation ("(Adam's ancestor)", a star rating)


def clean(text: str) -> str:
    """Mojibake repaired, NFC, one space between words, no stray brackets or separators at the ends."""
    text = unicodedata.normalize("NFC", repair(text))
    text = re.sub(r"\[\s*\]|\(\s*\)", " ", text)  # what "[[paper](url)]" leaves behind
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" ,;|/-–—:：，").strip()


def kind_word(text: str) -> str | None:
    """The link kind a text names, if the text is only such a word ("GitHub1" and "Blog Post" count)."""
    word = re.sub(r"\d+$", "", clean(text).strip("[]* ").lower()).strip()
    return KIND_WORDS.get(word)


def is_name_like(text: str) -> bool:
    """A short name (model, repo, method) rather than a title or a sentence."""
    text = clean(text)
    return 0 < len(text) <= 32 and len(text.split()) <= 3 and ": " not in text


def looks_like_citation(text: str) -> bool:
    """Whether a link-less line is the citation of a work rather than a note or a name."""
    text = clean(text)
    if _YEAR_PREFIX.match(text) or _TRAILING_YEAR.match(text):
        return True
    words = text.split()
    return len(words) >= 6 and not _CJK.search(text) and bool(re.match(r"^(\d{1,3}\s*)?[A-Z]", text))


def link_kind(url: str, text: str) -> str:
    named = kind_word(text)
    inferred = url_kind(url)
    if named in (None, "site"):
        return inferred or named or "site"
    return named


def url_kind(url: str) -> str | None:
    if is_local(url):
        return "pdf" if url.lower().endswith(".pdf") else None
    ids = identifiers_in_url(url)
    if any(i.kind in PAPER_KINDS for i in ids):
        return "paper"
    if any(i.kind == "github" for i in ids):
        return "code"
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path.lower()
    if host.endswith("huggingface.co"):
        segments = [s for s in path.split("/") if s]
        if segments[:1] == ["datasets"]:
            return "dataset"
        if segments[:1] == ["spaces"] or len(segments) < 2:
            return "site"
        return "model"
    if path.endswith(".pdf"):
        return "pdf"
    if any(host.endswith(h) for h in BLOG_HOSTS) or "blog" in host or "/blog" in path:
        return "blog"
    return None


def is_local(url: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I)


def is_anchor_or_image(url: str) -> bool:
    return url.startswith("#") or bool(re.search(r"\.(png|jpe?g|gif|svg)(\?|$)", url, re.I))


def parse(inline: Inline) -> Citation:
    """Read the citation a curator wrote, whatever the style; links are not part of the text."""
    if inline.strong:
        return _parse_strong(inline)
    text = clean(inline.outside_links())
    if not text:
        return Citation(style="none")
    return parse_plain(text)


def parse_plain(text: str) -> Citation:
    if m := _YEAR_PREFIX.match(text):
        return _parse_year_prefixed(int(m.group(1)), m.group(2))
    if m := _TRAILING_YEAR.match(text):
        title = _strip_glued_number(clean(m.group("title")))
        return Citation(title=_title(title), year=int(m.group("year")), style="trailing-year")
    text = _strip_glued_number(text)
    if is_name_like(text):
        return Citation(label=text, style="plain")
    return Citation(title=_title(text), style="plain")


def parse_pdf_name(url: str) -> Citation | None:
    """The citation a local PDF's file name carries ("2022-ICML-GLaM- Efficient Scaling ... .pdf")."""
    if not (is_local(url) and url.lower().endswith(".pdf")):
        return None
    stem = unquote(url.rsplit("/", 1)[-1])[: -len(".pdf")]
    stem = clean(stem.replace("_", " "))
    if not stem:
        return None
    citation = parse_plain(stem)
    if citation.title is None and citation.label is not None:
        citation.title, citation.label = citation.label, None
    return citation


def _parse_year_prefixed(year: int, rest: str) -> Citation:
    venue = None
    m = re.match(r"^([A-Za-z]+)-(?=\S)", rest)
    if m and venues.is_known(m.group(1)):
        venue, rest = m.group(1), rest[m.end() :]
    title = _DASH_AS_COLON.sub(": ", clean(rest))
    return Citation(title=_title(title), year=year, venue=venue, style="year-prefix")


def _parse_strong(inline: Inline) -> Citation:
    start, end = inline.strong[0]
    title = _title(inline.text[start:end].strip().strip("\"'“”"))
    before = clean(_outside_between(inline, 0, start))
    after_start = end
    authors: tuple[str, ...] = ()
    et_al = False
    for em_start, em_end in inline.emphasis:
        if em_start >= end:
            authors, et_al = split_authors(inline.text[em_start:em_end])
            after_start = max(after_start, em_end)
            break
    after = _outside_between(inline, after_start, len(inline.text))
    year = None
    if m := YEAR.search(after):
        year = int(m.group(1))
        after = after[: m.start()] + " " + after[m.end() :]
    venue = clean(after).strip(" .") or None
    if venue is not None and not re.search(r"\w", venue):
        venue = None
    return Citation(
        title=title,
        label=before if before and is_name_like(before) else None,
        authors=authors,
        et_al=et_al,
        year=year,
        venue=venue,
        style="strong",
    )


def split_authors(text: str) -> tuple[tuple[str, ...], bool]:
    """`Colin Raffel et al.` -> (("Colin Raffel",), True); `A and B` -> (("A", "B"), False)."""
    text = clean(text)
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    names = [clean(n) for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text)]
    return tuple(n for n in names if n), et_al


def _outside_between(inline: Inline, start: int, end: int) -> str:
    text = list(inline.text[start:end])
    for link in inline.links:
        for pos in range(max(link.start, start), min(link.end, end)):
            text[pos - start] = " "
    return "".join(text)


def _strip_glued_number(text: str) -> str:
    """`127 A Brief Wellbeing...` / `56Real conversations...`: a list counter glued to a long title."""
    stripped = _GLUED_NUMBER.sub("", text, count=1)
    return stripped if stripped != text and len(stripped.split()) >= 5 else text


def _title(text: str) -> str | None:
    text = clean(text).rstrip(".").strip()
    return text or None


def is_license(text: str, url: str) -> bool:
    return "licen" in text.lower() or "license" in url.lower()


def is_account_page(url: str) -> bool:
    """A GitHub user or organisation page: a person or a lab, not a work."""
    m = re.match(r"^https?://(www\.)?github\.com/([^/?#]+)/?(?:[?#].*)?$", url.strip(), re.I)
    return bool(m)
