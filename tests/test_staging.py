"""The staged load: chunks parsed and staged as Parquet, loaded by the one writer, checked
against the single-step load of the same folder (`ingest.load_files`), table for table."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.generate.corpus import generate
from dagster_project.ingest import discover, load_files, report_key, report_paths
from dagster_project.staging import (
    StagedChunk,
    StagedChunkInvalid,
    load_staged,
    plan_chunks,
    read_staged,
    stage_chunk,
)
from dagster_project.warehouse.load import RAW_TABLES, connect

# Columns that say when a row was written, not what it says.
WHEN = {"loaded_at", "recorded_at"}


def raw_snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every raw table, sorted, without its load timestamps."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for t in RAW_TABLES:
            cols = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' "
                "and table_name = ? order by ordinal_position", [t]).fetchall()
                if r[0] not in WHEN]
            out[t] = sorted(con.execute(f"select {', '.join(cols)} from raw.{t}").fetchall(),
                            key=repr)
    return out


def single_process_load(reports: Path, warehouse: Path) -> dict[str, list[tuple]]:
    con = connect(warehouse)
    try:
        load_files(con, reports, [report_key(reports, p) for p in report_paths(reports)],
                   workers=1)
    finally:
        con.close()
    return raw_snapshot(warehouse)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Six generated reports (3 units, 2 years) plus one that cannot be read."""
    out = tmp_path_factory.mktemp("staged") / "corpus"
    generate(out, 3, range(2023, 2025), 0.0, seed=7)
    reports = out / "reports"
    first = sorted(reports.rglob("*.txt"))[0]
    (reports / "broken.txt").write_text(
        "\n".join(first.read_text("utf-8").split("\n")[:40]), "utf-8")
    return reports


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict[str, list[tuple]]:
    return single_process_load(corpus, tmp_path_factory.mktemp("ref") / "w.duckdb")


def test_staged_load_equals_the_single_step_load(corpus, reference, tmp_path):
    assert len(reference["reports"]) == 6
    assert len(reference["ingest_errors"]) >= 1  # broken.txt, recorded with its place
    chunks = plan_chunks(discover(corpus), chunk_size=3)
    assert [len(c.files) for c in chunks] == [3, 3, 1]
    staging = tmp_path / "staging"
    staged = [stage_chunk(c, str(staging)) for c in chunks]
    assert all(s.url.endswith(".parquet") and Path(s.url).is_file() for s in staged)
    assert [s.rows for s in staged] == [3, 3, 1]
    con = connect(tmp_path / "w.duckdb")
    try:
        result = load_staged(con, staged)
    finally:
        con.close()
    assert result.reparsed == []
    assert result.summary.count("loaded") == 6 and len(result.summary.failed) == 1
    assert raw_snapshot(tmp_path / "w.duckdb") == reference
    assert list(staging.iterdir()) == []  # removed once loaded


def test_chunk_count_from_configuration(corpus):
    sources = discover(corpus)
    assert [len(c.files) for c in plan_chunks(sources, chunk_size=50, chunks=2)] == [4, 3]
    # The same files make the same chunk ids: a retried chunk overwrites its own file.
    assert ([c.chunk_id for c in plan_chunks(sources, 3)]
            == [c.chunk_id for c in plan_chunks(list(sources), 3)])


def test_a_truncated_staged_chunk_is_detected_and_parsed_again(corpus, reference, tmp_path):
    chunks = plan_chunks(discover(corpus), chunk_size=4)
    staged = [stage_chunk(c, str(tmp_path / "staging")) for c in chunks]
    path = Path(staged[0].url)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StagedChunkInvalid, match="truncated or corrupt"):
        read_staged(staged[0].url, chunks[0])
    # A chunk staged for other files (a stale name) is not taken for this one either.
    with pytest.raises(StagedChunkInvalid):
        read_staged(staged[1].url, chunks[0])
    con = connect(tmp_path / "w.duckdb")
    try:
        result = load_staged(con, staged)
    finally:
        con.close()
    assert result.reparsed == [chunks[0].chunk_id]
    assert raw_snapshot(tmp_path / "w.duckdb") == reference


def test_a_staged_chunk_loads_once(corpus, reference, tmp_path):
    """Keys are SHA-256: the same chunk staged twice (a worker that finished after its retry)
    and loaded twice duplicates nothing."""
    [chunk] = plan_chunks(discover(corpus), chunk_size=100)
    first = stage_chunk(chunk, str(tmp_path / "a"))
    (tmp_path / "b").mkdir()
    copy = tmp_path / "b" / Path(first.url).name
    shutil.copy(first.url, copy)
    again = StagedChunk(chunk, str(copy), first.rows, first.parsed_by)
    con = connect(tmp_path / "w.duckdb")
    try:
        load_staged(con, [first])
        result = load_staged(con, [again])
    finally:
        con.close()
    assert result.summary.count("loaded") == 0 and result.summary.count("unchanged") == 6
    snapshot = raw_snapshot(tmp_path / "w.duckdb")
    assert {t: len(r) for t, r in snapshot.items()} == {t: len(r) for t, r in reference.items()}


def test_staging_needs_no_shared_disk_but_a_url(corpus, tmp_path):
    """An fsspec URL as the staging location (memory:// here, s3:// in a deployment)."""
    [chunk] = plan_chunks(discover(corpus)[:2], chunk_size=10)
    staged = stage_chunk(chunk, f"memory://{tmp_path.name}/staging")
    assert staged.url.startswith("memory://")
    assert [r["sha256"] for r in read_staged(staged.url, chunk)] == [s for _, s, _ in chunk.files]
    con = connect(tmp_path / "w.duckdb")
    try:
        result = load_staged(con, [staged])
    finally:
        con.close()
    assert result.removed == [staged.url]



def _run_in_process(corpus: Path, tmp_path: Path, staging: str, chunk_size: int = 3):
    import dagster as dg

    from dagster_project.assets.staged import staged_job_for, staged_run_config

    config = staged_run_config(reports_dir=str(corpus), warehouse=str(tmp_path / "w.duckdb"),
                               staging=staging, chunk_size=chunk_size)
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        return staged_job_for("in_process").execute_in_process(
            run_config=config, instance=instance, raise_on_error=False)


def test_the_staged_job_loads_the_folder(corpus, reference, tmp_path):
    result = _run_in_process(corpus, tmp_path, str(tmp_path / "staging"))
    assert result.success
    assert len(result.get_step_success_events()) == 5  # plan, 3 chunks, load
    assert raw_snapshot(tmp_path / "w.duckdb") == reference
    assert list((tmp_path / "staging").iterdir()) == []  # the run's folder removed


def test_a_chunk_that_cannot_be_staged_fails_the_run_naming_it(corpus, tmp_path):
    (tmp_path / "not-a-folder").write_text("", "utf-8")
    result = _run_in_process(corpus, tmp_path, str(tmp_path / "not-a-folder" / "staging"),
                             chunk_size=100)
    assert not result.success
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert [e.step_key for e in failures] == ["stage_report_chunk[c00000]"]
    assert "chunk 00000-" in failures[0].step_failure_data.error.message or any(
        "chunk 00000-" in (e.step_failure_data.user_failure_data.description or "")
        for e in failures if e.step_failure_data.user_failure_data)
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert len(retries) >= 2  # retried before it failed
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.reports").fetchall() == [(0,)]
