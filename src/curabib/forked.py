"""Spread a per-item computation over forked processes, with the results and errors of a plain loop.

Reading the entry files, rendering the works and writing the output files are most of a large build, and
each file and each work stands alone, so on a machine with several cores the items are dealt out like
cards: forked children take every `jobs`-th item from the second on and send their results back pickled
through a pipe, while this process does its own share. A fork shares the inputs without copying or
pickling them. Forking is used only where it is safe and pays: a platform with `fork` (not macOS, where
system libraries may not survive a fork without exec), a process with no other thread (a lock another
thread held at the fork would stay locked in the child), and at least two items.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
# The results of one share, and where it stopped: the failing item's index in the share and its exception.
_Outcome = tuple[list[Any], tuple[int, BaseException] | None]


def default_jobs(items: int, minimum_per_job: int) -> int:
    """How many processes are worth it: one per core, each with at least `minimum_per_job` items."""
    return max(1, min(os.cpu_count() or 1, items // minimum_per_job))


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


@dataclass(frozen=True)
class Codec(Generic[R]):
    """How a child sends a result when pickling it would be slow (many small objects): as pieces of bytes,
    each decoded by this process while the child encodes the next."""

    encode: Callable[[R], Iterator[bytes]]
    decode: Callable[[Iterator[bytes]], R]


def map_in_processes(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    progress: Callable[[int], None] = lambda n: None,
    codec: Codec[R] | None = None,
) -> list[R]:
    """`[function(i) for i in items]`, computed by up to `jobs` processes when `can_fork()`. It raises what
    that loop would raise: the exception of the first item that fails. `progress` is told how many items
    are done, this process's one by one and each child's share when it arrives. A child's results go
    through `codec` when one is given."""
    jobs = min(jobs, len(items))
    if jobs <= 1 or not can_fork():
        results, failure = _run(function, items, progress)
        if failure:
            raise failure[1]
        return results
    shares = [items[j::jobs] for j in range(jobs)]
    children = [_fork(function, share, codec) for share in shares[1:]]
    outcomes = [_run(function, shares[0], progress)]
    for (pid, reader), share in zip(children, shares[1:], strict=True):
        outcomes.append(_collect(pid, reader, codec))
        progress(len(share))
    failures = [(failure[0] * jobs + j, failure[1]) for j, (_, failure) in enumerate(outcomes) if failure]
    if failures:
        raise min(failures, key=lambda f: f[0])[1]  # the item a plain loop would have failed on
    merged: list[Any] = [None] * len(items)
    for j, (results, _) in enumerate(outcomes):
        merged[j::jobs] = results
    return merged


def _run(function: Callable[[T], R], share: Sequence[T], progress: Callable[[int], None]) -> _Outcome:
    results = []
    for index, item in enumerate(share):
        try:
            results.append(function(item))
        except Exception as error:
            return results, (index, error)
        progress(1)
    return results, None


def _fork(function: Callable[[T], R], share: Sequence[T], codec: Codec[R] | None) -> tuple[int, int]:
    reader, writer = os.pipe()
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl  # not on Windows, which has no fork either

        # A larger pipe (Linux: 1 MB, the most an ordinary user may ask for) needs 16 times fewer wake-ups
        # of each process by the other: 100 MB of results went through 2.5 times faster.
        fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, 1 << 20)
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    # The child: compute, send, and leave without running the parent's exit handlers or flushing its buffers.
    status = 0
    try:
        os.close(reader)
        results, failure = _run(function, share, lambda n: None)
        if failure is not None and not _pickles(failure[1]):
            failure = failure[0], RuntimeError("".join(traceback.format_exception(failure[1])))
        with os.fdopen(writer, "wb") as pipe:
            # Pickled straight into the pipe, a frame at a time: no second copy of the results in memory.
            send = functools.partial(pickle.dump, file=pipe, protocol=pickle.HIGHEST_PROTOCOL)
            send(len(results))
            for result in results:
                if codec is None:
                    send(result)
                    continue
                for piece in codec.encode(result):
                    send(piece)
                send(None)
            send(failure)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _pickles(error: BaseException) -> bool:
    try:
        pickle.dumps(error)
    except Exception:
        return False
    return True


def _collect(pid: int, reader: int, codec: Codec[R] | None) -> _Outcome:
    try:
        with os.fdopen(reader, "rb") as pipe:
            receive = functools.partial(pickle.load, pipe)
            results = [codec.decode(iter(receive, None)) if codec else receive() for _ in range(receive())]
            failure = receive()
    except (EOFError, pickle.UnpicklingError) as error:
        _, status = os.waitpid(pid, 0)
        raise RuntimeError(f"a helper process ended without a result (wait status {status})") from error
    os.waitpid(pid, 0)
    return results, failure
