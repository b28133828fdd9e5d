"""When a dbt build may be incremental, and what the ledger and the queue record."""

from __future__ import annotations

from pathlib import Path

import pytest

from dagster_project.build_plan import (
    BUILD_INPUTS,
    TWO_THREADS_UP_TO,
    BuildPlan,
    decide,
    fingerprint,
    plan_build,
    rebuilt_by_last_build,
    record_build,
    utc_now,
)
from dagster_project.warehouse.load import connect, ensure_schema, queue_for_build


def test_the_fingerprint_covers_models_macros_seeds_and_the_catalogue():
    names = {p.name for p in BUILD_INPUTS}
    assert {"dbt_project.yml", "models", "macros", "reference", "catalogue"} <= names
    assert all(p.exists() for p in BUILD_INPUTS)


def test_the_fingerprint_changes_with_any_byte_and_any_name(tmp_path: Path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "a.sql").write_text("select 1")
    before = fingerprint([folder])
    assert fingerprint([folder]) == before
    (folder / "a.sql").write_text("select 2")
    changed = fingerprint([folder])
    assert changed != before
    (folder / "a.sql").rename(folder / "b.sql")
    assert fingerprint([folder]) not in {before, changed}


@pytest.mark.parametrize("last, force, mode", [
    (None, False, "full"),          # a new warehouse
    ("old", False, "full"),         # a model, macro, seed or the hierarchy changed
    ("now", True, "full"),          # asked for
    ("now", False, "incremental"),  # only reports changed
])
def test_decide(last, force, mode):
    assert decide(last, "now", force)[0] == mode


def test_incremental_builds_skip_the_unchanged_seeds_and_full_ones_refresh():
    plan = BuildPlan("incremental", "", "f", 1, None, 10, 2)
    assert plan.dbt_args == ["build", "--exclude", "resource_type:seed", "--threads", "2"]
    full = BuildPlan("full", "", "f", 1, None, 10, None)
    assert full.dbt_args == ["build", "--full-refresh"]


def test_the_queue_is_emptied_only_by_a_complete_successful_build(tmp_path, monkeypatch):
    monkeypatch.delenv("JUESUAN_FULL_REFRESH", raising=False)
    monkeypatch.delenv("JUESUAN_DBT_THREADS", raising=False)
    with connect(tmp_path / "w.duckdb") as con:
        ensure_schema(con)
        queue_for_build(con, ["a", "b"])
        first = plan_build(con)
        assert (first.mode, first.queued, first.threads) == ("full", 2, 2)
        record_build(con, first, utc_now(), succeeded=False, complete=True)
        assert con.execute("select count(*) from raw.build_queue").fetchall() == [(2,)]
        again = plan_build(con)
        assert again.mode == "full"  # a failed build does not count
        record_build(con, again, utc_now(), succeeded=True, complete=False)
        assert con.execute("select count(*) from raw.build_queue").fetchall() == [(2,)]
        assert plan_build(con).mode == "full"  # nor does a subset of the models
        record_build(con, again, utc_now(), succeeded=True, complete=True)
        assert con.execute("select count(*) from raw.build_queue").fetchall() == [(0,)]
        queue_for_build(con, ["c"])
        nxt = plan_build(con)
        assert (nxt.mode, nxt.queued) == ("incremental", 1)
        # after a full build, every HTML page is rewritten
        assert rebuilt_by_last_build(con) is None


def test_a_big_incremental_build_runs_one_model_at_a_time(tmp_path, monkeypatch):
    # Two audit models at once outgrow DuckDB's memory budget on a thousand reports, and an
    # incremental build of a thousand new reports reads as much as a full build of them.
    monkeypatch.delenv("JUESUAN_FULL_REFRESH", raising=False)
    monkeypatch.delenv("JUESUAN_DBT_THREADS", raising=False)
    with connect(tmp_path / "w.duckdb") as con:
        ensure_schema(con)
        queue_for_build(con, ["a"])
        first = plan_build(con)
        record_build(con, first, utc_now(), succeeded=True, complete=True)
        queue_for_build(con, ["b"])
        small = plan_build(con)
        assert (small.mode, small.threads) == ("incremental", 2)
        queue_for_build(con, [f"r{i}" for i in range(TWO_THREADS_UP_TO + 1)])
        big = plan_build(con)
        assert (big.mode, big.threads) == ("incremental", 1)
