"""Citation keys in the Google Scholar style the lists use: `yang2023harnessing`.

Keys are pinned in `entries/` once assigned and never change by themselves: later metadata must not rename
them. Items without authors get a provisional key from their label or title; `curabib rekey` re-derives
those once authors are known and keeps the old key as an alias.

Each stage here (`assign_keys` on import, `pin_missing_keys` on build, `rekey`) returns new lists and
leaves the ones it was given as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from anyascii import anyascii

from curabib.ids import PAPER_KINDS
from curabib.matching import names_agree
from curabib.model import CuratedList, Diagnostic, Item, Person
from curabib.names import split_name
from curabib.places import describe, item_finding, named_sources

if TYPE_CHECKING:  # only the type: merging itself needs no key module
    from curabib.model import Work
    from curabib.pipeline import Bibliography

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "all",
        "you",
        "not",
        "and",
        "or",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "via",
        "into",
        "onto",
        "over",
        "under",
        "is",
        "are",
        "was",
        "were",
        "be",
        "as",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "how",
        "what",
        "why",
        "when",
        "which",
        "who",
        "do",
        "does",
        "can",
        "we",
        "our",
        "your",
        "their",
        "towards",
        "toward",
        "using",
        "use",
    ]
)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+/-]*$")


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def significant_words(title: str) -> list[str]:
    """The title's words without stop words, split at punctuation too ("C-Eval" -> "c", "eval"): what
    two titles must share word for word to name one work. `key_words` keeps "ceval" whole for a key."""
    words = [ascii_word(w) for w in re.split(r"[\s\-–—:/,.;!?()\[\]\"']+", title)]
    return [w for w in words if w and w not in STOP_WORDS]


def key_words(title: str) -> list[str]:
    """Significant title words as Google Scholar keys use them: "C-Eval:" -> "ceval"."""
    words = [ascii_word(w)[:20] for w in re.split(r"[\s/]+", title)]
    return [w for w in words if w and w not in STOP_WORDS]


def base_key(item: Item) -> tuple[str, bool]:
    """The key an item would get now, and whether it is provisional (no author known yet)."""
    year = str(item.year) if item.year else ""
    words = key_words(item.title or item.label or "")
    if item.authors:
        family = _key_family(split_name(item.authors[0]).family)
        return f"{family}{year}{words[0] if words else ''}", False
    stem = (ascii_word(item.label or "") or (words[0] if words else "") or "untitled")[:20]
    rest = [w for w in key_words(item.title or "") if w != stem and w not in stem]
    return f"{stem}{year}{rest[0] if rest else ''}", True


def _key_family(family: str) -> str:
    """ "van der Maaten" -> "maaten": particles are left out of keys, as Better BibTeX does."""
    words = [w for w in family.split() if not w.islower()] or family.split()
    return ascii_word("".join(words)) or "anon"


def unique_key(base: str, taken: set[str]) -> str:
    """`base`, then `basea`, `baseb`, ... `basez`, `baseaa`: deterministic suffixes on collision."""
    if base not in taken:
        return base
    for suffix in _suffixes():
        if base + suffix not in taken:
            return base + suffix
    raise AssertionError("unreachable: the suffixes are endless")


def _suffixes() -> Iterator[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    yield from letters
    length = 2
    while True:
        for n in range(26**length):
            chars = []
            for _ in range(length):
                n, r = divmod(n, 26)
                chars.append(letters[r])
            yield "".join(reversed(chars))
        length += 1


def titles_agree(a: Item, b: Item) -> bool:
    """Whether two items that share an identifier also read as the same work.

    A link pointing at the wrong paper is common in curated lists; such items keep their own keys.
    Label-only items ("GPT-3") agree with any title: there is nothing to contradict.
    """
    if not (a.title and b.title):
        return True
    names_a = [n for n in (a.title, a.label) if n]
    names_b = [n for n in (b.title, b.label) if n]
    return any(names_agree(x, y) for x in names_a for y in names_b)


@dataclass(slots=True)
class _Known:
    key: str
    provisional: bool
    item: Item


def _id_keys(item: Item) -> list[str]:
    """The identifiers that say which work an item IS: a paper's code repository does not; for a work
    with no identifier at all (a blog post, a page) its address is its identity."""
    keys = [
        f"{i.kind}:{i.value}"
        for i in item.ids
        if not i.derived and (i.kind in PAPER_KINDS or item.kind != "paper")
    ]
    if not keys and not item.ids:
        keys = [f"url:{_normal_url(link.url)}" for link in item.links[:1] if "://" in link.url]
    return keys


def _normal_url(url: str) -> str:
    url = re.sub(r"#.*$", "", url.strip())
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.I)
    host, _, path = url.partition("/")
    return f"{host.lower()}/{path}".rstrip("/")


def _fingerprint(item: Item) -> tuple[str, ...]:
    return (item.kind, item.title or "", item.label or "", *(link.url for link in item.links))


def _title_key(item: Item) -> str | None:
    """Exact evidence only: the same title word for word (case and punctuation aside) and year."""
    words = significant_words(item.title or "")
    if len(words) < 3:
        return None
    return " ".join(words) + f"|{item.year or ''}"


class _KeyIndex:
    """The keys already given, findable by identifier and by exact title."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.by_id: dict[str, list[_Known]] = {}
        self.by_title: dict[str, _Known] = {}
        self.previous: dict[tuple[str, ...], list[_Known]] = {}

    def remember_previous(self, item: Item) -> None:
        """An item of an earlier import of the same list: found again by what the curator wrote."""
        assert item.key is not None
        self.previous.setdefault(_fingerprint(item), []).append(_Known(item.key, item.key_provisional, item))
        self.remember(item)

    def remember(self, item: Item) -> None:
        assert item.key is not None
        known = _Known(item.key, item.key_provisional, item)
        self.taken.add(item.key)
        self.taken.update(item.aliases)
        for ident in _id_keys(item):
            self.by_id.setdefault(ident, []).append(known)
        title_key = _title_key(item)
        if title_key is not None:
            self.by_title.setdefault(title_key, known)

    def find_previous(self, item: Item) -> _Known | None:
        """The same item in an earlier import of this list: same kind, title, label and links."""
        if same := self.previous.get(_fingerprint(item)):
            return same.pop(0)  # one to one: a list may name the same thing twice, on purpose
        return None

    def find(self, item: Item) -> _Known | None:
        for ident in _id_keys(item):
            for known in self.by_id.get(ident, ()):
                if titles_agree(item, known.item):
                    return known
        title_key = _title_key(item)
        by_title = self.by_title.get(title_key) if title_key is not None else None
        if by_title is None:
            return None
        # Same title, but the same kind of identifier with another value means another work.
        theirs = dict(i.split(":", 1) for i in _id_keys(by_title.item))
        ours = (i.split(":", 1) for i in _id_keys(item))
        return by_title if all(theirs.get(kind, value) == value for kind, value in ours) else None

    def conflicts(self, list_name: str, item: Item) -> list[Diagnostic]:
        return [
            _conflict(list_name, item, known, ident)
            for ident in _id_keys(item)
            for known in self.by_id.get(ident, ())
            if not titles_agree(item, known.item)
        ]


def assign_keys(
    curated: CuratedList, others: Iterable[Item], previous: CuratedList | None = None
) -> tuple[CuratedList, list[Diagnostic]]:
    """`curated` with a key for every item: reused from a previous import of the same list or from the
    same work in another list, else a new unique one; and the identifier conflicts met on the way."""
    index = _KeyIndex()
    # A previous import of the same list comes first so that re-importing never renames a key.
    for item in previous.all_items() if previous else ():
        if item.key:
            index.remember_previous(item)
    for item in others:
        if item.key:
            index.remember(item)
    diagnostics: list[Diagnostic] = []

    def keyed(item: Item) -> Item:
        previous_item = index.find_previous(item)
        if previous_item is not None:
            # Hand corrections survive a re-import: identifiers fixed in entries/ and the note saying why
            # (the Markdown's note, such as a table's "大小: 7/13B", where the entry has none).
            item = replace(item, ids=previous_item.item.ids, note=previous_item.item.note or item.note)
        match = previous_item or index.find(item)
        if match is not None:
            item = replace(item, key=match.key, key_provisional=match.provisional, aliases=match.item.aliases)
        else:
            diagnostics.extend(index.conflicts(curated.name, item))
            base, provisional = base_key(item)
            item = replace(item, key=unique_key(base, index.taken), key_provisional=provisional)
        index.remember(item)
        return item

    return curated.map_items(keyed), diagnostics


def pin_missing_keys(lists: Sequence[CuratedList]) -> tuple[list[CuratedList], list[Diagnostic]]:
    """The lists with a deterministic key for each item added by hand without one (for this build; `curabib
    pin-keys` stores them), and a warning for each. A list where every item has a key comes back as is."""
    taken = _taken_keys(lists)
    diagnostics: list[Diagnostic] = []

    def pinned(lst: CuratedList) -> CuratedList:
        def keyed(item: Item) -> Item:
            if item.key is not None:
                return item
            base, provisional = base_key(item)
            key = unique_key(base, taken)
            taken.add(key)
            diagnostics.append(
                Diagnostic(
                    "warning",
                    "unpinned-key",
                    f"no key: using '{key}' for this build; run `curabib pin-keys` to store it",
                    file=lst.file,
                    line=item.line,
                )
            )
            return replace(item, key=key, key_provisional=provisional)

        return lst.map_items(keyed)

    return [pinned(lst) if any(i.key is None for i in lst.all_items()) else lst for lst in lists], diagnostics


def rekey(
    lists: Sequence[CuratedList],
    bibliography: Bibliography[Work],
    protected: frozenset[str] = frozenset(),
) -> tuple[list[CuratedList], dict[str, str], tuple[str, ...]]:
    """The lists with each provisional key re-derived, once its work's authors are known (curated or
    fetched: `bibliography` is the lists' merged works); the old key stays on as an alias, so LaTeX sources
    citing it keep compiling. Also every rename, old key -> new, and the provisional keys left alone
    because they are `protected` (keys a build already exported: a paper may cite them).

    Only a key its work keeps is re-derived: a key merged into another work's is already an alias of it,
    and renaming it would only make the merge keep the new one instead. Every item has a key
    (`pin_missing_keys`)."""
    taken = _taken_keys(lists)
    renames: dict[str, str] = {}
    kept: set[str] = set()

    def rekeyed(item: Item) -> Item:
        old = str(item.key)
        work = bibliography.works.get(bibliography.canonical.get(old, ""))
        if not (item.key_provisional and work is not None and work.authors and work.key == old):
            return item
        if old in protected:
            kept.add(old)
            return item
        if old not in renames:
            known = Item(item.kind, title=work.title, authors=(_full_name(work.authors[0]),), year=work.year)
            renames[old] = unique_key(base_key(known)[0], taken)
            taken.add(renames[old])
        aliases = tuple(sorted({*item.aliases, old}))
        return replace(item, key=renames[old], key_provisional=False, aliases=aliases)

    return [lst.map_items(rekeyed) for lst in lists], renames, tuple(sorted(kept))


def _taken_keys(lists: Sequence[CuratedList]) -> set[str]:
    return {key for lst in lists for item in lst.all_items() for key in (item.key, *item.aliases) if key}


def _full_name(person: Person) -> str:
    """A merged work's author as a curator would write it, for `base_key` to split again."""
    return person.family if person.literal or not person.given else f"{person.family}, {person.given}"


def _conflict(list_name: str, item: Item, known: _Known, ident: str) -> Diagnostic:
    return Diagnostic(
        "warning",
        "id-title-conflict",
        f"{ident} is also linked from '{known.item.display_title}' ({known.key}) whose title differs; "
        "one of the links probably points at the wrong work, so they keep separate keys",
        subject=f"{list_name}: '{item.display_title}'",
    )


def key_collisions_in(
    lists: Sequence[CuratedList], entries: str = "entries", present: Mapping[str, str] | None = None
) -> list[Diagnostic]:
    """One key on items whose titles clearly differ: two works, of which every bibliography would keep
    one. `build` refuses these (the same work listed twice under its key is normal and builds); `check`
    reports them. Each names both items' places (`places.py`)."""
    by_key: dict[str, list[Item]] = {}
    for lst in lists:
        for item in lst.all_items():
            if item.key is not None:
                by_key.setdefault(item.key, []).append(item)
    sources = named_sources(lists, present)
    found = []
    # Only keys on several items can collide: a few in a hundred, sorted alone.
    for key, items in sorted((key, items) for key, items in by_key.items() if len(items) > 1):
        first = items[0]
        for item in items[1:]:
            if not titles_agree(first, item):
                where = describe(entries, sources, first)
                message = f"key {key} also names {first.display_title!r} ({where})"
                found.append(item_finding(entries, present or {}, item, "error", "key-collision", message))
    return found
