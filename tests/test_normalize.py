"""Normalization: names, titles, venues, pages, URLs; applying it twice changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curabib.ids import Identifier
from curabib.merge.normalize import normalize, pages, title, url, venue
from curabib.model import Person, Published, Work
from curabib.names import split_name


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Colin Raffel", Person("Raffel", "Colin")),
        ("Laurens van der Maaten", Person("van der Maaten", "Laurens")),
        ("Ludwig van Beethoven", Person("van Beethoven", "Ludwig")),
        ("Jean-Baptiste Alayrac", Person("Alayrac", "Jean-Baptiste")),
        ("Martin Luther King Jr.", Person("King", "Martin Luther", suffix="Jr.")),
        ("John Smith III", Person("Smith", "John", suffix="III")),
        ("King, Jr., Martin Luther", Person("King", "Martin Luther", suffix="Jr.")),
        ("Aidan N. Gomez", Person("Gomez", "Aidan N.")),
        ("Leonardo da Vinci", Person("da Vinci", "Leonardo")),
        ("Hugo de Garis", Person("de Garis", "Hugo")),
        ("BigScience Workshop", Person("BigScience Workshop", literal=True)),
        ("OpenCompass Contributors", Person("OpenCompass Contributors", literal=True)),  # its README BibTeX
        ("OpenAI", Person("OpenAI", literal=True)),
        ("张三", Person("张", "三")),
        ("欧阳修", Person("欧阳", "修")),
        ("Aakanksha Chowdhery", Person("Chowdhery", "Aakanksha")),
    ],
)
def test_names(name: str, person: Person) -> None:
    assert split_name(name) == person


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Augmenting large language models with chemistry tools.",
            "Augmenting large language models with chemistry tools",
        ),
        ("Synthesis of <i>Escherichia coli</i> in H<sub>2</sub>O", "Synthesis of Escherichia coli in H2O"),
        ("<jats:title>Deep   learning</jats:title>\n for <scp>NLP</scp>", "Deep learning for NLP"),
        ("Bounds for <mml:math><mml:mi>x</mml:mi></mml:math> et al.", "Bounds for x et al."),
        ("Cafe\u0301 &amp; bar...", "Café & bar..."),
    ],
)
def test_titles(raw: str, clean: str) -> None:
    assert title(raw) == clean


@pytest.mark.parametrize(
    ("raw", "long", "short"),
    [
        ("NIPS 2020", "Advances in Neural Information Processing Systems", "NeurIPS"),
        (
            "EMNLP findings 2021",
            "Findings of the Association for Computational Linguistics: EMNLP",
            "Findings of EMNLP",
        ),
        (
            "Findings of the Association for Computational Linguistics: EMNLP 2021",
            "Findings of the Association for Computational Linguistics: EMNLP",
            "Findings of EMNLP",
        ),
        (
            "Proceedings of the 60th Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)",
            "Annual Meeting of the Association for Computational Linguistics",
            "ACL",
        ),
        (
            "Proceedings of the 2021 International Conference on Management of Data",
            "International Conference on Management of Data",
            "SIGMOD",
        ),
        ("FaccT 2022", "ACM Conference on Fairness, Accountability, and Transparency", "FAccT"),
        ("Nature Machine Intelligence", "Nature Machine Intelligence", "Nature Machine Intelligence"),
        ("Arxiv 2023", "arXiv", "arXiv"),
        (
            "Review of Communication Research",
            "Review of Communication Research",
            "Review of Communication Research",
        ),
    ],
)
def test_venues(raw: str, long: str, short: str) -> None:
    assert venue(raw, "long") == long
    assert venue(raw, "short") == short


def test_pages_and_urls() -> None:
    assert pages("525-535") == "525--535"
    assert pages("1386 – 1399") == "1386--1399"
    # A real link from the my-llm list: every utm_ parameter is tracking.
    assert url(
        "https://zhuanlan.zhihu.com/p/622056740?utm_source=wechat_session&utm_medium=social&utm_oi=556"
    ) == ("https://zhuanlan.zhihu.com/p/622056740")
    assert url("https://x.org/a?id=3&fbclid=abc") == "https://x.org/a?id=3"


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
_works = st.builds(
    Work,
    key=st.just("k"),
    kind=st.sampled_from(["paper", "software", "blog"]),
    title=st.one_of(st.none(), _text, st.just("A <i>b</i>.")),
    label=st.one_of(st.none(), _text),
    authors=st.lists(st.builds(Person, family=_text, given=st.one_of(st.none(), _text)), max_size=3).map(
        tuple
    ),
    et_al=st.booleans(),
    year=st.one_of(st.none(), st.integers(1900, 2100)),
    venue=st.one_of(st.none(), _text, st.sampled_from(["NIPS 2020", "EMNLP findings", "Arxiv 2023"])),
    url=st.one_of(st.none(), st.just("https://a.org/x?utm_source=y&q=1")),
    ids=st.just((Identifier("arxiv", "1706.03762"),)),
    published=st.one_of(
        st.none(),
        st.builds(
            Published,
            doi=st.just("10.1/AB"),
            type=st.just("journal-article"),
            container=st.one_of(st.none(), _text),
            pages=st.one_of(st.none(), st.just("1 - 2")),
        ),
    ),
)


@settings(max_examples=300, deadline=None)
@given(_works, st.sampled_from(["long", "short"]))
def test_normalizing_twice_changes_nothing(work: Work, style: str) -> None:
    once = normalize(work, style)
    assert normalize(once, style) == once
