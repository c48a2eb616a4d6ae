"""Every error curabib reports to its user, in one place.

Input errors (exit 2) name what is wrong and how to fix it: `EntryError` with the file and line,
`InputError` for a whole file or argument. Fetch errors (exit 1 at the end of a run) are reported per
entry while the rest of the run goes on.
"""

from __future__ import annotations

from pathlib import Path


class EntryError(ValueError):
    """Bad input in an entries file: `file:line: message`."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.detail = str(path), line, message


class InputError(ValueError):
    """Bad input as a whole (a file that cannot be read, is not text, a selector naming nothing)."""


class MarkdownImportError(InputError):
    """The file cannot be imported as a list (not text, not Markdown, no items)."""


class UnknownSelector(InputError):
    """A `refresh` selector that names no list, section or key."""


class NotFound(LookupError):
    """No source knows the identifier given to `add` (the API answered: no such work): nothing is added."""


class CouldNotAsk(Exception):
    """`add` could not get an answer (a host unreachable, a request failed for good): nothing is added."""


class FetchError(Exception):
    """A request that failed for good (after retries): reported per entry, the run goes on."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class RetryableError(FetchError):
    """429, 5xx, a timeout, a reset connection or a malformed body: worth another try later."""


class ConnectionFailure(RetryableError):
    """No answer at all: the connection was refused, the name did not resolve, or the host stayed silent
    until the timeout. Counted per host: a few in a row and the host is given up (`UnreachableError`)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # in a few plain words: "connection refused", "no answer within 30 s"


class UnreachableError(FetchError):
    """A host given up for this run after repeated connection failures: it is not asked again."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"cannot reach {host}: {reason}")
        self.host, self.reason = host, reason


class BudgetSpent(UnreachableError):
    """A host that answers but allows no more requests for now (GitHub's hourly budget): given up for this
    run like an unreachable one, and said as what it is, with when to run again (`reason`)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(host, reason)
        self.args = (f"{host}: {reason}",)


class BadBatchError(FetchError):
    """One id spoils a whole batch request (arXiv's error feed): the executor halves the batch to find it."""
