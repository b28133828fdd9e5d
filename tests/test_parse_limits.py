"""Issue 11 #2/#3: each file is parsed under a memory, a time and a page limit; a file past a
limit, or whose worker dies or hangs, is its own `resource_limit` ingest error and the batch goes
on; a file that failed with the same bytes is not read again unless asked."""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest

from dagster_project import parse_limits
from dagster_project.ingest import SourceFile, load_files, read_for_load, report_key
from dagster_project.parse_limits import ParseLimits, parse_file, parse_files
from dagster_project.warehouse.load import connect
from tests.hostile_files import bomb_pdf, many_pages_pdf

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"
# Low limits for the test: a real report needs far less than 150 MB beyond the worker's start;
# the bomb expands to 400 MB.
LOW = ParseLimits(memory_mb=150, seconds=20, max_pages=10)


def source(path: Path) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(path, hashlib.sha256(data).hexdigest(), len(data))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "bomb.pdf").write_bytes(bomb_pdf(400))
    (folder / "many-pages.pdf").write_bytes(many_pages_pdf(40))
    (folder / "good.txt").write_bytes(SEED.read_bytes())
    return folder


def test_bomb_is_a_resource_limit_naming_the_memory_limit(hostile):
    bomb = hostile / "bomb.pdf"
    assert bomb.stat().st_size < 1_000_000  # small on disk, 400 MB expanded
    result = parse_file(source(bomb), LOW)
    assert result.facts is None
    [problem] = result.problems
    assert problem.kind == "resource_limit" and problem.fatal
    assert "150 MB" in problem.message and "JUESUAN_PARSE_MEMORY_MB" in problem.message


def test_page_cap(hostile):
    result = parse_file(source(hostile / "many-pages.pdf"), LOW)
    [problem] = result.problems
    assert problem.kind == "resource_limit"
    assert "40 pages" in problem.message and "page cap of 10" in problem.message


def test_a_good_file_parses_under_the_limits(hostile):
    result = parse_file(source(hostile / "good.txt"), LOW)
    assert result.facts is not None and result.facts.unit_name == "武汉市蔡甸区总工会本级"  # its 单位： line (L37)
    assert not [p for p in result.problems if p.fatal]


# Readers standing in for a parse that hangs, hangs where no signal reaches it, or kills its
# worker (a crash in C): module-level, so the pool's workers can be sent them.
def _sleepy(src: SourceFile, max_pages: int | None):
    if src.path.name.startswith("hang"):
        time.sleep(60)
    if src.path.name.startswith("deaf"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if src.path.name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return read_for_load(src, max_pages)


def test_batch_goes_on_past_hangs_and_dead_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(parse_limits, "GRACE_SECONDS", 1.0)
    names = ["a.txt", "hang.txt", "b.txt", "crash.txt", "c.txt", "deaf.txt", "d.txt", "e.txt",
             "f.txt"]
    for name in names:
        (tmp_path / name).write_bytes(SEED.read_bytes())
    limits = ParseLimits(memory_mb=500, seconds=1.5, max_pages=10)
    start = time.monotonic()
    results = list(parse_files([source(tmp_path / n) for n in names], 2, limits, _sleepy))
    assert time.monotonic() - start < 30
    assert [r.source.path.name for r in results] == names  # input order
    by_name = {r.source.path.name: r for r in results}
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"):
        assert by_name[name].facts is not None, by_name[name].problems
    for name in ("hang.txt", "deaf.txt"):
        [problem] = by_name[name].problems
        assert problem.kind == "resource_limit" and "time limit of 1.5 s" in problem.message
    [problem] = by_name["crash.txt"].problems
    assert problem.kind == "resource_limit" and "SIGKILL" in problem.message


def test_failed_bytes_are_not_read_again_unless_asked(hostile, tmp_path, monkeypatch):
    keys = sorted(report_key(hostile, p) for p in hostile.iterdir())
    with connect(tmp_path / "w.duckdb") as con:
        first = load_files(con, hostile, keys, workers=2, limits=LOW, retry_failed=False)
        status = {o.file_name: o.status for o in first.outcomes}
        assert status == {"bomb.pdf": "failed", "many-pages.pdf": "failed", "good.txt": "loaded"}
        kinds = dict(con.execute("select file_name, error_kind from raw.ingest_errors "
                                 "where is_fatal").fetchall())
        assert kinds == {"bomb.pdf": "resource_limit", "many-pages.pdf": "resource_limit"}

        # Not parsed again: a parse would fail the test.
        def no_parse(sources, *args, **kwargs):
            assert not sources, f"read again: {[s.path.name for s in sources]}"
            return iter([])

        monkeypatch.setattr("dagster_project.ingest.read_all", no_parse)
        second = load_files(con, hostile, keys, workers=2, limits=LOW, retry_failed=False)
        messages = {o.file_name: (o.status, o.message or "") for o in second.outcomes}
        assert messages["good.txt"][0] == "unchanged"
        assert messages["bomb.pdf"][0] == "failed" and "--retry-failed" in messages["bomb.pdf"][1]
        monkeypatch.undo()
        retried = load_files(con, hostile, ["many-pages.pdf"], limits=LOW, retry_failed=True)
        assert [o.status for o in retried.outcomes] == ["failed"]
        assert "page cap" in (retried.outcomes[0].message or "")


# The run whose workers must die with it: a pool parsing files with a reader that records its
# pid and sleeps; the test kills it with SIGKILL mid-parse.
_ORPHAN_SCRIPT = """
import os, sys, time
from pathlib import Path
from dagster_project.ingest import SourceFile
from dagster_project.parse_limits import ParseLimits, parse_files

def slow(src, max_pages):
    (Path(sys.argv[1]) / str(os.getpid())).write_text("parsing")
    time.sleep(120)

folder = Path(sys.argv[1])
sources = [SourceFile(folder / f"r{i}.txt", str(i), 1) for i in range(int(sys.argv[2]))]
list(parse_files(sources, 2, ParseLimits(500, 300, 10), slow))
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, waiting to be reaped


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("files", [1, 6])
def test_workers_die_with_a_killed_run(tmp_path, files):
    import subprocess
    import sys

    run = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT, str(tmp_path), str(files)],
                           cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        expected = min(files, 2)
        while len(list(tmp_path.iterdir())) < expected:
            assert run.poll() is None and time.monotonic() < deadline, "workers never started"
            time.sleep(0.1)
        workers = [int(p.name) for p in tmp_path.iterdir()]
        assert workers and all(_alive(pid) for pid in workers)
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "parse workers outlived the killed run"
