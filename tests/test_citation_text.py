"""Each citation style found in the seed lists, read from one real line of them."""

from __future__ import annotations

import pytest

from curabib.ingest.blocks import parse_blocks
from curabib.ingest.citation import Inline, link_kind, parse, parse_pdf_name


def _inline(markdown: str) -> Inline:
    block = parse_blocks(markdown)[0]
    while block.inline is None:
        block = block.children[0]
    return block.inline


@pytest.mark.parametrize(
    ("line", "title", "label", "authors", "year", "venue"),
    [
        (
            "- BERT **BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding**, 2018, "
            "[Paper](https://aclanthology.org/N19-1423.pdf)",
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding", "BERT", (), 2018, None,
        ),
        (
            '- T5 **"Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"**. '
            "*Colin Raffel et al.* JMLR 2019. [Paper](https://arxiv.org/abs/1910.10683)",
            "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer", "T5",
            ("Colin Raffel",), 2019, "JMLR",
        ),
        (
            "- **Want To Reduce Labeling Cost? GPT-3 Can Help**, EMNLP findings 2021 "
            "[Paper](https://aclanthology.org/2021.findings-emnlp.354/)",
            "Want To Reduce Labeling Cost? GPT-3 Can Help", None, (), 2021, "EMNLP findings",
        ),
        (
            "- GPT-NeoX-20B: **\"GPT-NeoX-20B: An Open-Source Autoregressive Language Model\"**. 2022. "
            "[Paper](https://arxiv.org/abs/2204.06745)",
            "GPT-NeoX-20B: An Open-Source Autoregressive Language Model", "GPT-NeoX-20B", (), 2022, None,
        ),
        (
            "- **Multilingual machine translation systems from Microsoft for WMT21 shared task**, WMT2021 "
            "[Paper](https://aclanthology.org/2021.wmt-1.54/)",
            "Multilingual machine translation systems from Microsoft for WMT21 shared task", None, (), 2021, "WMT",
        ),
        (
            "  * BioGPT: generative pre-trained transformer for biomedical text generation and mining. 2022. "
            "[paper](https://academic.oup.com/bib/article-abstract/23/6/bbac409/6713511)",
            "BioGPT: generative pre-trained transformer for biomedical text generation and mining", None, (), 2022, None,
        ),
        (
            "- 2023-ICLR-GLM-130B- An Open Bilingual Pre-trained Model "
            "[paper](./papers/pre-train/models/2023-ICLR-GLM-130B-%20An%20Open%20Bilingual%20Pre-trained%20Model.pdf)",
            "GLM-130B: An Open Bilingual Pre-trained Model", None, (), 2023, "ICLR",
        ),
        (
            "- 2022-Solving math word problems with process-and outcome-based feedback "
            "[[paper](https://arxiv.org/pdf/2211.14275.pdf)]",
            "Solving math word problems with process-and outcome-based feedback", None, (), 2022, None,
        ),
        (
            "* Tell me, what are you most afraid of? Exploring the Effects of Agent Representation on Information "
            "Disclosure in Human-Chatbot Interaction, 2023, [paper](https://link.springer.com/chapter/10.1007/978-3-031-35894-4_13)",
            "Tell me, what are you most afraid of? Exploring the Effects of Agent Representation on Information "
            "Disclosure in Human-Chatbot Interaction", None, (), 2023, None,
        ),
        (
            "* 56Real conversations with artificial intelligence: A comparison between human‚Äìhuman online "
            "conversations and human‚Äìchatbot conversations",
            "Real conversations with artificial intelligence: A comparison between human–human online "
            "conversations and human–chatbot conversations", None, (), None, None,
        ),
    ],
)  # fmt: skip
def test_citation_styles(
    line: str, title: str, label: str | None, authors: tuple[str, ...], year: int | None, venue: str | None
) -> None:
    citation = parse(_inline(line))
    assert (citation.title, citation.label, citation.authors, citation.year, citation.venue) == (
        title, label, authors, year, venue,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("url", "title", "year", "venue"),
    [
        (
            "./papers/pre-train/models/2022-ICML-GLaM-%20Efficient%20Scaling%20of%20Language%20Models%20with%20Mixture-of-Experts.pdf",
            "GLaM: Efficient Scaling of Language Models with Mixture-of-Experts", 2022, "ICML",
        ),
        (
            "./papers/fine-tune/methods/align/2023-Let’s%20Verify%20Step%20by%20Step.pdf",
            "Let’s Verify Step by Step", 2023, None,
        ),
        ("./papers/2023-MiniGPT_4.pdf", "MiniGPT 4", 2023, None),
    ],
)  # fmt: skip
def test_titles_from_local_pdf_names(url: str, title: str, year: int, venue: str | None) -> None:
    citation = parse_pdf_name(url)
    assert citation is not None
    assert (citation.title, citation.year, citation.venue) == (title, year, venue)


@pytest.mark.parametrize(
    ("url", "text", "kind"),
    [
        ("https://github.com/tatsu-lab/stanford_alpaca", "Repo", "code"),
        ("https://github.com/inverse-scaling/prize", "Link", "code"),
        (
            "https://huggingface.co/datasets/togethercomputer/RedPajama-Data-1T",
            "RedPajama-Data-1T",
            "dataset",
        ),
        ("https://huggingface.co/Thaweewat/thai-buffala-lora-7b-v0-1", "Model", "model"),
        ("https://zhuanlan.zhihu.com/p/612752963", "训练中文LLaMA大规模语言模型", "blog"),
        ("https://arxiv.org/abs/2305.08322", "论文", "paper"),
        ("https://cevalbenchmark.com/", "官方网站", "site"),
        (
            "https://github.com/microsoft/DeepSpeedExamples/tree/master/applications/DeepSpeed-Chat",
            "Blog",
            "blog",
        ),
        ("./papers/2023-MiniGPT_4.pdf", "Paper", "paper"),
        ("https://cdn.openai.com/papers/gpt-4-system-card.pdf", "Paper", "paper"),
        ("https://www-files.anthropic.com/production/images/Model-Card-Claude-2.pdf", "Model Card", "paper"),
    ],
)
def test_link_kinds(url: str, text: str, kind: str) -> None:
    assert link_kind(url, text) == kind
