"""End to end: the real Dagster job, real DuckDB file, real dbt build; and the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.e2e


def _copy_seed(seed_path: Path, folder: Path, name: str, unit: str | None = None) -> None:
    text = seed_path.read_text("utf-8")
    if unit:
        text = text.replace("武汉市蔡甸区总工会本级", unit)
    (folder / name).write_text(text, "utf-8")


def test_report_partitions_under_the_multiprocess_executor(tmp_path, seed_path, monkeypatch):
    """The job as a Dagster daemon would launch it: a persistent instance, a process per step,
    the `duckdb` pool limited to one, one run over the partitions of new files."""
    reports = tmp_path / "reports"
    reports.mkdir()
    _copy_seed(seed_path, reports, "a.txt")
    _copy_seed(seed_path, reports, "b.txt", unit="测试单位甲")
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("JUESUAN_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("JUESUAN_REPORTS", str(reports))
    (tmp_path / "dagster_home").mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    from dagster_project.definitions import build_definitions, juesuan_job
    from dagster_project.partitions import PARTITIONS_NAME, range_tags

    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        instance.event_log_storage.set_concurrency_slots("duckdb", 1)
        instance.add_dynamic_partitions(PARTITIONS_NAME, ["a.txt", "b.txt"])
        with dg.execute_job(dg.reconstructable(juesuan_job), instance=instance,
                            tags=range_tags(["a.txt", "b.txt"])) as result:
            assert result.success
            run_id = result.run_id
            materialized = {(e.asset_key.to_user_string(), e.partition)
                            for e in result.get_asset_materialization_events()}
        assert {("report_loads", "a.txt"), ("report_loads", "b.txt"),
                ("raw/table_cells", None)} <= materialized
        assert any(k.startswith("staging/stg_raw__") for k, _ in materialized)
        # Each step ran in its own process.
        workers = [e for e in instance.all_logs(run_id)
                   if e.dagster_event and e.dagster_event.event_type_value == "STEP_WORKER_STARTED"]
        assert len(workers) >= 3
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("select count(*) from raw.reports").fetchall() == [(2,)]
            assert con.execute("select count(*) from staging.stg_raw__table_cells"
                               ).fetchall() == [(1200,)]

        # A new file: its partition alone is loaded (the marts are left out here, for speed).
        _copy_seed(seed_path, reports, "c.txt", unit="测试单位乙")
        instance.add_dynamic_partitions(PARTITIONS_NAME, ["c.txt"])
        result = build_definitions().resolve_job_def("juesuan_job").execute_in_process(
            instance=instance, tags=range_tags(["c.txt"]),
            asset_selection=[dg.AssetKey("report_loads")])
        assert result.success
        [load] = [e for e in result.get_asset_materialization_events()
                  if e.asset_key.to_user_string() == "report_loads"]
        assert load.partition == "c.txt"
        assert load.materialization.metadata["loaded"].value == 1
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("select count(*) from raw.reports").fetchall() == [(3,)]


def test_cli_run_summarises_and_signals_failed_reports(tmp_path, seed_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(seed_path, reports)
    (reports / "broken.txt").write_text("\n".join(seed_path.read_text("utf-8").split("\n")[:900]),
                                        "utf-8")
    juesuan = Path(sys.executable).with_name("juesuan")
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                           str(tmp_path / "w.duckdb")], capture_output=True, text=True, check=False)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "reports in folder: 2, loaded: 1, failed: 1" in proc.stdout
    assert "FAILED broken.txt" in proc.stdout and "[truncated] broken.txt:L" in proc.stdout
    assert "table_cells 600" in proc.stdout
    assert "dbt build: full (no complete build of this warehouse yet), 1 reports queued" \
        in proc.stdout

    # Again, without the broken file: nothing new to load, the marts are rebuilt, same content.
    def content() -> dict[str, list]:
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
            # Everything but the load timestamps.
            return {t: con.execute(f"select * {ex} from raw.{t} order by all").fetchall()
                    for t, ex in (("reports", "exclude (loaded_at)"), ("table_cells", ""),
                                  ("narrative_facts", ""), ("performance_indicators", ""),
                                  ("ingest_errors", "exclude (recorded_at)"))}

    before = content()
    (reports / "broken.txt").unlink()
    proc = subprocess.run([str(juesuan), "run", "--reports", str(reports), "--warehouse",
                           str(tmp_path / "w.duckdb")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(0 new or changed of 1 files)" in proc.stdout
    assert "reports in folder: 1, loaded: 1, failed: 0" in proc.stdout
    assert "dbt build: incremental (only reports changed since the last build), 0 reports " \
        "queued, 0 recomputed" in proc.stdout
    assert content() == before
