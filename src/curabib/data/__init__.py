"""Reference tables the pure stages look things up in (venues, terms whose case BibTeX keeps): package data,
read once and cached. The one place outside `project/` that reads a file, and only curabib's own."""
