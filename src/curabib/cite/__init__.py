"""From a list to a paper: finding works and keys, and the bibliography of exactly what one paper cites.
Pure: the project reads the files (`project/papers.py`) and hands their text and the merged works here."""
