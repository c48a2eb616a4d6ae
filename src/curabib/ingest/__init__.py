"""Stage 1, import: an awesome list's Markdown -> a curated list (sections, items, typed links, ids). Pure.

`blocks.py` reads the Markdown (markdown-it), `citation.py` reads one citation's text,
`reference.py` a full reference (authors first) and where a paragraph's references part, `tables.py` a
table's columns by their headings, `items.py` turns drafts into items, `markdown.py` walks the document."""
