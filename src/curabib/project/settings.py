"""`curabib.yaml`: optional project settings, checked like entries (file:line, exit 2)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from curabib.errors import EntryError
from curabib.sources import registered

CONFIG_NAME = "curabib.yaml"
DIALECTS = ("bibtex", "biblatex")


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path
    dialect: str = "bibtex"
    terms: tuple[str, ...] = ()  # extra words whose case BibTeX must keep
    max_authors: int | None = None  # BibTeX: cut longer author lists to this many + "and others"
    prefer: str = "published"  # or "preprint": export arXiv preprints even when a published version is known
    venue: str = "long"  # or "short": "Advances in Neural Information Processing Systems" or "NeurIPS"
    mailto: str | None = None  # the user's address for Crossref's polite pool; never one of ours
    # Source name -> base URL, where curabib.yaml (`<source>_url`) or the environment (`CURABIB_<SOURCE>_URL`)
    # sets one: a mirror, a proxy, the test server. The others use their source's `default_url`.
    endpoints: Mapping[str, str] = field(default_factory=dict)

    @property
    def entries_dir(self) -> Path:
        return self.root / "entries"

    @property
    def bib_dir(self) -> Path:
        return self.root / "bib"


_FIELDS = {"dialect", "terms", "max_authors", "prefer", "venue", "mailto"}


def _urls() -> dict[str, str]:
    """The registered sources' URL settings: `arxiv_url` -> `arxiv`, ..."""
    return {source.setting: source.name for source in registered()}


VENUE_STYLES = ("long", "short")
PREFER = ("published", "preprint")


def load_settings(root: Path) -> Settings:
    path = root / CONFIG_NAME
    if not path.exists():
        return _with_environment(Settings(root=root))
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark else 1
        raise EntryError(path, line, f"YAML syntax error: {err.problem}") from err
    if node is None:
        return _with_environment(Settings(root=root))
    if not isinstance(node, yaml.MappingNode):
        raise EntryError(path, node.start_mark.line + 1, "expected a mapping of settings")
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.value not in _FIELDS and key_node.value not in _urls():
            known = ", ".join(sorted({*_FIELDS, *_urls()}))
            raise EntryError(path, line, f"unknown setting '{key_node.value}'; known: {known}")
        values[key_node.value] = (yaml.safe_load(yaml.serialize(value_node)), line)
    return _with_environment(_settings(root, path, values))


def _with_environment(settings: Settings) -> Settings:
    """CURABIB_MAILTO and each source's CURABIB_<SOURCE>_URL override curabib.yaml (tests, mirrors)."""
    endpoints = dict(settings.endpoints)
    endpoints.update(
        {s.name: os.environ[s.environment] for s in registered() if os.environ.get(s.environment)}
    )
    return replace(settings, mailto=os.environ.get("CURABIB_MAILTO") or settings.mailto, endpoints=endpoints)


def _settings(root: Path, path: Path, values: dict[str, object]) -> Settings:
    settings = Settings(root=root)
    for key, pair in values.items():
        assert isinstance(pair, tuple)
        value, line = pair
        if key == "dialect" and value not in DIALECTS:
            raise EntryError(path, line, f"dialect must be one of {', '.join(DIALECTS)}")
        if key == "terms" and not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
            raise EntryError(path, line, "terms must be a list of words, e.g. [LLaMA, LoRA]")
        if key == "max_authors" and not (isinstance(value, int) and value > 0):
            raise EntryError(path, line, "max_authors must be a positive whole number")
        if key == "venue" and value not in VENUE_STYLES:
            raise EntryError(path, line, f"venue must be one of {', '.join(VENUE_STYLES)}")
        if key == "prefer" and value not in PREFER:
            raise EntryError(path, line, f"prefer must be one of {', '.join(PREFER)}")
        if key == "mailto" and not (isinstance(value, str) and "@" in value):
            raise EntryError(path, line, "mailto must be your e-mail address, e.g. you@example.org")
        if key in _urls() and not (isinstance(value, str) and value.startswith("http")):
            raise EntryError(path, line, f"{key} must be an http(s) base URL")
    dialect = values.get("dialect")
    terms = values.get("terms")
    max_authors = values.get("max_authors")

    def text(name: str, default: str | None) -> str | None:
        pair = values.get(name)
        return str(pair[0]) if isinstance(pair, tuple) else default

    return Settings(
        root=root,
        dialect=str(dialect[0]) if isinstance(dialect, tuple) else settings.dialect,
        terms=tuple(terms[0]) if isinstance(terms, tuple) else (),
        max_authors=int(max_authors[0]) if isinstance(max_authors, tuple) else None,
        prefer=text("prefer", settings.prefer) or settings.prefer,
        venue=text("venue", settings.venue) or settings.venue,
        mailto=text("mailto", None),
        endpoints={name: url for key, name in _urls().items() if (url := text(key, None))},
    )
