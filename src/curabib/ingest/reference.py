"""Full reference strings: one work's authors, title, venue and year, as reading lists write them.

citation.py reads the informal styles of awesome lists (a bold title and a venue hint); this module reads
the formal ones a reading list copies from Google Scholar or a bibliography, where the authors come first:
  `**[12]** Ridley, Ann, Bo Chen, and Carla D. Moreno. "**Title**." Venue. 2013. [[pdf]](u) **(note)** :star:`
  `Ridley, A., & Chen, B. (2020). Title. Venue, 3(1), 1-9.`                                (APA)
  `A. Ridley, B. Chen and C. Moreno. Title. Venue, 2013.`                                   (plain)
A paragraph may hold several such references; `split` cuts it at numbered markers (`[12]`) and at line
breaks that start a new reference. A reference is only accepted when its author part reads as names, so
that a list's informal lines ("BERT **Title**, 2018") keep going to citation.py. Pure: text in, data out.
No well-kept pure-Python reference-string parser exists on PyPI (refextract needs PDF tooling and physics
journal tables; the others are unmaintained), hence this small table of shapes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from curabib.ingest import citation as ct
from curabib.ingest.citation import Citation, Inline, InlineLink

# A numbered reference marker opening a reference: "[12]", "**[12]**", "12." is too common in prose to count.
MARKER = re.compile(r"(?<![\w\]])\[(\d{1,4})\](?![(\[])")
_STARS = re.compile(r":star:|⭐|★")
_ET_AL = re.compile(r",?\s*\bet\.?\s*al\b\.?", re.I)
# Each shape: how the year sits between the authors and the title (APA) or where the title is marked.
_APA = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d\d)[a-z]?\)\s*[.,:]?\s*(?P<rest>.+)$", re.S)
_QUOTED = re.compile(r"[\"“](?P<title>[^\"“”]{4,}?)[\"”]")
_SENTENCE_END = re.compile(r"[.?!](?=\s+\S)")
_NOT_AN_END = {"jr", "sr", "st", "vs", "no", "vol", "pp", "eds", "ed"}  # abbreviations inside a sentence
_NAME_PARTICLES = {
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "du",
    "la",
    "le",
    "del",
    "dos",
    "bin",
    "al",
    "y",
}
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s-]*)+$")


def split(inline: Inline) -> list[tuple[int, Inline]]:
    """The references of one inline run, in order, each with how many line breaks precede it: cut before
    each numbered marker and at a line break whose next line reads as a reference of its own. A run citing
    one work comes back whole."""
    cuts = {m.start() for m in MARKER.finditer(inline.text) if _starts_segment(inline.text, m.start())}
    for pos in inline.breaks:
        line_end = min([b for b in inline.breaks if b > pos] + [len(inline.text)])
        if parse(_slice(inline, pos, line_end)) is not None:
            cuts.add(pos)
    cuts = {_marker_start(inline, c) for c in cuts if 0 < c < len(inline.text)}
    bounds = [0, *sorted(c for c in cuts if c > 0), len(inline.text)]
    pieces = [
        (sum(1 for n in inline.breaks if n <= a + _lead(inline.text[a:b])), _slice(inline, a, b))
        for a, b in itertools.pairwise(bounds)
    ]
    return [(lines, p) for lines, p in pieces if p.text.strip()]


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip(" *"))


def parse(inline: Inline) -> Citation | None:
    """The full reference in `inline`, or None when it is not one (no author part that reads as names)."""
    text = _blank_links(inline)
    note_parts: list[str] = []
    for start, end in inline.strong:  # a bold parenthetical after the title is the curator's remark
        span = text[start:end].strip()
        if re.fullmatch(r"\(.+\)", span, re.S):
            note_parts.append(ct.clean(span[1:-1]))
            text = text[:start] + " " * (end - start) + text[end:]
    stars = len(_STARS.findall(text))
    text = _STARS.sub(lambda m: " " * len(m.group(0)), text)
    if m := re.match(r"^\W*\[\d{1,4}\]\W*", text):  # the marker itself
        text = " " * m.end() + text[m.end() :]
    if stars:
        note_parts.append(f"rated {stars} star{'s' if stars > 1 else ''}")
    citation = _read(text, inline)
    if citation is None:
        return None
    return replace(citation, note="; ".join(p for p in note_parts if p) or None)


def _read(text: str, inline: Inline) -> Citation | None:
    """Authors, then the title (quoted, bold, or the next sentence), then venue and year."""
    year: int | None = None
    apa = _APA.match(text)
    if apa and _names(apa.group("authors")) is None:
        apa = None  # "(2013)" after a venue, not an APA year
    if apa:
        authors_text, year = apa.group("authors"), int(apa.group("year"))
        title_start = apa.start("rest")
    else:
        authors_text, title_start = "", 0
    marked = _marked_title(text, inline, title_start)
    if marked is not None:
        t_start, t_end = marked
        if not apa:
            authors_text = text[:t_start]
        title = text[t_start:t_end]
        after = text[t_end:]
    else:
        rest = text[title_start:]
        sentences = _sentences(rest)
        if not apa:
            if len(sentences) < 2:
                return None
            authors_text, sentences = sentences[0], sentences[1:]
        if not sentences:
            return None
        title, after = sentences[0], " ".join(sentences[1:])
    quoted = marked is not None and text[marked[0] - 1 : marked[0]] in ('"', "“")
    if not apa and not quoted and not re.search(r"[.,]\s*$", authors_text.rstrip(' *"“')):
        return None  # "BERT **Title**": a label before the title, not authors ending in a full stop
    names = _names(authors_text)
    title = ct.clean(title).strip("\"“”'*").rstrip(".,").strip()
    if names is None or not title:
        return None
    authors, et_al = names
    if year is None and (ys := ct.YEAR.findall(after)):
        year = int(ys[-1])
        after = re.sub(rf"\(?\b{year}\b\)?(?!.*\b{year}\b)", " ", after, flags=re.S)
    rest = re.sub(r"\s+([:,;.])", r"\1", ct.clean(after))  # where the year was cut out
    venue = rest.strip(' .,;:*_"“”') or None
    if venue is not None and not re.search(r"\w", venue):
        venue = None
    return Citation(title=title, authors=authors, et_al=et_al, year=year, venue=venue, style="reference")


def _marked_title(text: str, inline: Inline, start: int) -> tuple[int, int] | None:
    """Where a quoted or bold title sits (quotes first: `"**Title**."` has both)."""
    if m := _QUOTED.search(text, start):
        return m.start("title"), m.end("title")
    for s, e in sorted(inline.strong):
        if (
            s >= start
            and re.search(r"[^\W\d_]{3}", text[s:e])
            and not re.fullmatch(r"\W*\[\d+\]\W*", text[s:e])
        ):
            return s, e
    return None


def _sentences(text: str) -> list[str]:
    """`A. Ridley and B. Chen. Title. Venue, 2013.` -> three parts; an initial's full stop ends nothing."""
    parts, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        before = text[pos : m.start()].rsplit(None, 1)
        word = before[-1].strip('*_"“') if before else ""
        if len(word) == 1 or word.lower() in _NOT_AN_END:  # "C." is an initial, "Vol." an abbreviation
            continue
        parts.append(text[pos : m.end()])
        pos = m.end()
    parts.append(text[pos:])
    return [p.strip() for p in parts if re.search(r"\w", p)]


def _names(text: str) -> tuple[tuple[str, ...], bool] | None:
    """Authors as "Given Surname", in order, and whether the list was cut short ("et al."); None when the
    text is not a list of personal names. Understands "Surname, Given, Given Surname, and Given Surname",
    "Surname, G., & Surname, H.", "Surname, Given and Surname, Given", "Surname, Given; Surname, Given" and
    "G. Surname, H. Surname and I. Surname". An affiliation in brackets ("Jan Kautz (NVIDIA)") is no name;
    a list cut short may name a person by surname alone ("Mikolov, et al.")."""
    text = ct.clean(text).strip(' *_"“”')
    text = re.sub(r"\s*\([^()]*\)", "", text)
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,;")
    tokens = re.split(r"(,\s*(?:and\s+|&\s*)?|;\s*|\s+and\s+|\s*&\s*)", text)
    pieces = [_unstop(p) for p in tokens[::2]]
    # Whether a new name starts at each piece for sure: at the start, after "and", "&" or ";".
    opens = [True] + [not sep.strip().startswith(",") for sep in tokens[1::2]]
    kept = [(p, o) for p, o in zip(pieces, opens, strict=True) if p]
    if not kept:
        return None
    if (
        et_al
        and len(kept) >= 3
        and all(len(p.split()) == 1 and (n == 0 or not o) for n, (p, o) in enumerate(kept))
    ):
        names = [p for p, _ in kept]  # "Wu, Schuster, Chen, Le, et al.": surnames, no given names
    else:
        names = _paired(kept)
    if not all(_is_name(name) or (et_al and _is_surname_only(name)) for name in names):
        return None
    return tuple(names), et_al


def _paired(pieces: list[tuple[str, bool]]) -> list[str]:
    """ "Ridley, Ann" / "Chen, B." / "Oord, Aaron van den" -> "Ann Ridley" / "B. Chen" / "Aaron van den Oord":
    a bare surname takes the initials after its comma, and the given names when it opens a name."""
    names: list[str] = []
    opened: list[bool] = []
    paired = False
    for piece, opens in pieces:
        previous_bare = bool(names) and not paired and _is_surname(names[-1])
        if previous_bare and not opens and (_is_initials(piece) or (opened[-1] and _is_given(piece))):
            names[-1] = f"{_dotted(piece)} {names[-1]}"
            paired = True
            continue
        names.append(piece)
        opened.append(opens)
        paired = False
    return names


def _unstop(piece: str) -> str:
    """A name without the full stop after it, unless that stop closes an initial ("Chen, B.")."""
    piece = piece.strip()
    return piece if re.search(r"(?:^|[\s.-])[A-Z]\.$", piece) else piece.rstrip(". ")


def _is_surname(text: str) -> bool:
    """One word, or one after particles ("van der Berg"): a surname waiting for its given names."""
    *particles, _last = text.split()
    return all(p.lower() in _NAME_PARTICLES for p in particles)


def _is_initials(piece: str) -> bool:
    return bool(_INITIALS.match(piece)) and len(piece.replace(".", "").replace(" ", "")) <= 4


def _is_given(piece: str) -> bool:
    """ "Ann", "Geoffrey E.", "Aaron van den" (the particles of the surname written after the given name)."""
    words = piece.split()
    while len(words) > 1 and words[-1].lower() in _NAME_PARTICLES:
        words.pop()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def _is_surname_only(name: str) -> bool:
    """ "Mikolov": a capitalised word, not an acronym ("BERT") or a model name ("GPT2")."""
    word = bool(re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’-])+", name))
    return word and name[:1].isupper() and not name.isupper()


def _is_name(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    return all((w[:1].isupper() and not re.search(r"\d", w)) or w.lower() in _NAME_PARTICLES for w in words)


def _dotted(initials: str) -> str:
    """ "B." stays; "BC" (Vancouver) is not tried: keep what the curator wrote."""
    return ct.clean(initials)


def _starts_segment(text: str, pos: int) -> bool:
    """A marker at the start of the run or after a full stop, a link or a line break opens a reference."""
    before = text[:pos].rstrip(" *_")
    return not before or before[-1] in ".)]*:" or before.endswith(("\n", ":star:"))


def _marker_start(inline: Inline, pos: int) -> int:
    """Move a cut back over the bold marks around a marker ("**[12]**") and over spaces."""
    while pos > 0 and inline.text[pos - 1] in " *":
        pos -= 1
    return pos


def _blank_links(inline: Inline) -> str:
    """The text with each link's text replaced by spaces, so that offsets stay those of `inline`."""
    chars = list(inline.text)
    for link in inline.links:
        for pos in range(link.start, link.end):
            chars[pos] = " "
    return "".join(chars)


def _slice(inline: Inline, start: int, end: int) -> Inline:
    """The part of `inline` between two offsets, with its links, spans and breaks, offsets made relative."""

    def inside(a: int, b: int) -> bool:
        return start <= a and b <= end

    return Inline(
        text=inline.text[start:end],
        links=[
            InlineLink(lk.text, lk.url, lk.start - start, lk.end - start)
            for lk in inline.links
            if inside(lk.start, lk.end)
        ],
        strong=[(a - start, b - start) for a, b in inline.strong if inside(a, b)],
        emphasis=[(a - start, b - start) for a, b in inline.emphasis if inside(a, b)],
        breaks=[b - start for b in inline.breaks if start < b < end],
    )
