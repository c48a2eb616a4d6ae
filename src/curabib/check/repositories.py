"""What GitHub said of the repositories a list cites (`sources/github.py`): a repository that asks to be
cited as its paper, one that moved, and a citation file or README that could not be used. Pure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from curabib.check.places import at_item
from curabib.model import FOUND, Diagnostic, Item, Record

if TYPE_CHECKING:
    from curabib.check.checks import Checked


def _repository(checked: Checked, item: Item) -> tuple[str, Record] | None:
    """The item's GitHub repository and its record, when GitHub was asked and answered."""
    github = item.identifier("github")
    if github is None or github.derived:
        return None
    record = checked.records.get(f"github|github:{github.value}")
    return (github.value, record) if record is not None and record.status == FOUND else None


def repositories(checked: Checked) -> Iterator[Diagnostic]:
    """`cited-as-paper` (info): the repository's CITATION.cff asks to be cited as a paper, and the item is
    exported as that paper. `repository-moved` (warning): GitHub redirected to another repository; the
    link should say where it is now. `repository-citation-unused` (info): a CITATION.cff or README BibTeX
    was found but could not be used, and why."""
    for lst in checked.lists:
        for item in lst.all_items():
            found = _repository(checked, item)
            if found is None:
                continue
            name, record = found
            fields = record.fields
            cited = fields.get("citation") or {}
            if str(fields.get("cited_from", "")).endswith("preferred-citation"):
                yield at_item(
                    checked,
                    item,
                    "info",
                    "cited-as-paper",
                    f"{name}: its CITATION.cff asks to be cited as {cited.get('title')!r} "
                    f"({cited.get('type', 'a paper')}, {cited.get('year', 'no year')}), so it is exported as "
                    "that work; pin or edit the entry to cite the software itself",
                )
            repository = fields.get("repository") or {}
            moved_to = str(repository.get("full_name") or "")
            if repository.get("renamed_from") and moved_to:
                yield at_item(
                    checked,
                    item,
                    "warning",
                    "repository-moved",
                    f"{name}: GitHub redirects it to {moved_to}; link https://github.com/{moved_to}",
                )
            for problem in fields.get("problems") or ():
                yield at_item(checked, item, "info", "repository-citation-unused", f"{name}: {problem}")
