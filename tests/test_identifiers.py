"""Identifier recognition, checked against links taken from the seed lists.

Expected values are written by hand from the URLs; nothing here is computed by the code under test.

`TABLE` is the one table of what each kind reads: a link (`url`), prose (`text`) or one id as typed
on the command line (`parse`), and the identifiers expected from it. A new kind adds its rows under its
own heading; `test_every_kind_has_rows` fails until it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curabib.ids import (
    KINDS,
    PAPER_KINDS,
    Identifier,
    canonical_url,
    identifiers_in_text,
    identifiers_in_url,
    parse_identifier,
)

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of shared/seeds


def arxiv(value: str, version: str | None = None) -> Identifier:
    return Identifier("arxiv", value, version)


def doi(value: str, derived: bool = False) -> Identifier:
    return Identifier("doi", value, derived=derived)


def acl(value: str, doi_value: str | None = None) -> list[Identifier]:
    found = [Identifier("acl", value)]
    if doi_value:
        found.append(doi(doi_value, derived=True))
    return found


class Row(NamedTuple):
    reader: str  # "url", "text" or "parse": which public function reads `given`
    given: str
    expected: list[Identifier]


def url(given: str, expected: list[Identifier]) -> Row:
    return Row("url", given, expected)


def text(given: str, expected: list[Identifier]) -> Row:
    return Row("text", given, expected)


def parse(given: str, expected: Identifier | None) -> Row:
    return Row("parse", given, [expected] if expected is not None else [])


# The same NeurIPS paper (GPT-3) as an abstract page and as a PDF, under both path layouts.
GPT3_HASH = "1457c0d6bfcb4967418bfb8ac142f64a"
GPT3 = Identifier("neurips", f"2020/{GPT3_HASH}")

TABLE = [
    # --- arxiv ---------------------------------------------------------------------------------
    url("https://arxiv.org/abs/2304.13712", [arxiv("2304.13712")]),
    url("https://arxiv.org/abs/2302.13971v1", [arxiv("2302.13971", "v1")]),
    url("http://arxiv.org/abs/2112.11446v2", [arxiv("2112.11446", "v2")]),
    url("http://arxiv.org/abs/2303.08774v2", [arxiv("2303.08774", "v2")]),
    url("https://arxiv.org/pdf/2005.14165.pdf", [arxiv("2005.14165")]),
    url("https://arxiv.org/pdf/2307.09288", [arxiv("2307.09288")]),
    url("https://arxiv.org/pdf/2304.07987v1.pdf", [arxiv("2304.07987", "v1")]),
    url("https://arxiv.org/pdf/2305.11747v2.pdf", [arxiv("2305.11747", "v2")]),
    url("https://arxiv.org/pdf/2305.11747v2", [arxiv("2305.11747", "v2")]),
    url("https://arxiv.org/html/2304.13712v2", [arxiv("2304.13712", "v2")]),
    url("https://arxiv.org/format/2304.13712", [arxiv("2304.13712")]),
    url("https://export.arxiv.org/abs/2304.13712", [arxiv("2304.13712")]),
    url("https://www.arxiv.org/abs/2304.13712?context=cs#section", [arxiv("2304.13712")]),
    url("https://arxiv.org/abs/0704.0001", [arxiv("0704.0001")]),
    url("https://arxiv.org/abs/1412.6980v9", [arxiv("1412.6980", "v9")]),
    url("https://arxiv.org/abs/hep-th/9901001", [arxiv("hep-th/9901001")]),
    url("https://arxiv.org/pdf/hep-th/9901001v3.pdf", [arxiv("hep-th/9901001", "v3")]),
    url("https://arxiv.org/abs/math.GT/0309136", [arxiv("math/0309136")]),
    # arXiv's DataCite DOIs are reported as the arXiv id they spell.
    url("https://doi.org/10.48550/arXiv.2304.13712", [arxiv("2304.13712")]),
    url("https://doi.org/10.48550/ARXIV.2304.13712", [arxiv("2304.13712")]),
    url("https://arxiv.org/", []),
    url("https://arxiv.org/list/cs.CL/recent", []),
    text("see arXiv:2304.13712 for details", [arxiv("2304.13712")]),
    text("arXiv:2304.13712v2", [arxiv("2304.13712", "v2")]),
    text("arXiv preprint arXiv: 2210.11416.", [arxiv("2210.11416")]),
    text("arXiv:hep-th/9901001", [arxiv("hep-th/9901001")]),
    text("arXiv:math.GT/0309136v1", [arxiv("math/0309136", "v1")]),
    text("see https://doi.org/10.48550/arXiv.2304.13712", [arxiv("2304.13712")]),
    text("arXiv:2304.13712 and again arXiv:2304.13712v2", [arxiv("2304.13712")]),
    text(
        "[论文](https://arxiv.org/abs/2205.11726)）证明：**如果是以fine-tuning方式",
        [arxiv("2205.11726")],
    ),
    text("Arxiv 2023.", []),
    parse("2304.13712", arxiv("2304.13712")),
    parse("2304.13712v2", arxiv("2304.13712", "v2")),
    parse("arXiv:2304.13712", arxiv("2304.13712")),
    parse("arxiv:2304.13712v3", arxiv("2304.13712", "v3")),
    parse("0704.0001", arxiv("0704.0001")),
    parse("hep-th/9901001", arxiv("hep-th/9901001")),
    parse("arXiv:hep-th/9901001v1", arxiv("hep-th/9901001", "v1")),
    parse("math.GT/0309136", arxiv("math/0309136")),
    parse("10.48550/arXiv.2304.13712", arxiv("2304.13712")),
    parse("https://arxiv.org/pdf/2305.11747v2.pdf", arxiv("2305.11747", "v2")),
    parse("arxiv.org/abs/2304.13712", arxiv("2304.13712")),
    parse("2304.137", None),
    parse("https://arxiv.org/", None),
    # --- doi -----------------------------------------------------------------------------------
    url("https://dl.acm.org/doi/abs/10.1145/3458754", [doi("10.1145/3458754")]),
    url("https://dl.acm.org/doi/abs/10.1145/3531146.3533234", [doi("10.1145/3531146.3533234")]),
    url("https://dl.acm.org/doi/pdf/10.1145/3442381.3449950", [doi("10.1145/3442381.3449950")]),
    url(
        "https://link.springer.com/chapter/10.1007/978-3-031-35894-4_13",
        [doi("10.1007/978-3-031-35894-4_13")],
    ),
    url(
        "https://link.springer.com/content/pdf/10.1007/978-3-319-19896-5.pdf",
        [doi("10.1007/978-3-319-19896-5")],
    ),
    url("https://doi.org/10.1145/3458754", [doi("10.1145/3458754")]),
    url("http://dx.doi.org/10.1145/3458754", [doi("10.1145/3458754")]),
    url("https://doi.org/10.1000%2FXYZ", [doi("10.1000/xyz")]),
    url("https://onlinelibrary.wiley.com/doi/full/10.1002/asi.24750", [doi("10.1002/asi.24750")]),
    url("https://www.science.org/doi/10.1126/science.aax2342", [doi("10.1126/science.aax2342")]),
    url(
        "https://www.biorxiv.org/content/10.1101/2020.03.09.983122v2.full.pdf",
        [doi("10.1101/2020.03.09.983122")],
    ),
    # Derived: the DOI is computed from the page's address and must be confirmed.
    url(
        "https://www.nature.com/articles/s41746-022-00742-2",
        [doi("10.1038/s41746-022-00742-2", True)],
    ),
    url(
        "https://www.nature.com/articles/s42256-020-00257-z",
        [doi("10.1038/s42256-020-00257-z", True)],
    ),
    url(
        "https://www.nature.com/articles/d41586-023-00641-w",
        [doi("10.1038/d41586-023-00641-w", True)],
    ),
    url("https://www.nature.com/articles/s41591-019-0603-3", [doi("10.1038/s41591-019-0603-3", True)]),
    url("https://www.nature.com/articles/sdata201635", [doi("10.1038/sdata.2016.35", True)]),
    url("https://www.nature.com/articles/nature14539", [doi("10.1038/nature14539", True)]),
    url("https://mededu.jmir.org/2023/1/e48163", [doi("10.2196/48163", True)]),
    url("https://mededu.jmir.org/2023/1/e48291/", [doi("10.2196/48291", True)]),
    url("https://medinform.jmir.org/2020/11/e22508/", [doi("10.2196/22508", True)]),
    url("https://www.mdpi.com/2076-3417/13/17/9879", [doi("10.3390/app13179879", True)]),
    url(
        "https://www.thelancet.com/journals/landig/article/PIIS2589-7500(20)30218-1/fulltext",
        [doi("10.1016/s2589-7500(20)30218-1", True)],
    ),
    url("https://www.sciencedirect.com/science/article/pii/S1386505619307166", []),
    url("https://www.mdpi.com/1234-5678/13/17/9879", []),  # an ISSN whose journal is not known
    url("https://www.nature.com/", []),
    text("doi:10.1000/xyz.", [doi("10.1000/xyz")]),
    text("DOI: 10.1145/3458754;", [doi("10.1145/3458754")]),
    text("(https://doi.org/10.1145/3458754)", [doi("10.1145/3458754")]),
    text("https://doi.org/10.1000%2Fxyz", [doi("10.1000/xyz")]),
    text("(10.1016/S2589-7500(20)30218-1)", [doi("10.1016/s2589-7500(20)30218-1")]),
    text("[pdf](link/10.1007/978-3-319-19896-5.pdf)", [doi("10.1007/978-3-319-19896-5")]),
    text("见 10.1145/3458754。", [doi("10.1145/3458754")]),
    parse("  10.1145/3458754  ", doi("10.1145/3458754")),
    parse("doi:10.1145/3458754", doi("10.1145/3458754")),
    parse("https://doi.org/10.1145/3458754", doi("10.1145/3458754")),
    parse("https://dx.doi.org/10.1145/3458754", doi("10.1145/3458754")),
    parse("https://www.nature.com/articles/sdata201635", doi("10.1038/sdata.2016.35", True)),
    # --- acl (with the DOI the ACL gives each paper, derived) ----------------------------------
    url("https://aclanthology.org/N19-1423.pdf", acl("N19-1423", "10.18653/v1/N19-1423")),
    url("https://aclanthology.org/N18-3011.pdf", acl("N18-3011", "10.18653/v1/N18-3011")),
    url("https://aclanthology.org/W19-5055/", acl("W19-5055", "10.18653/v1/W19-5055")),
    url(
        "https://aclanthology.org/2022.acl-short.16/",
        acl("2022.acl-short.16", "10.18653/v1/2022.acl-short.16"),
    ),
    url(
        "https://aclanthology.org/2021.findings-emnlp.354/",
        acl("2021.findings-emnlp.354", "10.18653/v1/2021.findings-emnlp.354"),
    ),
    url(
        "https://aclanthology.org/2022.acl-long.244.pdf",
        acl("2022.acl-long.244", "10.18653/v1/2022.acl-long.244"),
    ),
    url(
        "https://aclanthology.org/2020.acl-main.447/",
        acl("2020.acl-main.447", "10.18653/v1/2020.acl-main.447"),
    ),
    url("https://aclanthology.org/2021.wmt-1.54/", acl("2021.wmt-1.54", "10.18653/v1/2021.wmt-1.54")),
    url("https://aclanthology.org/P17-1001.bib", acl("P17-1001", "10.18653/v1/P17-1001")),
    url("https://www.aclweb.org/anthology/N19-1423", acl("N19-1423", "10.18653/v1/N19-1423")),
    url(
        "https://www.aclweb.org/anthology/N/N19/N19-1423.pdf",
        acl("N19-1423", "10.18653/v1/N19-1423"),
    ),
    # 2014-15 papers carry the older ACL DOI prefix; earlier ones have none to derive.
    url("https://aclanthology.org/D14-1162.pdf", acl("D14-1162", "10.3115/v1/D14-1162")),
    url("https://aclanthology.org/P11-1015/", acl("P11-1015")),
    url("https://aclanthology.org/", []),
    url("https://aclanthology.org/events/acl-2022/", []),
    parse("https://aclanthology.org/N19-1423.pdf", Identifier("acl", "N19-1423")),
    parse("N19-1423", Identifier("acl", "N19-1423")),
    parse("2022.acl-short.16", Identifier("acl", "2022.acl-short.16")),
    # --- openreview ----------------------------------------------------------------------------
    url("https://openreview.net/pdf?id=iBBcRUlOAPR", [Identifier("openreview", "iBBcRUlOAPR")]),
    url("https://openreview.net/pdf?id=r1xMH1BtvB", [Identifier("openreview", "r1xMH1BtvB")]),
    url(
        "https://openreview.net/forum?id=r1xMH1BtvB&noteId=xyz",
        [Identifier("openreview", "r1xMH1BtvB")],
    ),
    url("https://openreview.net/forum", []),
    # --- jmlr ----------------------------------------------------------------------------------
    # A paper of volume 21, as the journal's page and its PDF name it.
    url("https://jmlr.org/papers/v21/20-074.html", [Identifier("jmlr", "v21/20-074")]),
    url("https://www.jmlr.org/papers/volume21/20-074/20-074.pdf", [Identifier("jmlr", "v21/20-074")]),
    url("https://jmlr.org/papers/v21/", []),
    url("https://jmlr.org/tmlr/papers/", []),
    # --- pmlr ----------------------------------------------------------------------------------
    url("http://proceedings.mlr.press/v139/zhao21c.html", [Identifier("pmlr", "v139/zhao21c")]),
    url(
        "https://proceedings.mlr.press/v139/zhao21c/zhao21c.pdf",
        [Identifier("pmlr", "v139/zhao21c")],
    ),
    url(
        "https://proceedings.mlr.press/v81/buolamwini18a/buolamwini18a.pdf",
        [Identifier("pmlr", "v81/buolamwini18a")],
    ),
    url("https://proceedings.mlr.press/v139/", []),
    # --- neurips -------------------------------------------------------------------------------
    url(
        "https://proceedings.neurips.cc/paper_files/paper/2022/hash/"
        "77c08a6e68ae25433f1d117283c0e312-Abstract-Conference.html",
        [Identifier("neurips", "2022/77c08a6e68ae25433f1d117283c0e312")],
    ),
    url(f"https://proceedings.neurips.cc/paper/2020/hash/{GPT3_HASH}-Abstract.html", [GPT3]),
    url(f"https://proceedings.neurips.cc/paper_files/paper/2020/file/{GPT3_HASH}-Paper.pdf", [GPT3]),
    url(f"https://proceedings.neurips.cc/paper_files/paper/2020/hash/{GPT3_HASH}-Abstract.html", [GPT3]),
    url(f"https://papers.nips.cc/paper/2020/file/{GPT3_HASH}-Paper.pdf", [GPT3]),
    # --- pmc -----------------------------------------------------------------------------------
    url(
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10020064/",
        [Identifier("pmc", "PMC10020064")],
    ),
    url("https://pmc.ncbi.nlm.nih.gov/articles/PMC10020064/", [Identifier("pmc", "PMC10020064")]),
    parse("PMC10020064", Identifier("pmc", "PMC10020064")),
    # --- github --------------------------------------------------------------------------------
    url("https://github.com/lm-sys/FastChat", [Identifier("github", "lm-sys/fastchat")]),
    url(
        "https://github.com/tatsu-lab/stanford_alpaca#fine-tuning",
        [Identifier("github", "tatsu-lab/stanford_alpaca")],
    ),
    url("https://github.com/lamini-ai/lamini/", [Identifier("github", "lamini-ai/lamini")]),
    url(
        "https://github.com/THUDM/ChatGLM-6B/blob/main/MODEL_LICENSE",
        [Identifier("github", "thudm/chatglm-6b")],
    ),
    url(
        "https://github.com/microsoft/DeepSpeedExamples/tree/master/applications/DeepSpeed-Chat",
        [Identifier("github", "microsoft/deepspeedexamples")],
    ),
    url("https://github.com/tloen/alpaca-lora.git", [Identifier("github", "tloen/alpaca-lora")]),
    # Accounts, organisations and GitHub's own pages are not repositories.
    url("https://github.com/lm-sys", []),
    url("https://github.com/lvwerra/", []),
    url("https://github.com/orgs/lm-sys/repositories", []),
    url("https://github.com/topics/llm", []),
    url("https://github.com/sponsors/tloen", []),
    url("https://gist.github.com/yoavg/6bff0fecd65950898eba1bb321cfbd81", []),
    url("https://lilianweng.github.io/posts/2023-03-15-prompt-engineering/", []),
    url("https://raw.githubusercontent.com/lm-sys/FastChat/main/assets/logo.png", []),
    url("https://img.shields.io/github/stars/lm-sys/FastChat.svg?style=social&label=Star", []),
    url(
        "https://camo.githubusercontent.com/64f8905651212a80869afbecbf0a9c52a5d1e70beab750dea40a994fa9a9f3c6/"
        "68747470733a2f2f617765736f6d652e72652f62616467652e737667",
        [],
    ),
    parse("github.com/lm-sys/FastChat", Identifier("github", "lm-sys/fastchat")),
    parse("github.com/lm-sys", None),
    # --- several kinds, or none ----------------------------------------------------------------
    text(
        "Published as 10.1145/3458754, preprint arXiv:2304.13712.",
        [doi("10.1145/3458754"), arxiv("2304.13712")],
    ),
    text("1234.5678 and version 2.10.1 are numbers, not ids", []),
    text("", []),
    text("é”™è¯¯ â€œmojibakeâ€\x9d", []),
    url("https://picgo-zxy.oss-cn-guangzhou.aliyuncs.com/typoreimgs/llm_survey.gif", []),
    url("./papers/pre-train/models/2022-PaLM-%20Scaling%20Language%20Modeling%20with%20Pathways.pdf", []),
    url("papers/x.pdf", []),
    url("https://zhuanlan.zhihu.com/p/617133971", []),
    url("https://www.zhihu.com/question/591935281/answer/2979220793", []),
    url("https://huggingface.co/tiiuae/falcon-40b", []),
    url("mailto:someone@example.org", []),
    url("", []),
    url("   ", []),
    url("http://[::1", []),
    parse("", None),
    parse("hello world", None),
    parse("1234", None),
    parse("./papers/x.pdf", None),
    parse("https://zhuanlan.zhihu.com/p/617133971", None),
    parse("大型语言模型", None),
]


def _parsed(given: str) -> list[Identifier]:
    ident = parse_identifier(given)
    return [ident] if ident is not None else []


READERS: dict[str, Callable[[str], list[Identifier]]] = {
    "url": identifiers_in_url,
    "text": identifiers_in_text,
    "parse": _parsed,
}


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row.reader}:{row.given[:70]}")
def test_table(row: Row) -> None:
    assert READERS[row.reader](row.given) == row.expected


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_has_rows(name: str) -> None:
    """A kind is registered with rows in `TABLE` for each way it can be read, and a canonical URL row."""
    kind = KINDS[name]
    read_by = {row.reader for row in TABLE for ident in row.expected if ident.kind == name}
    assert "url" in read_by, f"no `url(...)` row in TABLE finds a {name} identifier"
    if kind.from_token is not None:
        assert "parse" in read_by, f"{name} reads typed ids: add a `parse(...)` row"
    if kind.in_text is not None:
        assert "text" in read_by, f"{name} finds ids in prose: add a `text(...)` row"
    assert any(ident.kind == name for ident, _ in CANONICAL_URLS), f"add {name} to CANONICAL_URLS"


@pytest.mark.parametrize(
    ("kind", "value"), sorted({(i.kind, i.value) for row in TABLE for i in row.expected})
)
def test_expected_values_have_their_kinds_canonical_shape(kind: str, value: str) -> None:
    assert KINDS[kind].pattern.fullmatch(value)


def test_paper_kinds_are_every_kind_but_github() -> None:
    # A repository is code: linking one does not say which paper an item is.
    paper_kinds = {"arxiv", "doi", "acl", "openreview", "pmlr", "jmlr", "neurips", "pmc"}
    assert paper_kinds == PAPER_KINDS


# --- registry and canonical URLs -----------------------------------------------------------------

CANONICAL_URLS = [
    (arxiv("2304.13712", "v2"), "https://arxiv.org/abs/2304.13712"),
    (arxiv("hep-th/9901001"), "https://arxiv.org/abs/hep-th/9901001"),
    (doi("10.1145/3458754"), "https://doi.org/10.1145/3458754"),
    (
        doi("10.1016/s2589-7500(20)30218-1", True),
        "https://doi.org/10.1016/s2589-7500(20)30218-1",
    ),
    (Identifier("acl", "N19-1423"), "https://aclanthology.org/N19-1423/"),
    (Identifier("openreview", "r1xMH1BtvB"), "https://openreview.net/forum?id=r1xMH1BtvB"),
    (Identifier("pmlr", "v139/zhao21c"), "https://proceedings.mlr.press/v139/zhao21c.html"),
    (Identifier("jmlr", "v21/20-074"), "https://jmlr.org/papers/v21/20-074.html"),
    (
        Identifier("neurips", f"2020/{GPT3_HASH}"),
        f"https://proceedings.neurips.cc/paper_files/paper/2020/hash/{GPT3_HASH}-Abstract.html",
    ),
    (Identifier("pmc", "PMC10020064"), "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10020064/"),
    (Identifier("github", "lm-sys/fastchat"), "https://github.com/lm-sys/fastchat"),
]


def test_kinds_are_registered_in_order() -> None:
    assert list(KINDS) == [
        "arxiv",
        "doi",
        "acl",
        "openreview",
        "pmlr",
        "jmlr",
        "neurips",
        "pmc",
        "github",
    ]
    assert all(name == kind.name for name, kind in KINDS.items())


@pytest.mark.parametrize(("ident", "url"), CANONICAL_URLS, ids=lambda v: str(v)[:60])
def test_canonical_url(ident: Identifier, url: str) -> None:
    assert canonical_url(ident) == url
    assert KINDS[ident.kind].url(ident.value) == url


@pytest.mark.parametrize(("ident", "url"), CANONICAL_URLS, ids=lambda v: str(v)[:60])
def test_canonical_url_reads_back(ident: Identifier, url: str) -> None:
    assert identifiers_in_url(url)[0] == Identifier(ident.kind, ident.value)


def test_url_of_a_malformed_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="neurips"):
        KINDS["neurips"].url("not-a-hash")


# --- the seed lists ------------------------------------------------------------------------------

ARXIV_LINK = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
URL = re.compile(r"https?://[^\s()\[\]<>\"'（）]+")


def test_every_arxiv_link_in_the_seeds_is_recognised() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        text = seed.read_text(encoding="utf-8", errors="replace")
        expected = ARXIV_LINK.findall(text)
        found = [
            ident.value
            for url in URL.findall(text)
            for ident in identifiers_in_url(url)
            if ident.kind == "arxiv"
        ]
        assert found == expected, seed.name
        assert all(not re.search(r"v\d+$", value) for value in found)


# --- properties ----------------------------------------------------------------------------------

CANONICAL_ARXIV = re.compile(r"\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?/\d{7}")
URL_PREFIXES = [
    "https://arxiv.org/abs/",
    "https://arxiv.org/pdf/",
    "https://doi.org/10.1145/",
    "https://github.com/",
    "https://aclanthology.org/",
    "https://www.nature.com/articles/",
    "https://www.mdpi.com/2076-3417/",
    "https://openreview.net/forum?id=",
    "arXiv:",
    "doi:10.",
]
texts = st.one_of(
    st.text(),
    st.builds(str.__add__, st.sampled_from(URL_PREFIXES), st.text()),
    st.from_regex(r"(arXiv:)?\d{4}\.\d{4,6}(v\d{1,2})?(\.pdf)?", fullmatch=True),
)


def _check(found: list[Identifier]) -> None:
    assert len({(i.kind, i.value) for i in found}) == len(found)
    for ident in found:
        assert ident.kind in KINDS
        if ident.kind == "arxiv":
            assert CANONICAL_ARXIV.fullmatch(ident.value), ident
            assert ident.version is None or re.fullmatch(r"v\d+", ident.version)


@given(texts)
def test_never_raises_and_arxiv_values_are_canonical(text: str) -> None:
    _check(identifiers_in_text(text))
    _check(identifiers_in_url(text))
    parsed = parse_identifier(text)
    _check([parsed] if parsed else [])
