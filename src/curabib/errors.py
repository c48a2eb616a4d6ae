"""The errors curabib reports to its user: bad input names its file and line."""

from __future__ import annotations

from pathlib import Path


class EntryError(ValueError):
    """Bad input in an entries file: `file:line: message`."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.detail = str(path), line, message


class InputError(ValueError):
    """Bad input as a whole (a file that cannot be read, is not text): `file: message`."""
