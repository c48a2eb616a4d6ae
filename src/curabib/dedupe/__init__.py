"""Stage 4, dedupe: which keys are one work (shared identifiers, or the same title, year and first author)
and which only look alike. Pure; `merge/works.py` applies its verdict."""
