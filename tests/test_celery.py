"""The staged load on Dagster's Celery executor: a real Redis broker and two real Celery workers,
each a process of its own, all started here on a free port and stopped when the module ends
(even when a test fails), by `dagster_project.local_celery`.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.assets.staged import staged_run_config
from dagster_project.generate.corpus import generate
from dagster_project.local_celery import Redis, celery_staged_job, celery_workers
from tests.test_staging import raw_snapshot, single_process_load

pytestmark = [
    pytest.mark.e2e,
    # One broker and two workers for the module: keep its tests on one xdist worker (with
    # `--dist loadgroup`; `--dist loadfile` does it too).
    pytest.mark.xdist_group("celery"),
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="redis-server is not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    redis = Redis(tmp_path_factory.mktemp("redis"))
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture(scope="module")
def workers(broker, tmp_path_factory):
    """Two Celery workers, `w1` and `w2`, one pool process each."""
    with celery_workers(broker, tmp_path_factory.mktemp("celery"), ["w1", "w2"]) as procs:
        yield procs


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    with dg.instance_for_test(temp_dir=str(home)) as inst:
        yield inst


def run_staged(instance, broker, reports: Path, warehouse: Path, staging: Path, chunks: int):
    config = staged_run_config(reports_dir=str(reports), warehouse=str(warehouse),
                               staging=str(staging), chunks=chunks)
    config["execution"] = broker.executor_config()
    with dg.execute_job(celery_staged_job(), instance=instance, run_config=config,
                        raise_on_error=False) as result:
        return result.success, result.run_id


def step_events(instance, run_id: str, event_type: str, prefix: str = "stage_report_chunk"):
    return [e for e in instance.all_logs(run_id)
            if e.dagster_event and e.dagster_event.event_type_value == event_type
            and (e.step_key or "").startswith(prefix)]


def celery_hosts(instance, run_id: str) -> list[str]:
    """The Celery worker that ran each parse step, as the executor's task recorded it."""
    return [e.dagster_event.engine_event_data.metadata["Celery worker"].value
            for e in step_events(instance, run_id, "ENGINE_EVENT")
            if "Celery worker" in e.dagster_event.engine_event_data.metadata]


def _corpus(folder: Path, units: int, seed: int) -> Path:
    generate(folder, units, range(2023, 2025), 0.0, seed=seed)
    return folder / "reports"


def test_parse_steps_run_on_both_workers_and_load_what_one_process_loads(
        broker, workers, instance, tmp_path):
    reports = _corpus(tmp_path / "corpus", 4, seed=11)
    reference = single_process_load(reports, tmp_path / "reference.duckdb")
    assert len(reference["reports"]) >= 8
    staging = tmp_path / "staging"
    ok, run_id = run_staged(instance, broker, reports, tmp_path / "w.duckdb", staging, chunks=4)
    assert ok
    hosts = celery_hosts(instance, run_id)
    assert len(hosts) == 4 and {h.split("@")[0] for h in hosts} == {"w1", "w2"}
    # The parse steps' own record of where they ran: two worker processes.
    parsed_by = {e.dagster_event.step_output_data.metadata["parsed_by"].value
                 for e in step_events(instance, run_id, "STEP_OUTPUT")}
    assert len(parsed_by) == 2
    assert raw_snapshot(tmp_path / "w.duckdb") == reference
    assert not staging.exists() or not any(staging.rglob("*"))  # removed once loaded


def test_a_worker_killed_mid_parse_reruns_its_chunk(broker, workers, instance, tmp_path):
    reports = _corpus(tmp_path / "corpus", 12, seed=12)
    reference = single_process_load(reports, tmp_path / "reference.duckdb")
    staging = tmp_path / "staging"
    warehouse = tmp_path / "w.duckdb"
    killed: list[tuple[int, bool]] = []  # (pid, its chunk was staged when killed)
    before = {r.run_id for r in instance.get_runs()}

    def staged(step_key: str) -> bool:
        index = int(step_key.rsplit("[c", 1)[1].rstrip("]"))
        return bool(list(staging.rglob(f"chunk-{index:05d}-*.parquet")))

    def killer():
        """Kill the first parse step's process as soon as it has started, while it parses."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for run in instance.get_runs():
                if run.run_id in before:
                    continue
                starts = step_events(instance, run.run_id, "STEP_START")
                if starts and not staged(starts[0].step_key):
                    os.kill(starts[0].dagster_event.pid, signal.SIGKILL)
                    killed.append((starts[0].dagster_event.pid, staged(starts[0].step_key)))
                    return
            time.sleep(0.05)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    ok, run_id = run_staged(instance, broker, reports, warehouse, staging, chunks=2)
    thread.join(5)
    assert killed, "no parse step was killed"
    [(pid, was_staged)] = killed
    assert not was_staged  # killed mid-parse, before its chunk was staged
    assert ok
    starts = step_events(instance, run_id, "STEP_START")
    assert len(starts) == 3  # two chunks, one of them started twice
    assert pid in {e.dagster_event.pid for e in starts}
    assert raw_snapshot(warehouse) == reference  # nothing lost, nothing duplicated
    assert not staging.exists() or not any(staging.rglob("*"))  # no half-written file left


def test_the_broker_restarted_between_runs(broker, workers, instance, tmp_path):
    reports = _corpus(tmp_path / "corpus", 3, seed=13)
    warehouse = tmp_path / "w.duckdb"
    files = sorted(reports.iterdir())
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(files[0], folder)
    ok, _ = run_staged(instance, broker, folder, warehouse, tmp_path / "staging", chunks=1)
    assert ok
    broker.stop()
    broker.start()  # same port, empty: no queue, no result survived
    for p in files[1:]:
        shutil.copy(p, folder)
    ok, run_id = run_staged(instance, broker, folder, warehouse, tmp_path / "staging", chunks=2)
    assert ok
    assert len(celery_hosts(instance, run_id)) == 2
    reference = single_process_load(folder, tmp_path / "reference.duckdb")
    assert len(reference["reports"]) == len(files)
    assert raw_snapshot(warehouse) == reference
