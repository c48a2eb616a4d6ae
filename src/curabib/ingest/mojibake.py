"""Mojibake repair at import: UTF-8 text that was once decoded as Mac Roman, Windows-1252 or Latin-1
(`human‚Äìhuman` for `human–human`, `Ã©` for `é`) is put back, with ftfy. Pure.

Only the encoding is repaired, and only where ftfy is sure: its badness heuristic leaves text that could be
meant as written (Chinese titles, accented names, curly quotes, ligatures, full-width letters) as it is. Every
other ftfy fix (HTML entities, quotes, ligatures, widths, line breaks, control characters, normalization)
is off: those would change what the curator wrote, not repair it.
"""

from __future__ import annotations

import functools

from ftfy import TextFixerConfig, fix_text

_ENCODING_ONLY = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=False,  # a lost byte cannot be known: keep what was written
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@functools.lru_cache(maxsize=1 << 12)  # a citation's text is cleaned several times while it is read
def repair(text: str) -> str:
    """`text` with its mojibake undone; ASCII text (most of it) is returned at once, it cannot be mojibake."""
    if text.isascii():
        return text
    return fix_text(text, _ENCODING_ONLY)
