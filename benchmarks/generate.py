"""Realistic synthetic curated lists for the benchmarks: N entries in several lists and sections.

Each work has 5-10 authors (accents, particles, suffixes), an arXiv id or a DOI (some both), a year and a
title built from an ML vocabulary. About 2% of the entries repeat a work in another section or list with
varied formatting (re-cased and re-punctuated title, a versioned arXiv URL, a DOI given as a URL), and a
few planted near-misses (a title one word apart, "v2", another year) must stay separate. The ground truth
(which entries are one work) is returned beside the lists. Deterministic for a given seed.

    python benchmarks/generate.py ENTRIES FOLDER [--lists 4] [--seed 0]

writes them as a project, FOLDER/entries/*.yaml, for `curabib -C FOLDER build`; `benchmarks/run.py`
imports `generate`.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path

from curabib.ids import Identifier
from curabib.model import CuratedList, Item, Link, Section

GIVEN = [
    "Ana",
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Chloé",
    "Mei",
    "Hiroshi",
    "Aarav",
    "Fatima",
    "Noah",
    "Émilie",
]
FAMILY = [
    "Müller",
    "García",
    "van der Berg",
    "de la Cruz",
    "O'Neil",
    "Nguyễn",
    "Kowalski",
    "Øster",
    "von Neumann",
    "Da Silva",
    "Li",
    "Smith-Jones",
    "Dubois",
    "Ivanova",
    "le Roux",
    "Björk",
]
SUFFIX = ["", "", "", "", "", "Jr.", "III"]
WORDS = [
    "language",
    "models",
    "scaling",
    "transformer",
    "attention",
    "retrieval",
    "alignment",
    "reasoning",
    "efficient",
    "sparse",
    "mixture",
    "experts",
    "instruction",
    "tuning",
    "benchmark",
    "evaluation",
    "multilingual",
    "vision",
    "diffusion",
    "graph",
    "reinforcement",
    "feedback",
    "contrastive",
    "robust",
    "calibration",
    "compression",
    "quantization",
    "distillation",
    "prompting",
    "agents",
    "memory",
]
ACRONYMS = ["LLM", "GPT-4", "LLaMA", "BERT", "LoRA", "RLHF", "T5", "CLIP"]


@dataclass
class Corpus:
    lists: list[CuratedList]
    duplicate_pairs: list[tuple[str, str]] = field(default_factory=list)  # ground truth: same work
    near_miss_pairs: list[tuple[str, str]] = field(default_factory=list)  # look alike, different works


def _title(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 10))]
    words.insert(rng.randint(0, 3), rng.choice(ACRONYMS))
    head = " ".join(words).capitalize()
    return f"{head}: {rng.choice(WORDS)} {rng.choice(WORDS)} number {n}"


def _authors(rng: random.Random) -> tuple[str, ...]:
    return tuple(
        f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {rng.choice(SUFFIX)}".strip()
        for _ in range(rng.randint(5, 10))
    )


def _work(rng: random.Random, n: int) -> Item:
    year = rng.randint(2015, 2025)
    yymm = f"{year % 100:02d}{rng.randint(1, 12):02d}"
    arxiv = f"{yymm}.{n % 100000:05d}"
    title = _title(rng, n)
    ids: list[Identifier] = []
    links: list[Link] = []
    if rng.random() < 0.7:
        ids.append(Identifier("arxiv", arxiv))
        links.append(Link("paper", f"https://arxiv.org/abs/{arxiv}"))
    if not ids or rng.random() < 0.3:
        doi = f"10.{rng.randint(1000, 9999)}/bench.{n}"
        ids.append(Identifier("doi", doi))
        links.append(Link("paper", f"https://doi.org/{doi}"))
    return Item(
        kind="paper",
        title=title,
        authors=_authors(rng),
        year=year,
        ids=tuple(ids),
        links=tuple(links),
        key=f"w{n}",
    )


def _variant(rng: random.Random, item: Item, key: str) -> Item:
    """The same work as another list writes it."""
    title = str(item.title)
    title = rng.choice([title.upper(), title.lower(), title.replace(":", " -"), title + "."])
    links = tuple(Link(link.kind, _other_form(link.url)) for link in item.links)
    return Item(
        kind="paper",
        title=title,
        authors=item.authors[:1],
        et_al=True,
        year=item.year,
        ids=item.ids,
        links=links,
        key=key,
    )


def _other_form(url: str) -> str:
    """The same address as another list writes it: a versioned arXiv PDF, another DOI resolver."""
    if "arxiv" in url:
        return url.replace("/abs/", "/pdf/") + "v2.pdf"
    return url.replace("https://doi.org/", "https://dx.doi.org/")


def _near_miss(rng: random.Random, item: Item, n: int) -> Item:
    """Another work whose title is one word away (or a v2), in another year, with its own identifier."""
    title = str(item.title).replace("number", rng.choice(["v2 number", "revisited number", "part"]))
    doi = f"10.{rng.randint(1000, 9999)}/near.{n}"
    return Item(
        kind="paper",
        title=title,
        authors=_authors(rng),
        year=(item.year or 2020) + 3,
        ids=(Identifier("doi", doi),),
        links=(Link("paper", f"https://doi.org/{doi}"),),
        key=f"n{n}",
    )


def generate(entries: int, lists: int = 4, sections: int = 12, seed: int = 0) -> Corpus:
    rng = random.Random(seed)
    corpus = Corpus([CuratedList(f"bench-{i}") for i in range(lists)])
    for curated in corpus.lists:
        curated.sections = [
            Section(f"Topic {j}", [], [Section(f"Topic {j}.{k}") for k in range(2)]) for j in range(sections)
        ]
    placed: list[Item] = []

    def place(item: Item) -> None:
        curated = rng.choice(corpus.lists)
        section = rng.choice(curated.sections)
        (rng.choice(section.sections) if rng.random() < 0.5 else section).items.append(item)
        placed.append(item)

    n = 0
    while n < entries:
        roll = rng.random()
        if placed and roll < 0.02:
            original = rng.choice(placed[: max(1, len(placed) // 2)])
            copy = _variant(rng, original, f"d{n}")
            place(copy)
            corpus.duplicate_pairs.append((str(original.key), str(copy.key)))
        elif placed and roll < 0.025:
            original = rng.choice(placed)
            miss = _near_miss(rng, original, n)
            place(miss)
            corpus.near_miss_pairs.append((str(original.key), str(miss.key)))
        else:
            place(_work(rng, n))
        n += 1
    return corpus


def main(argv: list[str] | None = None) -> None:
    """Without arguments: the usage, exit 2 (argparse), rather than silently doing nothing."""
    parser = argparse.ArgumentParser(description="Write synthetic curated lists as FOLDER/entries/*.yaml.")
    parser.add_argument("entries", type=int, help="how many entries, over all lists")
    parser.add_argument("folder", type=Path, help="the project folder to write entries/ into")
    parser.add_argument("--lists", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from curabib.project import writing  # here: importing `generate` (run.py) needs no project code

    corpus = generate(args.entries, lists=args.lists, seed=args.seed)
    for curated in corpus.lists:
        writing.save(curated, args.folder / "entries")
    print(f"Wrote {len(corpus.lists)} lists, {args.entries} entries, to {args.folder / 'entries'}")


if __name__ == "__main__":
    main()
