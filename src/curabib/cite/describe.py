"""How `find` and `show` describe a work to a person: a one-line citation and the places lists name it.
Pure."""

from __future__ import annotations

from curabib.cite.catalogue import Catalogue
from curabib.data import venues
from curabib.model import Work


def one_line(work: Work) -> str:
    """`Vaswani et al. (2017). Attention Is All You Need. NeurIPS.`: authors, year, title, venue; without
    authors, `Attention Is All You Need. NeurIPS 2017.`"""
    people = [p.family for p in work.authors]
    if not people:
        who = ""
    elif len(people) == 1:
        who = people[0] + (" et al." if work.et_al else "")
    elif len(people) == 2 and not work.et_al:
        who = f"{people[0]} and {people[1]}"
    else:
        who = f"{people[0]} et al."
    title = (work.title or work.label or work.key).rstrip(".")
    container = work.published.container if work.published is not None else work.venue
    known = venues.find(container)
    venue = known.short if known is not None else container
    if who:  # author-year, as the reference lists of most styles read
        when = f" ({work.year})" if work.year else ""
        return f"{who}{when}. {title}." + (f" {venue}." if venue else "")
    where = " ".join(str(part) for part in (venue, work.year) if part)
    return f"{title}." + (f" {where}." if where else "")


def places(catalogue: Catalogue, key: str) -> str:
    """Where the lists name a work: `list / Section / Subsection`, each once."""
    found = dict.fromkeys(
        " / ".join((place.list_name, *place.section)) for place in catalogue.places.get(key, ())
    )
    return "; ".join(found) or "(in no list)"


def item_lines(catalogue: Catalogue, key: str, entries: str) -> list[str]:
    """Each curated item behind a work: `entries/<list>.yaml:line (Markdown:line)`, its section and key."""
    lines = []
    for place in catalogue.places.get(key, ()):
        item = place.item
        where = f"{entries}/{place.list_name}.yaml" + (f":{item.line}" if item.line else "")
        if place.source and item.source_line:
            where += f" ({place.source}:{item.source_line})"
        section = " / ".join(place.section) or "(top)"
        lines.append(f"  {where}  {section}  [{item.key}] {item.display_title!r}")
    return lines
