"""curabib: curated Markdown paper lists to clean per-section bibliographies."""

__version__ = "0.1.0"
