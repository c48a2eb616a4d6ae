"""Titles typed in capitals are exported in title case; names, terms, numbers and other titles keep their case."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run
from curabib.export.latex import protect_title
from curabib.ids import Identifier
from curabib.merge.normalize import STEPS, normalize
from curabib.merge.title_case import title_case
from curabib.model import Work

ELECTRA = "ELECTRA: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS"
ELECTRA_CASED = "ELECTRA: Pre-Training Text Encoders as Discriminators Rather Than Generators"
FLAN = "FINETUNED LANGUAGE MODELS ARE ZERO-SHOT LEARNERS"
FLAN_CASED = "Finetuned Language Models Are Zero-Shot Learners"


def test_electra_title_keeps_its_name_and_lowers_the_rest() -> None:
    assert title_case(ELECTRA, "ELECTRA") == ELECTRA_CASED
    assert title_case(ELECTRA) == ELECTRA_CASED  # ELECTRA is a built-in term too


def test_flan_title_zero_shot_is_the_number_not_deepspeeds_zero() -> None:
    assert title_case(FLAN, "FLAN") == FLAN_CASED


@pytest.mark.parametrize(
    ("title", "label", "cased"),
    [
        # The shouting titles of our own lists (entries/*.yaml, tests/fixtures/seeds/*.txt).
        (
            "ERNIE 3.0: LARGE-SCALE KNOWLEDGE ENHANCED PRE-TRAINING FOR LANGUAGE UNDERSTANDING AND GENERATION",
            "ERNIE 3.0",
            "ERNIE 3.0: Large-Scale Knowledge Enhanced Pre-Training for Language Understanding and Generation",
        ),
        # Words with a digit as written, terms in their own spelling.
        (
            "SCALING T5 AND LLAMA TO 176B PARAMETERS WITH GPT3 DATA",
            None,
            "Scaling T5 and LLaMA to 176B Parameters with GPT3 Data",
        ),
        (
            "FINETUNING ROBERTA AND BERT-BASED MODELS ON GLUE",
            None,
            "Finetuning RoBERTa and BERT-Based Models on GLUE",
        ),
        (
            "INSTRUCTION TUNING WITH HUGGING FACE AND CHATGPT",
            None,
            "Instruction Tuning with Hugging Face and ChatGPT",
        ),
        # A name numbered with a hyphen, a Roman numeral.
        ("COVID-19 AND GPT-4: A STUDY, PART II", None, "COVID-19 and GPT-4: A Study, Part II"),
        # Small words: first word, after a colon or a dash, inside and at the start of hyphenated words.
        (
            "THE STATE-OF-THE-ART: A SURVEY OF IN-CONTEXT LEARNING",
            None,
            "The State-of-the-Art: A Survey of In-Context Learning",
        ),
        ("LEARNING TO REASON - AN OVERVIEW OF METHODS", None, "Learning to Reason - An Overview of Methods"),
        ("WHAT'S IN A MODEL'S WEIGHTS? THE ANSWER", None, "What's in a Model's Weights? The Answer"),
        # The label's own spelling wins over a term's; a lower-case or shouting label is no spelling.
        (
            "LLAMA: OPEN AND EFFICIENT FOUNDATION MODELS",
            "Llama",
            "Llama: Open and Efficient Foundation Models",
        ),
        (
            "LLAMA: OPEN AND EFFICIENT FOUNDATION MODELS",
            "llama",
            "LLaMA: Open and Efficient Foundation Models",
        ),
        ("NEW GIANT MODELS ARE HERE", "NEW GIANT MODELS", "New Giant Models Are Here"),
        ("XYZNET: NEW GIANT MODELS", "XyzNet", "XyzNet: New Giant Models"),
        # An acronym that is no term and no label is a plain word: the accepted miss.
        ("XYZNET: NEW GIANT MODELS", None, "Xyznet: New Giant Models"),
    ],
)
def test_shouting_titles(title: str, label: str | None, cased: str) -> None:
    assert title_case(title, label) == cased


def test_tex_math_of_an_arxiv_title_is_kept() -> None:
    title = r"LOWER BOUNDS IN $O(N \LOG N)$ FOR THE $\ELL_1$ COST"
    assert title_case(title, math=True) == r"Lower Bounds in $O(N \LOG N)$ for the $\ELL_1$ Cost"
    assert title_case(title) == r"Lower Bounds in $O(N \Log N)$ for the $\Ell_1$ Cost"


@pytest.mark.parametrize(
    "title",
    [
        "Attention Is All You Need",
        "Exploring the limits of transfer learning with a unified text-to-text transformer",
        "GPT-4",
        "LLAMA",
        "BERT: NLP",
        "ELECTRA",
        "RLHF for LLMs: a Survey of PPO, DPO and KTO",  # all-caps words, but not most of the words
        "ÉTUDE DES",  # two words: a name, not shouting
        "",
    ],
)
def test_a_title_that_does_not_shout_stays_byte_for_byte(title: str) -> None:
    assert title_case(title, "ELECTRA") == title
    assert title_case(title, math=True) == title


@pytest.mark.parametrize(
    "title",
    [
        ELECTRA,
        FLAN,
        "COVID-19 AND GPT-4: A STUDY, PART II",
        "GLUE MMLU BERT AND GPT BENCHMARKS",
        "DIE STRAßE ÜBER ALLES UND ßIG",
    ],
)
def test_recasing_twice_changes_nothing(title: str) -> None:
    once = title_case(title, "ELECTRA")
    assert title_case(once, "ELECTRA") == once


# Shouting words, names and terms, numbers, and letters whose case mapping is unusual (ß, İ, ǅ, final Σ).
_PIECES = st.sampled_from(
    ["ELECTRA", "PRE", "TRAINING", "A", "OF", "THE", "ZERO", "LLAMA", "GPT", "4", "T5", "II", "MODEL", "S"]
) | st.sampled_from(
    ["ß", "STRAßE", "İSTANBUL", "ΣΟΦΟΣ", "ǅ", "$x$", "\\$", "ERNIE", "3.0", "HUGGING", "É", "e\u0301"]
)
_SEPARATORS = st.sampled_from([" ", "-", ": ", " - ", "'", "’", "/", ".", "—", " (", ") ", "", "?"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=12),
    st.one_of(st.none(), _PIECES, st.just("ERNIE 3.0")),
    st.booleans(),
)
def test_recasing_is_a_fixed_point(parts: list[tuple[str, str]], label: str | None, math: bool) -> None:
    title = "".join(word + separator for word, separator in parts)
    once = title_case(title, label, math=math)
    assert title_case(once, label, math=math) == once


def _work(title: str, label: str | None) -> Work:
    return Work(
        key="k",
        kind="paper",
        title=title,
        label=label,
        authors=(),
        et_al=False,
        year=2020,
        venue=None,
        url=None,
        ids=(Identifier("openreview", "r1xMH1BtvB"),),
    )


def test_normalize_recases_the_title_only_and_twice_changes_nothing() -> None:
    assert [step.__name__ for step in STEPS][:2] == ["_titles", "_title_case"]
    work = normalize(_work(ELECTRA + ".", "ELECTRA"))
    assert (work.title, work.label) == (ELECTRA_CASED, "ELECTRA")
    assert normalize(work) == work
    assert normalize(_work(FLAN, "FLAN")).title == FLAN_CASED


def test_the_exporter_braces_the_recased_title_by_the_same_rule() -> None:
    # Shouting, only the term is braced; recased, the title no longer shouts, and ELECTRA still is.
    assert (
        protect_title(ELECTRA)
        == "{ELECTRA}: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS"
    )
    assert (
        protect_title(ELECTRA_CASED)
        == "{ELECTRA}: Pre-Training Text Encoders as Discriminators Rather Than Generators"
    )


ENTRIES = """\
list: shouting
title: Shouting titles
items:
- key: electra2020pretraining
  key_provisional: true
  kind: paper
  label: ELECTRA
  title: 'ELECTRA: PRE-TRAINING TEXT ENCODERS AS DISCRIMINATORS RATHER THAN GENERATORS'
  year: 2020
  ids:
    openreview: r1xMH1BtvB
  links:
  - {kind: paper, url: 'https://openreview.net/pdf?id=r1xMH1BtvB'}
"""


def test_build_exports_title_case_and_leaves_the_entries_file_alone(project: Path) -> None:
    entries = project / "entries" / "shouting.yaml"
    entries.write_bytes(ENTRIES.encode("utf-8"))

    result = run(project, "build")

    assert result.exit_code == 0, result.output
    bib = (project / "bib" / "all.bib").read_text(encoding="utf-8")
    assert "title = {{ELECTRA}: Pre-Training Text Encoders as Discriminators Rather Than Generators}," in bib
    assert "PRE-TRAINING" not in bib
    csl = (project / "bib" / "all.json").read_text(encoding="utf-8")
    assert '"title": "ELECTRA: Pre-Training Text Encoders as Discriminators Rather Than Generators"' in csl
    assert entries.read_bytes() == ENTRIES.encode("utf-8")
