"""Work spread over forked processes gives what one process gives: same results, same order, same error."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from conftest import Built, run
from curabib.entries import EntryError
from curabib.forked import can_fork, map_in_processes
from curabib.fsutil import replace_tree

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def test_results_come_back_in_order_from_several_processes() -> None:
    assert can_fork()
    done: list[int] = []
    results = map_in_processes(lambda n: (n * n, os.getpid()), range(50), jobs=3, progress=done.append)
    assert [square for square, _ in results] == [n * n for n in range(50)]
    assert len({pid for _, pid in results}) == 3
    assert sum(done) == 50


def test_the_first_failing_item_raises_its_own_error_as_a_plain_loop_would() -> None:
    def check(n: int) -> int:
        if n in (7, 12):  # 7 falls to a helper process with 2 jobs (odd items), 12 to this one
            raise EntryError(f"entries/list-{n}.yaml", n, "something is wrong")
        return n

    with pytest.raises(EntryError) as err:
        map_in_processes(check, range(20), jobs=2)
    assert str(err.value) == "entries/list-7.yaml:7: something is wrong"
    assert err.value.line == 7


def test_an_exception_that_cannot_be_pickled_still_reports_its_traceback() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find it by name
        pass

    def fail(n: int) -> int:
        if n == 1:
            raise Local("bad item")
        return n

    with pytest.raises(RuntimeError, match="bad item"):
        map_in_processes(fail, range(4), jobs=2)


def test_nothing_is_forked_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = map_in_processes(lambda n: os.getpid(), range(10), jobs=4)
    finally:
        stop.set()
        thread.join()
    assert set(results) == {os.getpid()}


def test_build_writes_the_same_bytes_with_any_number_of_processes(seeds_built: Built, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "3"):
        result = run(seeds_built.root, "build", "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs.append(
            {
                p.relative_to(seeds_built.bib): p.read_bytes()
                for p in seeds_built.bib.rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]
    assert run(seeds_built.root, "build", "--check", "--jobs", "2").exit_code == 0


def test_a_bad_entry_file_read_by_a_helper_process_gives_the_usual_error(project: Path) -> None:
    good = "list: {name}\nsections:\n- heading: H\n  items:\n  - key: k{name}\n    title: T\n"
    for name in ("a", "b", "c"):
        (project / "entries" / f"{name}.yaml").write_text(good.format(name=name), encoding="utf-8")
    (project / "entries" / "b.yaml").write_text(good.format(name="b") + "    year: soon\n", encoding="utf-8")
    result = run(project, "build", "--jobs", "3")  # b.yaml is the second file: a helper process reads it
    assert result.exit_code == 2
    assert "b.yaml:7: 'year' must be a four-digit year" in result.output
    assert not (project / "bib").exists()


def test_a_failure_while_writing_leaves_the_folder_as_it_was_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "bib"
    replace_tree(target, {"a.bib": "old\n"})

    def failing_pieces() -> Iterator[bytes]:
        yield b"half"
        raise OSError(28, "No space left on device")

    def listing_that_fails() -> Iterator[tuple[str, Iterable[bytes]]]:
        yield "a.bib", [b"new\n"]
        raise ValueError("a rendering bug")

    for files in ([("a.bib", [b"new\n"]), ("b.bib", failing_pieces())], listing_that_fails()):
        with pytest.raises((OSError, ValueError)):
            replace_tree(target, files, jobs=2)  # b.bib is written by a helper process
        assert (target / "a.bib").read_text(encoding="utf-8") == "old\n"
        assert [p.name for p in tmp_path.iterdir()] == ["bib"]
