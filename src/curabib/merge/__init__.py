"""Stage 3, merge: curated items + fetched records -> one normalized `Work` per citation key. Pure.

`keys.py` gives and keeps citation keys, `fields.py` chooses each field by the precedence table,
`names.py` and `normalize.py` clean names, titles, venues and URLs, `works.py` runs it all per key and
lets dedupe join the keys that are one work."""
