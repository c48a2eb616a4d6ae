"""The whole site, as files in memory: curated lists + fetched records -> pages, assets and bib/ files.

The works are merged exactly as `curabib build` merges them (`pipeline.merged_lists`, as `build` does,
with each work kept beside its rendered texts, since the pages need the work itself), and the site's
`bib/` files are made by the same layout (`Bibliographies.files`) from that one merge. So the site's
files are what `build` would write with the same options, whether or not the project's bib/ is up to
date, and the pages never link to a file that says something else. Pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from curabib import pipeline
from curabib.export import ExportOptions, csl
from curabib.export.layout import META_DIR, OutputGroup
from curabib.model import CuratedList, Diagnostic, Item, Record, Section
from curabib.pipeline import merged_lists
from curabib.site import pages
from curabib.site.reference import MapItems, References
from curabib.site.works import Entry, entry

ASSETS = ("site.css", "site.js")
BIB = "bib"  # the site's folder of bibliography files
CITE = "cite"  # the site's folder of cite files: the texts each list page's Cite dialog copies


@dataclass(frozen=True)
class Site:
    files: list[tuple[str, bytes]]  # (path under the site folder, its bytes), pages first
    lists: int
    works: int
    diagnostics: Sequence[Diagnostic] = field(default=())
    references: Mapping[str, str] = field(default_factory=dict)  # formatted references by digest

    @property
    def pages(self) -> int:
        return sum(1 for path, _ in self.files if path.endswith(".html"))


def site_files(
    lists: Sequence[CuratedList],
    records: Mapping[str, Record],
    options: ExportOptions,
    style: bytes,
    assets: Mapping[str, bytes],
    prefer: str = "published",
    venue_style: str = "long",
    build_options: Mapping[str, str] | None = None,
    entries: str = "entries",
    title: str = "Bibliographies",
    known_references: Mapping[str, str] | None = None,
    map_references: MapItems = map,
) -> Site:
    """The site of `lists`: `style` is the CSL style's XML, `assets` the bytes of `ASSETS`, and
    `build_options` the options recorded in the bib/ index, as `build` records them, `known_references`
    the formatted references of an earlier run (`Site.references`), `map_references` how the others are
    rendered (`reference.MapItems`). `KeyCollisions` when a key names two works, as `build` refuses them."""

    keyed, merged, diagnostics = merged_lists(lists, records, prefer, venue_style, entries=entries)
    bibliographies = pipeline.bibliographies(keyed, merged, diagnostics, options)
    groups = bibliographies.groups
    behind = _items_behind(keyed, merged.canonical)
    references = References(style, known_references, map_references)
    works = sorted(merged.works.items())
    texts = references.render_all([csl.item(work) for _, work in works])
    shown = {
        key: entry(work, behind.get(key, ()), text, options)
        for (key, work), text in zip(works, texts, strict=True)
    }
    files = _pages(keyed, groups, merged.canonical, shown, title)
    files += [(name, assets[name]) for name in ASSETS]
    files += [
        (f"{BIB}/{path}", b"".join(pieces))
        for path, pieces in bibliographies.files(build_options)
        if not path.startswith(META_DIR + "/")
    ]
    return Site(files, len(keyed), len(shown), bibliographies.diagnostics, references.rendered)


def _items_behind(lists: Sequence[CuratedList], canonical: Mapping[str, str]) -> dict[str, list[Item]]:
    """The curated items behind each work (by the key it keeps), in curated order: their links."""
    behind: dict[str, list[Item]] = {}
    for lst in lists:
        for item in lst.all_items():
            behind.setdefault(canonical.get(str(item.key), str(item.key)), []).append(item)
    return behind


def _pages(
    lists: Sequence[CuratedList],
    groups: Sequence[OutputGroup],
    canonical: Mapping[str, str],
    shown: Mapping[str, Entry],
    title: str,
) -> list[tuple[str, bytes]]:
    by_stem = {group.stem: group for group in groups}
    summaries, files, cite_files = [], [], []
    for lst in sorted(lists, key=lambda x: x.name):
        group = by_stem.get(lst.name)
        if group is None:  # a list without any work has no file, and no page
            continue
        list_files = _files(lst.name, rdf=True)
        sections = iter(g for g in groups if g.list_name == lst.name and g.section)
        anchors: dict[str, int] = {}
        blocks = []
        if lst.items:
            blocks.append(pages.Block("s-top", None, None, _shown(lst.items, canonical, anchors), ()))
        blocks += _blocks(lst.name, lst.sections, sections, canonical, anchors)
        heading = group.title or lst.name  # its title, told apart from another list's (`layout.plan`)
        cite = f"{CITE}/{lst.name}/"
        page = pages.list_page(heading, list_files, blocks, shown, len(group.keys), cite)
        files.append((f"{lst.name}.html", page.encode("utf-8")))
        keys = pages.keys_in_order(blocks)
        for n, start in enumerate(range(0, len(keys), pages.CITE_CHUNK)):
            chunk = pages.cite_chunk(n, keys[start : start + pages.CITE_CHUNK], shown)
            cite_files.append((f"{cite}{n}.js", chunk.encode("utf-8")))
        summaries.append(pages.ListSummary(lst.name, heading, len(group.keys), list_files))
    everything = next(group for group in groups if group.list_name is None)
    index = pages.index_page(title, summaries, _files("all", rdf=True), len(everything.keys))
    return [("index.html", index.encode("utf-8")), *files, *cite_files]


def _files(stem: str, rdf: bool = False) -> pages.Files:
    """A list's files (with its Zotero RDF), or a section's (with its list's RDF: Zotero imports a list
    whole, its sections as collections)."""
    if rdf:
        return pages.Files(f"{BIB}/{stem}.bib", f"{BIB}/{stem}.json", f"{BIB}/{stem}.rdf")
    list_rdf = f"{BIB}/{stem.split('/', 1)[0]}.rdf"
    return pages.Files(f"{BIB}/{stem}.bib", f"{BIB}/{stem}.json", list_rdf, whole_list=True)


def _blocks(
    list_name: str,
    sections: Sequence[Section],
    groups: Iterator[OutputGroup],
    canonical: Mapping[str, str],
    anchors: dict[str, int],
) -> list[pages.Block]:
    """The page's sections, as the list nests them. `groups` are the list's section groups in `plan`'s
    order (parents before children, as here), one per section that holds any work."""
    blocks = []
    for section in sections:
        if next(section.all_items(), None) is None:  # no work: no file, and nothing to show
            continue
        group = next(groups)
        shown = _shown(section.items, canonical, anchors)
        children = _blocks(list_name, section.sections, groups, canonical, anchors)
        anchor = "s-" + group.stem.removeprefix(list_name + "/").replace("/", "_")
        blocks.append(pages.Block(anchor, section.heading, _files(group.stem), shown, tuple(children)))
    return blocks


def _shown(
    items: Sequence[Item], canonical: Mapping[str, str], anchors: dict[str, int]
) -> tuple[pages.Shown, ...]:
    """A section's own works, each once (with the first note the section gives it), each with an id
    unique in the page."""
    notes: dict[str, str | None] = {}
    for item in items:
        key = canonical.get(str(item.key), str(item.key))
        if key not in notes or (notes[key] is None and item.note):
            notes[key] = item.note
    result = []
    for key, note in notes.items():
        anchors[key] = anchors.get(key, 0) + 1
        n = anchors[key]
        result.append(pages.Shown(key, note, f"w-{key}" if n == 1 else f"w{n}-{key}"))
    return tuple(result)
