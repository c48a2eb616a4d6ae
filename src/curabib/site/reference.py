"""Formatted references, rendered by citeproc-py from the work's CSL-JSON item (APA unless another CSL style
is given). Pure: the style's XML is passed in as bytes; citeproc-py reads only its own locale files.

Each work is rendered on its own, once, however many sections list it: its text then never depends on
which other works a page holds (a bibliography of all of them would renumber "2020a"/"2020b" from page to
page), and the same work reads the same everywhere.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import citeproc
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, model
from citeproc.formatter.html import TagWrapper
from citeproc.source.json import CiteProcJSON


def _escape(text: object) -> str:
    return html.escape(str(text), quote=True)


# citeproc-py escapes the style's own text (affixes, terms) through the formatter's `preformat`, but not
# the item's values: a title `<script>` would come out as markup. So each character HTML gives a meaning
# to is swapped for a private-use stand-in before rendering (case changes leave those alone, where they
# would mangle an entity such as `&amp;`), and the stand-ins become entities afterwards.
_MARKUP = "&<>\"'"
_STAND_INS = "".join(chr(0xE000 + n) for n in range(len(_MARKUP)))
_HIDE = str.maketrans(
    {**dict.fromkeys(map(ord, _STAND_INS)), **dict(zip(map(ord, _MARKUP), _STAND_INS, strict=True))}
)
_SHOW = str.maketrans(
    dict(zip(map(ord, _STAND_INS), [html.escape(c, quote=True) for c in _MARKUP], strict=True))
)


def _hidden(value: Any) -> Any:
    """`value` (a CSL item's value: text, a list or a mapping of them) with markup characters stood in."""
    if isinstance(value, str):
        return value.translate(_HIDE)
    if isinstance(value, list):
        return [_hidden(v) for v in value]
    if isinstance(value, dict):
        return {k: _hidden(v) for k, v in value.items()}
    return value


def _tag(name: str, tag: str, css_class: str | None = None) -> Any:
    """A citeproc-py wrapper class: wraps a text in `<tag>` (with a class)."""
    return type(name, (TagWrapper,), {"tag": tag, "attributes": {"class": css_class} if css_class else None})


class _HtmlFormatter:
    """The formatter interface citeproc-py calls (a module in the library: `preformat` and one wrapper
    class per font style). Unlike citeproc-py's own HTML formatter, the style's text is escaped with quotes
    too, and small caps and light text are classes rather than inline styles or the non-HTML `<l>`."""

    preformat = staticmethod(_escape)
    Italic = _tag("Italic", "i")
    Oblique = _tag("Oblique", "i")
    Bold = _tag("Bold", "b")
    Light = _tag("Light", "span", "light")
    Underline = _tag("Underline", "u")
    Superscript = _tag("Superscript", "sup")
    Subscript = _tag("Subscript", "sub")
    SmallCaps = _tag("SmallCaps", "span", "sc")


# citeproc-py answers its questions about the style (which macro is called X, which group encloses this
# node, which term...) with an XPath query each time, and whether a node calls a variable by walking its
# subtree each time: tens of thousands of times per hundred works, two thirds of its time with APA. The
# answers depend on the style's tree alone, which never changes once parsed, so each is computed once.
# Keyed by the element, which the key keeps alive (lxml hands out the same Python element for a node
# while one is alive, so the identity holds).
_XPATH: dict[tuple[Any, str], tuple[Any, ...]] = {}
_CALLS: dict[Any, bool] = {}
_xpath_search = model.CitationStylesElement.xpath_search
_calls_variable = model.Parent.calls_variable


def _cached_xpath_search(element: Any, expression: str) -> list[Any]:
    found = _XPATH.get((element, expression))
    if found is None:
        found = _XPATH[element, expression] = tuple(_xpath_search(element, expression))
    return list(found)


def _cached_calls_variable(element: Any) -> bool:
    calls = _CALLS.get(element)
    if calls is None:
        calls = _CALLS[element] = bool(_calls_variable(element))
    return calls


def _cached_reference(item: Any) -> Any:
    """A citation item's reference, looked up in its bibliography's source once (citeproc-py asks for it
    at every node it renders) and kept in the item, a dict: under a name no CSL variable has."""
    found = dict.get(item, _REFERENCE)
    if found is None:
        found = _reference.fget(item)
        dict.__setitem__(item, _REFERENCE, found)
    return found


_REFERENCE = " reference"
_reference = CitationItem.reference
model.CitationStylesElement.xpath_search = _cached_xpath_search
model.Parent.calls_variable = _cached_calls_variable
CitationItem.reference = property(_cached_reference)
PATCHED = {  # what the module replaced in citeproc-py, with the originals (the tests compare the two)
    (model.CitationStylesElement, "xpath_search"): (_xpath_search, _cached_xpath_search),
    (model.Parent, "calls_variable"): (_calls_variable, _cached_calls_variable),
    (CitationItem, "reference"): (_reference, CitationItem.reference),
}


# CSL: "Substituted variables are suppressed in the rest of the output to prevent duplication." citeproc-py
# suppresses a substitute only when it names a variable itself (`<names variable="editor"/>`), not when it
# renders one through a macro (`<text macro="title"/>`, APA's substitute for a missing author): every work
# without authors, most of a list's, read "Title. (2020). Title." The variables a substitute renders are
# recorded here and suppressed after it, as the specification says.
_SUBSTITUTING: list[set[tuple[str, str]]] = []  # one set per substitute being rendered, innermost last
_text_variable = model.Text._variable
_substitute_render = model.Substitute.render


def _recording_variable(element: Any, item: Any, context: Any) -> Any:
    text = _text_variable(element, item, context)
    if _SUBSTITUTING and text:
        _SUBSTITUTING[-1].add((element.tag, str(element.get("variable"))))
    return text


def _suppressing_render(substitute: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """`Substitute.render`, which also suppresses the variables a macro rendered in its place."""
    text = None
    for child in substitute.getchildren():
        _SUBSTITUTING.append(set())
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = substitute.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            continue
        finally:
            used = _SUBSTITUTING.pop()
            if _SUBSTITUTING:
                _SUBSTITUTING[-1] |= used
        if text:
            substitute.add_to_repressed_list(child, context)
            repressed = context.get_layout().repressed
            for tag, variable in sorted(used):
                repressed.setdefault(tag, []).append(variable)
            break
    return text


model.Text._variable = _recording_variable
model.Substitute.render = _suppressing_render


# CSL: "capitalize-first: capitalizes the first character of the first word, if the word is lowercase";
# "capitalize-all: capitalizes the first character of every lowercase word". citeproc-py capitalizes any
# word, so every arXiv preprint read "(ArXiv:2307.00589)" in APA, which capitalizes the number's first
# letter for the report numbers it expects.
_case = model.TextCased.case


def _case_lowercase_words_only(element: Any, text: Any, language: Any = None) -> Any:
    """`TextCased.case`, leaving a word that is not lowercase ("arXiv", "GPT-4") as written."""
    text_case = element.get("text-case")
    if text_case == "capitalize-first":
        first = next(iter(text.words()), None)
        return text.capitalize_first() if first is not None and first.islower() else text
    if text_case == "capitalize-all":
        return " ".join(word.capitalize_first() if word.islower() else word for word in text.words())
    return _case(element, text, language)


model.TextCased.case = _case_lowercase_words_only


# The terms "retrieved" and "accessed" introduce the date a page was read, which styles take for granted
# (Zotero records one for every item). Our items have none (a date we did not see would be invented), and
# APA then printed "Retrieved https://github.com/..." for every undated page and repository: without the
# date the term says nothing, and is left out.
_ACCESS_TERMS = frozenset({"retrieved", "accessed"})
_term = model.Text._term


def _term_with_its_date(element: Any, item: Any) -> Any:
    """`Text._term`, empty for a term of the accessed date when the item has none."""
    if element.get("term") in _ACCESS_TERMS and "accessed" not in item.reference:
        return None
    return _term(element, item)


model.Text._term = _term_with_its_date


# Part of every rendering's digest: change it when this module renders differently.
_RENDERING = f"curabib-reference-3 citeproc-py-{citeproc.__version__}"


# A function like the builtin `map` (which is the default): how `References` renders the references it
# does not know. The project's edge passes one that spreads them over processes.
MapItems = Callable[[Callable[[Mapping[str, Any]], str], Sequence[Mapping[str, Any]]], Iterable[str]]

_STYLES: dict[bytes, Any] = {}  # parsed styles by their XML, once per process


def _parsed(style: bytes) -> Any:
    parsed = _STYLES.get(style)
    if parsed is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns about every CSL feature it lacks
            parsed = _STYLES[style] = CitationStylesStyle(io.BytesIO(style), validate=False)
    return parsed


def render(style: bytes, item: Mapping[str, Any]) -> str:
    """The item's bibliography entry in `style` (a CSL style's XML) as escaped HTML (only `<i>`, `<b>`,
    `<span>`, `<u>`, `<sup>`, `<sub>` markup), or an empty string when the style gives it nothing. A module
    function, so that another process can run it."""
    data = {name: _hidden(value) for name, value in item.items() if name != "citation-key"}
    data["id"] = "item"  # citeproc-py lower-cases ids; one item per bibliography needs no real one
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_parsed(style), CiteProcJSON([data]), _HtmlFormatter)
        bibliography.register(Citation([CitationItem("item")]))
        entries = bibliography.bibliography()
    return str(entries[0]).translate(_SHOW) if entries else ""


class References:
    """A CSL style that renders CSL items as HTML fragments (`render`), remembering what it rendered.

    citeproc-py takes a few milliseconds a reference (most of a site's time), and a list changes a few
    works at a time: `known` holds the renderings of an earlier run by digest (of the style, the item and
    this module's version), and `rendered` those of this run, for the next one. The ones not known are
    rendered together, through `map_items`. Same bytes either way."""

    def __init__(
        self, style: bytes, known: Mapping[str, str] | None = None, map_items: MapItems = map
    ) -> None:
        self._digest = hashlib.sha256(_RENDERING.encode() + b"\0" + style)
        self._known = known or {}
        self._map = map_items
        self._style = style
        self.rendered: dict[str, str] = {}

    def _name(self, item: Mapping[str, Any]) -> str:
        digest = self._digest.copy()
        digest.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode())
        return digest.hexdigest()

    def render_all(self, items: Sequence[Mapping[str, Any]]) -> list[str]:
        """Each item's entry (as `render` makes it), in order."""
        names = [self._name(item) for item in items]
        todo = {name: item for name, item in zip(names, items, strict=True) if name not in self._known}
        if todo:
            _parsed(self._style)  # here, before `map_items` spreads the work: forked processes inherit it
        made = dict(zip(todo, self._map(partial(render, self._style), list(todo.values())), strict=True))
        texts = [made[name] if name in made else self._known[name] for name in names]
        self.rendered.update(zip(names, texts, strict=True))
        return texts

    def render(self, item: Mapping[str, Any]) -> str:
        """One item's entry (see `render`)."""
        return self.render_all([item])[0]
