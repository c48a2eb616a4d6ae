"""curabib.export.latex: escaped and case-protected BibTeX values that every reader decodes to the input."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import Entry
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import change_case

from curabib.data.terms import read_terms
from curabib.export import latex
from curabib.export.latex import escape, known_terms, normalize_text, protect_title

# Titles as they appear in /work/shared/seeds, with the values written by hand.
SEED_TITLES = [
    ("GPT-4 Technical Report", "{GPT}-4 Technical Report"),
    (
        "LLaMA: Open and Efficient Foundation Language Models",
        "{LLaMA}: Open and Efficient Foundation Language Models",
    ),
    (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "{LoRA}: Low-Rank Adaptation of Large Language Models",
    ),
    (
        "Scaling Language Models: Methods, Analysis & Insights from Training Gopher",
        r"Scaling Language Models: Methods, Analysis \& Insights from Training {Gopher}",
    ),
    (
        "Can GPT-4V (ision) Serve Medical Applications? Case Studies on GPT-4V for Multimodal "
        "Medical Diagnosis",
        "Can {GPT}-{4V} (ision) Serve Medical Applications? Case Studies on {GPT}-{4V} for "
        "Multimodal Medical Diagnosis",
    ),
    (
        "Super-NaturalInstructions: Generalization via Declarative Instructions on 1600+ NLP Tasks",
        "Super-{NaturalInstructions}: Generalization via Declarative Instructions on 1600+ {NLP} Tasks",
    ),
    (
        "ELECTRA: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS",
        "{ELECTRA}: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS",
    ),
    ("华驼(HuaTuo): 基于中文医学知识的LLaMA微调模型", "华驼({HuaTuo}): 基于中文医学知识的{LLaMA}微调模型"),
    (
        "Vicuna: An Open-Source Chatbot Impressing GPT-4 with 90%* ChatGPT Quality",
        r"{Vicuna}: An Open-Source Chatbot Impressing {GPT}-4 with 90\%* {ChatGPT} Quality",
    ),
    (
        "GPT3Mix: Leveraging Large-scale Language Models for Text Augmentation",
        "{GPT3Mix}: Leveraging Large-scale Language Models for Text Augmentation",
    ),
    (
        "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
        "Exploring the Limits of Transfer Learning with a Unified Text-to-Text {Transformer}",
    ),
    (
        "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model",
        "{BLOOM}: A {176B}-Parameter Open-Access Multilingual Language Model",
    ),
    (
        "Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, A Large-Scale Generative "
        "Language Model",
        "Using {DeepSpeed} and {Megatron} to Train {Megatron}-{Turing} {NLG} {530B}, A Large-Scale "
        "Generative Language Model",
    ),
    (
        "Llama 2: Open foundation and fine-tuned chat models",
        "{Llama} 2: Open foundation and fine-tuned chat models",
    ),
    (
        "Why did all of the public reproduction of GPT-3 fail? In which tasks should we use GPT-3.5/ChatGPT?",
        "Why did all of the public reproduction of {GPT}-3 fail? In which tasks should we use "
        "{GPT}-3.5/{ChatGPT}?",
    ),
    (
        "Openai’s gpt-3 language model: A technical overview",
        "Openai’s gpt-3 language model: A technical overview",
    ),
    (
        "Multilingual machine translation systems from Microsoft for WMT21 shared task",
        "Multilingual machine translation systems from {Microsoft} for {WMT21} shared task",
    ),
    (
        "Qilin-Med-VL: Towards Chinese Large Vision-Language Model for General Healthcare",
        "Qilin-Med-{VL}: Towards {Chinese} Large Vision-Language Model for General Healthcare",
    ),
    (
        "P-Tuning v2: Prompt Tuning Can Be Comparable to Fine-tuning Universally Across Scales and Tasks",
        "P-Tuning {v2}: Prompt Tuning Can Be Comparable to Fine-tuning Universally Across Scales and Tasks",
    ),
    ("ChatGLM", "{ChatGLM}"),  # one word: protected like any other word
    ("Language Models are Few-Shot Learners", "Language Models are Few-Shot Learners"),
]

SAMPLE_TITLES = [title for title, _ in SEED_TITLES] + [
    "MOSS",
    "RedPajama",
    "GPT4All",
    "DeepSpeed-Chat",
    "OpenAI Cookbook",
    "ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
    "The Pile: An 800GB Dataset of Diverse Text for Language Modeling",
    "ST-MoE: Designing Stable and Transferable Sparse Expert Models",
    "PLM-ICD: automatic ICD coding with pretrained language models",
    "MIMIC-III, a freely accessible critical care database",
    "Deid-gpt: Zero-shot medical text de-identification by gpt-4",
    "Image as a Foreign Language: BEiT Pretraining for All Vision and Vision-Language Tasks",
    "SPeC: A Soft Prompt-Based Calibration on Mitigating Performance Variability in Clinical "
    "Notes Summarization",
    "AlexaTM 20B: Few-Shot Learning Using a Large-Scale Multilingual Seq2Seq Model",
    "Is ChatGPT a Good NLG Evaluator? A Preliminary Study",
    "Solving math word problems with process- and outcome-based feedback",
]

SPECIALS = [*"\\{}%&$#_^~@-`'!?<>,\"\n\t ", "\r", "\u00a0", "\u0301", "\x00", "\x7f"]
WORDS = ["GPT-4", "LLaMA", "BERT", "T5", "Gopher", "Stable Diffusion", "iPhone", "ELECTRA", "$x^2$"]

texts = st.lists(
    st.one_of(
        st.text(),
        st.sampled_from(SPECIALS),
        st.sampled_from(WORDS),
        st.text(alphabet=st.sampled_from(SPECIALS + list("aZ9 ")), max_size=8),
    ),
    max_size=12,
).map("".join)

FAST = settings(max_examples=300, deadline=None)


def expected(text: str) -> str:
    """The spec's normalisation, written out independently of the module."""
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cc", "Cs"))
    return " ".join(unicodedata.normalize("NFC", kept).split())


def entry(value: str) -> str:
    return "@misc{k, title = {" + value + "}}"


def decode_with_bibtexparser(value: str) -> str:
    library = bibtexparser.parse_string(entry(value), append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    decoded = library.entries[0]
    assert isinstance(decoded, Entry)
    title = decoded.fields_dict["title"].value
    assert isinstance(title, str)
    # pylatexenc's table maps \textasciicircum to U+02C6 (the modifier letter, the same glyph); every other
    # reader (LaTeX, biber, pandoc, Better BibTeX's parser) gives "^".
    return title.replace("\u02c6", "^")


def assert_balanced(value: str) -> None:
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, value
    assert depth == 0, value


def wraps_whole_value(value: str) -> bool:
    """True if the value's first character is a brace that closes at its last character."""
    if not value.startswith("{"):
        return False
    depth = 0
    for i, ch in enumerate(value):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i == len(value) - 1
    return False


def assert_read_back(value: str, original: str) -> None:
    assert_balanced(value)
    assert decode_with_bibtexparser(value) == expected(original).replace("\u02c6", "^")
    bib = pybtex.database.parse_string(entry(value), "bibtex")
    assert list(bib.entries) == ["k"]


# --- hand-written cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "value"), SEED_TITLES)
def test_protect_title_seed_titles(title: str, value: str) -> None:
    assert protect_title(title) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a\\b", r"a\textbackslash{}b"),
        ("{x}", r"\{x\}"),
        ("50% & $5 #1 snake_case", r"50\% \& \$5 \#1 snake\_case"),
        ("x^2 ~user", r"x\textasciicircum{}2 \textasciitilde{}user"),
        ("user@example.org", "user@example.org"),
        ("  two\n\tlines  \r\n ", "two lines"),
        ("bell\x07 and\x00null", "bell andnull"),
        ("Cafe\u0301 naïve 中文", "Café naïve 中文"),
        ("pages 1--10 and ``quoted''", r"pages 1-\/-10 and `\/`quoted'\/'"),
        ("}{", r"\ensuremath{\rbrace}\ensuremath{\lbrace}"),
        ("a {b", r"a \ensuremath{\lbrace}b"),
        ("{a} }", r"\{a\} \ensuremath{\rbrace}"),
    ],
)
def test_escape(text: str, value: str) -> None:
    assert escape(text) == value


@pytest.mark.parametrize(
    ("title", "value"),
    [
        ("Pre-LN Transformers", "Pre-{LN} {Transformers}"),
        ("mT0 and T5 models", "{mT0} and {T5} models"),
        ("The language of iPhone users", "The language of {iPhone} users"),
        ("Bayesian inference in English", "{Bayesian} inference in {English}"),
        ("A BERT model", "A {BERT} model"),
        ("BERT: NLP", "{BERT}: {NLP}"),
        ("Backslash \\GPT stays whole", r"Backslash \textbackslash{}{GPT} stays whole"),
        ("LLM's limits", "{LLM}'s limits"),
        ("THE GPT-4 AND T5 REPORT ON RLHF", "THE {GPT}-4 AND {T5} REPORT ON {RLHF}"),
        ("ONE TWO THREE iPhone", "ONE TWO THREE {iPhone}"),
        ("基于\u0301BERT", "基于\u0301{BERT}"),
    ],
)
def test_protect_title_rules(title: str, value: str) -> None:
    assert protect_title(title) == value


def test_terms_argument_is_exact_case_and_whole_word() -> None:
    title = "Stable Diffusion and stable diffusion beat Diffusions"
    value = protect_title(title, terms=["Stable Diffusion", "Diffusion"])
    assert value == "{Stable Diffusion} and stable diffusion beat Diffusions"


def test_longest_term_wins() -> None:
    assert protect_title("Why Monte Carlo", terms=["Monte"]) == "Why {Monte Carlo}"


def test_shouting_title_protects_only_terms_digits_and_mixed_case() -> None:
    title = "ELECTRA: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS"
    assert "{" not in protect_title(title.replace("ELECTRA", "ELEKTRA"))
    assert protect_title(title.replace("TEXT", "TEXT T5")).count("{") == 2


def test_whole_title_term_keeps_first_letter_outside_braces() -> None:
    # A one-word title is a protected word like any other; several words are never braced as one.
    assert protect_title("BERT") == "{BERT}"
    assert protect_title("Stable Diffusion", terms=["Stable Diffusion"]) == "S{table Diffusion}"
    assert protect_title("Éclair", terms=["Éclair"]) == "{Éclair}"


def test_protected_group_never_starts_with_a_backslash() -> None:
    # "{\" is a BibTeX special character, whose letters a style may still recase.
    assert protect_title("On #GPT tags", terms=["#GPT"]) == r"On {{}\#GPT} tags"


def test_math_kept_only_when_asked() -> None:
    title = r"Bounds in $O(N \log N)$ for $\ell_1$ costs of $5 and $10"
    assert protect_title(title) == (
        r"Bounds in \$O(N \textbackslash{}log N)\$ for \$\textbackslash{}ell\_1\$ costs of \$5 "
        r"and \$10"
    )
    assert protect_title(title, keep_math=True) == (
        r"Bounds in {$O(N \log N)$} for {$\ell_1$} costs of \$5 and \$10"
    )


@pytest.mark.parametrize(
    "title", [r"Bad $x % y$ math", r"Bad $x}{y$ math", r"Bad $\{x}$ math", r"Bad $x\\y$ math"]
)
def test_unsafe_math_is_escaped(title: str) -> None:
    value = protect_title(title, keep_math=True)
    assert value == protect_title(title)
    assert_read_back(value, title)


def test_whole_title_math_is_not_braced() -> None:
    assert protect_title("$E=mc^2$", keep_math=True) == "$E=mc^2$"


def test_bibtex_lowercasing_keeps_protected_words() -> None:
    value = protect_title("Vicuna: An Open-Source Chatbot Impressing GPT-4 with 90%* ChatGPT Quality")
    lowered = change_case(value, "t")
    assert decode_with_bibtexparser(lowered) == (
        "Vicuna: An open-source chatbot impressing GPT-4 with 90%* ChatGPT quality"
    )


@pytest.mark.parametrize("title", SAMPLE_TITLES)
def test_no_whole_title_braces(title: str) -> None:
    value = protect_title(title)
    if " " in title:  # a one-word title is a protected word like any other
        assert not wraps_whole_value(value)
    assert_read_back(value, title)


# --- terms -----------------------------------------------------------------------------------------


def test_builtin_terms() -> None:
    terms = known_terms()
    assert {"LLaMA", "LoRA", "ChatGPT", "ELECTRA", "Transformer", "PubMed", "Gaussian"} <= terms
    assert 80 <= len(terms) <= 200
    assert all(term == normalize_text(term) and term for term in terms)


def test_user_terms_merge(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("# mine\n- Stable  Diffusion\n- Gopher\n- ''\n", encoding="utf-8")
    terms = known_terms(read_terms(path))
    assert {"Stable Diffusion", "Gopher", "LLaMA"} <= terms
    assert "" not in terms


def test_empty_user_terms_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert known_terms(read_terms(path)) == known_terms()


@pytest.mark.parametrize("content", ["terms: [a]\n", "- 1\n- two\n", "just text\n"])
def test_bad_user_terms_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="list of strings"):
        read_terms(path)


# --- properties ------------------------------------------------------------------------------------


@FAST
@given(texts)
def test_escape_reads_back(text: str) -> None:
    assert_read_back(escape(text), text)


@FAST
@given(texts, st.lists(st.sampled_from([*WORDS, "a", "Z9", "#"]), max_size=3))
def test_protect_title_reads_back(text: str, terms: list[str]) -> None:
    value = protect_title(text, terms)
    if any(ch.isspace() for ch in normalize_text(text)):
        assert not wraps_whole_value(value)
    assert_read_back(value, text)


@FAST
@given(texts)
def test_protect_title_with_math_parses(text: str) -> None:
    value = protect_title(text, keep_math=True)
    assert_balanced(value)
    pybtex.database.parse_string(entry(value), "bibtex")
    decode_with_bibtexparser(value)


# Math that must be kept verbatim, and pieces (\( \= % \\ stray braces) that must make it escaped.
math_bodies = st.lists(
    st.sampled_from([*"xyN12+-=()^_ {}%#&~`'", r"\ell", r"\log", r"\{", r"\}", "\\", r"\(", r"\="])
).map("".join)
plain = st.lists(st.sampled_from([*"abGPT -:%&{}", "LLaMA"]), max_size=10).map("".join)


@FAST
@given(st.lists(st.tuples(plain, math_bodies), max_size=4))
def test_kept_math_reads_back(parts: list[tuple[str, str]]) -> None:
    title = "".join(f"{text} ${body.strip() or 'x'}$ " for text, body in parts)
    assert_read_back(protect_title(title, keep_math=True), title)


@FAST
@given(st.text(alphabet="aAzZ09 -.é\u0301ΣσЖж中ǅ", max_size=30), st.booleans())
def test_titles_passed_over_quickly_have_no_word_to_protect(text: str, shouting: bool) -> None:
    # Most titles skip the word-by-word case rules: that must never lose a word the rules would protect.
    shape = latex._shape(text)
    if latex._MAY_NEED_PROTECTION.search(shape) is None:
        words = [m.group() for m in latex._WORD.finditer(shape)]
        assert not [w for w in words if latex._needs_protection(w, shouting)]
