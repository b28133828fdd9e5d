"""Reliability: a busy warehouse fails fast; a killed run leaves no half-loaded report;
mutated reports never crash the batch."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagster_project.ingest import (
    SourceFile,
    discover,
    load_files,
    load_results,
    read_all,
    read_one,
)
from dagster_project.warehouse.load import connect, ensure_schema

JUESUAN = Path(sys.executable).with_name("juesuan")
SEED_UNIT = "武汉市蔡甸区总工会本级"
# What one copy of the seed loads as, per raw table (narrative_facts: 121 stated numbers, 57
# statements about the report itself: 40 years, 14 unit names, 2 no-funds sentences, 1 member,
# and 5 changes on last year stated as amount and rate: L1851, L1854, L1858, L1861, L1869).
SEED_ROWS = {"report_tables": 9, "table_cells": 600, "narrative_facts": 183,
             "performance_evaluations": 3, "performance_indicators": 24}


def test_second_writer_fails_fast_with_a_clear_message(tmp_path, seed_path):
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c",
                               f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        proc = subprocess.run([str(JUESUAN), "run", "--reports", str(seed_path.parent),
                               "--warehouse", str(db)], capture_output=True, text=True,
                              check=False, timeout=60)
        assert proc.returncode == 3
        assert "in use by another process" in proc.stderr and str(db) in proc.stderr
        assert time.monotonic() - started < 30  # fails fast, no waiting on the lock
    finally:
        holder.kill()


def _without_table(lines: list[str], code: str) -> bytes:
    """The report with one of its 9 tables (title, header and rows) cut out."""
    starts = [i - 1 for i, line in enumerate(lines) if line.strip().startswith("公开0")]
    starts.append(next(i for i, line in enumerate(lines) if line.startswith("一、收入支出决算")))
    k = int(code) - 1
    return "\n".join(lines[:starts[k]] + lines[starts[k + 1]:]).encode()


def _mutations(text: str):
    lines = text.split("\n")
    n = len(lines)
    return st.one_of(
        st.sampled_from([f"{i:02d}" for i in range(1, 10)]).map(
            lambda code: ("missing-table", _without_table(lines, code))),
        st.integers(1, n).map(lambda k: ("truncate", "\n".join(lines[:k]).encode())),
        st.randoms(use_true_random=False).map(
            lambda r: ("shuffle", "\n".join(r.sample(lines, len(lines))).encode())),
        st.binary(min_size=1, max_size=4096).map(lambda b: ("garbage", b)),
        st.tuples(st.integers(0, n - 1), st.text(min_size=1, max_size=30)).map(
            lambda t: ("edit", "\n".join(lines[: t[0]] + ["\t" + t[1]] + lines[t[0] + 1:]).encode())),
        st.integers(0, n - 1).map(
            lambda i: ("huge", "\n".join(lines[:i] + ["\t" + "9" * 40] + lines[i + 1:]).encode())),
        st.sampled_from(["gb18030", "utf-16", "latin-1"]).map(
            lambda enc: ("encoding", text.encode(enc, errors="replace"))),
    )


SEED_TEXT = (Path(__file__).resolve().parents[1] / "seeds" / "reports" /
             "caidian-trade-union-2024.txt").read_text("utf-8")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=_mutations(SEED_TEXT))
def test_mutated_reports_load_or_fail_with_a_reason(tmp_path_factory, mutation):
    kind, data = mutation
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"mutated-{kind}.txt"
    path.write_bytes(data)
    result = read_one(SourceFile(path, hashlib.sha256(data).hexdigest(), len(data)))
    con = connect(folder / "w.duckdb")
    ensure_schema(con)
    summary = load_results(con, [result])
    outcome = summary.outcomes[0]
    if outcome.status == "failed":
        reasons = con.execute("select error_kind, message from raw.ingest_errors "
                              "where is_fatal").fetchall()
        assert reasons and all(k and m for k, m in reasons)
        # an unexpected exception is recorded too, but it is a bug in a reader
        assert "reader_crash" not in {k for k, _ in reasons}, reasons
        assert con.execute("select count(*) from raw.reports").fetchall() == [(0,)]
    else:
        assert outcome.status == "loaded"
        assert con.execute("select count(*) from raw.reports").fetchall() == [(1,)]
    con.close()


def _mutate(rng: random.Random, text: str) -> tuple[str, bytes]:
    """One mutation of the issue's list, drawn with `rng`."""
    lines = text.split("\n")
    kind = rng.choice(["truncate", "shuffle", "garbage", "encoding", "huge", "missing-table",
                       "edit"])
    if kind == "truncate":
        return kind, "\n".join(lines[:rng.randrange(1, len(lines))]).encode()
    if kind == "shuffle":
        return kind, "\n".join(rng.sample(lines, len(lines))).encode()
    if kind == "garbage":
        data = bytearray(text.encode())
        for _ in range(rng.randrange(1, 50)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "encoding":
        return kind, text.encode(rng.choice(["gb18030", "utf-16", "latin-1", "big5", "cp1252"]),
                                 errors="replace")
    if kind == "huge":
        i = rng.choice([i for i, line in enumerate(lines) if line.startswith("\t")])
        lines[i] = "\t" + rng.choice(["9" * 40, "1e308", "-" + "9" * 25 + ".99", "∞"])
        return kind, "\n".join(lines).encode()
    if kind == "missing-table":
        return kind, _without_table(lines, f"{rng.randrange(1, 10):02d}")
    i = rng.randrange(len(lines))
    lines[i] = "".join(rng.choice("\t 0123456789.,-万元合计（）%表") for _ in range(12))
    return kind, "\n".join(lines).encode()


def test_a_thousand_mutated_reports_load_or_fail_with_reasons(tmp_path):
    """The issue's batch: a thousand mutated reports in one folder, read on every core."""
    rng = random.Random(20240601)
    folder = tmp_path / "reports"
    folder.mkdir()
    kinds = {}
    for i in range(1000):
        kind, data = _mutate(rng, SEED_TEXT)
        (folder / f"m{i:04d}-{kind}.txt").write_bytes(data)
        kinds[kind] = kinds.get(kind, 0) + 1
    assert len(kinds) == 7
    con = connect(tmp_path / "w.duckdb")
    ensure_schema(con)
    summary = load_results(con, read_all(discover(folder)))
    assert len(summary.outcomes) == 1000
    assert {o.status for o in summary.outcomes} <= {"loaded", "unchanged", "failed"}
    failed_shas = {hashlib.sha256((folder / o.file_name).read_bytes()).hexdigest()
                   for o in summary.failed}
    reasons = dict(con.execute(
        "select sha256, list(error_kind || ': ' || message) from raw.ingest_errors "
        "where is_fatal group by sha256").fetchall())
    assert failed_shas <= set(reasons)  # every failed file has its reasons
    assert not any("reader_crash" in r for rs in reasons.values() for r in rs)
    # Every file is accounted for: its bytes loaded once, or failed with reasons.
    loaded = {r[0] for r in con.execute("select sha256 from raw.reports").fetchall()}
    every = {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert every == loaded | failed_shas and not loaded & failed_shas
    con.close()


def test_a_killed_run_leaves_every_report_all_in_or_all_out(tmp_path, seed_path):
    """SIGKILL `juesuan run` while it writes: the warehouse reopens, every report in it has all
    its rows, none has rows without its report, and a rerun completes the load."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "seed.txt").write_bytes(seed_path.read_bytes())
    db = tmp_path / "w.duckdb"
    with connect(db) as con:  # the warehouse before the run: the seed alone
        assert load_files(con, reports, ["seed.txt"]).count("loaded") == 1
    for i in range(300):
        (reports / f"copy-{i:03d}.txt").write_text(
            SEED_TEXT.replace(SEED_UNIT, f"测试单位{i:03d}"), "utf-8")
    wal = Path(f"{db}.wal")

    def size() -> int:
        return sum(p.stat().st_size for p in (db, wal) if p.exists())

    before = size()
    proc = subprocess.Popen([str(JUESUAN), "run", "--reports", str(reports), "--warehouse",
                             str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    # Kill as soon as the first chunk of reports reaches the file (mid-commit or just after),
    # while the rest are still being read and written.
    while proc.poll() is None and size() < before + 2**20:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed, not finished

    def check(con: duckdb.DuckDBPyConnection) -> int:
        reports_n = con.execute("select count(*) from raw.reports").fetchall()[0][0]
        for table, per_report in SEED_ROWS.items():
            counts = con.execute(
                f"select r.report_id, count(t.report_id) from raw.reports r "
                f"left join raw.{table} t using (report_id) group by 1").fetchall()
            assert {n for _, n in counts} == {per_report}, table  # each report: all its rows
            orphans = con.execute(f"select count(*) from raw.{table} where report_id not in "
                                  "(select report_id from raw.reports)").fetchall()[0][0]
            assert orphans == 0, table  # no row without its report
        return reports_n

    with duckdb.connect(str(db)) as con:  # reopens: DuckDB replays or drops the WAL
        loaded = check(con)
        assert con.execute("select count(*) from raw.reports where unit_name = ?",
                           [SEED_UNIT]).fetchall() == [(1,)]
    assert 1 <= loaded < 301
    with connect(db) as con:  # a rerun loads the rest
        load_files(con, reports, [p.name for p in sorted(reports.iterdir())])
        assert check(con) == 301
