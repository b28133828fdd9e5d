"""The staged load on Dagster's Celery executor: a real Redis broker and two real Celery workers,
each a process of its own, all started here on a free port and stopped when the module ends
(even when a test fails).

The workers are the ones a deployment runs (`celery -A dagster_celery.app worker`), with
`task_acks_late` and `task_reject_on_worker_lost`: a task whose worker process dies goes back to
the queue and runs again, which is what makes a killed parse step re-run.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.assets.staged import staged_run_config
from dagster_project.generate.corpus import generate
from tests.test_staging import raw_snapshot, single_process_load

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("redis-server") is None,
                       reason="redis-server is not installed (.ci/run installs it)"),
]

ROOT = Path(__file__).resolve().parents[1]
# Settings of the workers' Celery app and of the executor's: they must agree.
CELERY_SETTINGS = {
    "task_acks_late": True,  # a task is acknowledged when done, not when taken
    "task_reject_on_worker_lost": True,  # ... and requeued when its process dies
    "worker_prefetch_multiplier": 1,  # a worker holds no task it is not running
    "broker_connection_retry_on_startup": True,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A redis-server of this test module's own, without persistence, restartable."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.proc = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _stop_group(proc: subprocess.Popen) -> None:
    """A worker and its pool processes (its own process group)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGQUIT)  # cold shutdown: no task is running by now
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


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
    """Two Celery workers, `w1` and `w2`, one pool process each. They import the job's module
    before starting their pool process (`--include`): a pool process that replaces a killed one
    starts with it imported."""
    conf = tmp_path_factory.mktemp("celery_conf")
    (conf / "dagster_celery_config.py").write_text(
        f"broker_url = {broker.url + '/0'!r}\nresult_backend = {broker.url + '/1'!r}\n"
        + "".join(f"{k} = {v!r}\n" for k, v in CELERY_SETTINGS.items()), "utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(conf), str(ROOT)]))
    env.pop("JUESUAN_EXECUTOR", None)  # staged_job_for names its executor
    logs = tmp_path_factory.mktemp("celery_logs")
    procs: dict[str, subprocess.Popen] = {}
    try:
        for name in ("w1", "w2"):
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker",
                 "-n", f"{name}@%h", "-Q", "dagster", "--concurrency", "1", "--pool", "prefork",
                 "--include", "dagster_project.assets.staged", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", f"--logfile={logs / (name + '.log')}"],
                cwd=str(conf), env=env, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while not all("ready" in _log(logs, n) for n in procs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs.values()):
                raise RuntimeError("celery workers did not start: "
                                   + " | ".join(_log(logs, n)[-2000:] for n in procs))
            time.sleep(0.2)
        yield {"procs": procs, "logs": logs}
    finally:
        for proc in procs.values():
            _stop_group(proc)


def _log(folder: Path, name: str) -> str:
    path = folder / f"{name}.log"
    return path.read_text("utf-8", "replace") if path.exists() else ""


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    home = tmp_path_factory.mktemp("dagster_home")
    with dg.instance_for_test(temp_dir=str(home)) as inst:
        yield inst


def celery_job():
    return dg.build_reconstructable_job("dagster_project.assets.staged", "staged_job_for",
                                        reconstructable_args=("celery",))


def run_staged(instance, broker, reports: Path, warehouse: Path, staging: Path, chunks: int):
    config = staged_run_config(reports_dir=str(reports), warehouse=str(warehouse),
                               staging=str(staging), chunks=chunks)
    config["execution"] = {"config": {"broker": broker.url + "/0", "backend": broker.url + "/1",
                                      "config_source": CELERY_SETTINGS}}
    with dg.execute_job(celery_job(), instance=instance, run_config=config,
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
    first = sorted(reports.iterdir())[:3]
    batch1 = tmp_path / "batch"
    batch1.mkdir()
    for p in first:
        shutil.copy(p, batch1)
    ok, _ = run_staged(instance, broker, batch1, warehouse, tmp_path / "staging", chunks=2)
    assert ok
    broker.stop()
    broker.start()  # same port, empty: no queue, no result survived
    for p in sorted(reports.iterdir())[3:]:
        shutil.copy(p, batch1)
    ok, run_id = run_staged(instance, broker, batch1, warehouse, tmp_path / "staging", chunks=2)
    assert ok
    assert len(celery_hosts(instance, run_id)) == 2
    reference = single_process_load(batch1, tmp_path / "reference.duckdb")
    assert len(reference["reports"]) == len(list(reports.iterdir()))
    assert raw_snapshot(warehouse) == reference
