"""Clean text, honestly: mojibake repaired at import, legitimate text kept; identifier-only titles, bare-host
links and identifiers `refresh` found to be another work's never exported as the work's own."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from conftest import run, write_md
from curabib.check.checks import check_lists
from curabib.export import csl
from curabib.export.common import ExportOptions
from curabib.ids import Identifier
from curabib.ingest.citation import clean
from curabib.ingest.markdown import import_markdown
from curabib.ingest.mojibake import repair
from curabib.merge.fields import Fetched, fetched_for, is_bare_host, is_identifier_only, merge_fields
from curabib.model import FOUND, CuratedList, Item, Link, Record, Section


def test_mojibake_is_repaired() -> None:
    assert repair("human‚Äìhuman online conversations") == "human–human online conversations"
    assert repair("Openai‚Äôs gpt-3") == "Openai’s gpt-3"
    assert repair("Ã©tÃ© naÃ¯ve") == "été naïve"


def test_legitimate_text_is_kept() -> None:
    for text in (
        "华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型",
        "ChatGLM：千亿基座的对话模型",
        "Gaël Varoquaux, Łukasz Kaiser, Zoë, José, Søren, Müller",
        "Émile Zola and Ǆ: naïve café au lait",
        "“Quoted” and ‘single’ — dashes – and … ellipsis",
        "ﬁ ligature and ｆｕｌｌ width kept as written",
        "Ångström ≤ 5 µm, 50% of C# programs",
        "Привет, Ελληνικά, 한국어, 日本語のテキスト",
    ):
        assert repair(text) == text, text
        assert clean(text) == text, text


def test_import_repairs_a_title() -> None:
    md = "# L\n\n## S\n\n* 56Real conversations with artificial intelligence: human‚Äìhuman and human‚Äìchatbot, 2023\n"
    curated, _ = import_markdown(md, "l")
    (item,) = list(curated.all_items())
    assert item.title == "Real conversations with artificial intelligence: human–human and human–chatbot"


def test_identifier_only_titles() -> None:
    for title in ("arXiv:2204.05832", "arXiv: 2204.05832v2", "2204.05832", "10.1145/3458754",
                  "doi:10.1038/s41591-023-02448-8", "https://doi.org/10.1038/abc"):  # fmt: skip
        assert is_identifier_only(title), title
    for other in ("Attention Is All You Need", "GPT-4: 10.5 reasons", "T5", None, ""):
        assert not is_identifier_only(other), other


def _record(ident: str, title: str) -> Record:
    source = ident.split(":")[0]
    when = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    return Record(source, ident, FOUND, when, "u", {"title": title, "authors": [], "year": 2022})


def test_a_fetched_title_beats_a_curated_identifier() -> None:
    arxiv = Identifier("arxiv", "2204.05832")
    item = Item("paper", title="arXiv:2204.05832", ids=(arxiv,), key="k")
    real = (
        "What Language Model Architecture and Pretraining Objective Work Best for Zero-Shot Generalization?"
    )
    records = {"arxiv|arxiv:2204.05832": _record("arxiv:2204.05832", real)}
    work = merge_fields("k", [item], fetched_for([item], records), "published")
    assert work.title == real
    # Without a fetched title the identifier is all there is, and `check` says so.
    assert merge_fields("k", [item], Fetched(), "published").title == "arXiv:2204.05832"
    lst = CuratedList("l", sections=[Section("S", [item])])
    findings = [f for f in check_lists([lst], {}, "published", "long") if f.code == "identifier-title"]
    assert [f.level for f in findings] == ["warning"]
    findings = [f for f in check_lists([lst], records, "published", "long") if f.code == "identifier-title"]
    assert [f.level for f in findings] == ["info"] and real in findings[0].message


def test_bare_host_links_are_never_a_works_url() -> None:
    assert is_bare_host("https://arxiv.org/") and is_bare_host("https://github.com")
    assert not is_bare_host("https://pile.eleuther.ai/") and not is_bare_host("https://github.com/a/b")
    item = Item("webpage", title="A Survey", links=(Link("site", "https://arxiv.org/"),))
    assert merge_fields("k", [item], Fetched(), "published").url is None
    item = Item("webpage", title="Pile", links=(Link("site", "https://pile.eleuther.ai/"),))
    assert merge_fields("k", [item], Fetched(), "published").url == "https://pile.eleuther.ai/"


def test_an_id_of_another_work_is_not_exported() -> None:
    arxiv = Identifier("arxiv", "1910.02054")
    item = Item(
        "paper",
        title="Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism",
        ids=(arxiv,),
        links=(Link("paper", "https://arxiv.org/abs/1910.02054"),),
        key="k",
    )
    records = {
        "arxiv|arxiv:1910.02054": _record("arxiv:1910.02054", "ZeRO: Memory Optimizations Toward Training")
    }
    fetched = fetched_for([item], records)
    assert fetched.rejected and "exported without arxiv:1910.02054" in fetched.conflicts("k")[0].message
    work = merge_fields("k", [item], fetched, "published")
    assert work.ids == () and work.url is None
    data = json.loads(csl.render(work, ExportOptions()))
    assert "1910.02054" not in json.dumps(data)


def test_build_and_check_on_a_list(project: Path) -> None:
    md = "# L\n\n## S\n\n- [arXiv:2204.05832](https://arxiv.org/pdf/2204.05832.pdf)\n"
    assert run(project, "import-md", str(write_md(project, md)), "--list", "l").exit_code == 0
    result = run(project, "check")
    assert "identifier-title" in result.output
