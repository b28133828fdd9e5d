"""A Redis broker and Celery workers on this machine, for the tests and the benchmark of the
staged load on Dagster's Celery executor (`tests/test_celery.py`, `benchmarks/bench_celery.py`).

The workers are the ones a deployment runs (`celery -A dagster_celery.app worker`), with the
settings of `CELERY_SETTINGS`: a task is acknowledged when done and requeued when its worker
process dies, which is what makes a killed parse step run again.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from dagster_project.config import PROJECT_ROOT

# Settings of the workers' Celery app and of the executor's: they must agree.
CELERY_SETTINGS = {
    "task_acks_late": True,  # a task is acknowledged when done, not when taken
    "task_reject_on_worker_lost": True,  # ... and requeued when its process dies
    "worker_prefetch_multiplier": 1,  # a worker holds no task it is not running
    "broker_connection_retry_on_startup": True,
    # A pool process above 1 GB resident is replaced after its task (a parse step holds one
    # chunk: about 0.3 GB with 50 files a chunk).
    "worker_max_memory_per_child": 1_000_000,  # KiB
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A redis-server on 127.0.0.1 and a free port, without persistence, restartable (on the
    same port)."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.proc = folder, free_port(), None

    @property
    def broker(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def backend(self) -> str:
        return f"redis://127.0.0.1:{self.port}/1"

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
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def executor_config(self) -> dict:
        """The `execution` block of a run on these workers."""
        return {"config": {"broker": self.broker, "backend": self.backend,
                           "config_source": CELERY_SETTINGS}}


def celery_staged_job():
    """The staged load on the Celery executor, as the submitting process and every worker
    rebuild it."""
    import dagster as dg

    return dg.build_reconstructable_job("dagster_project.assets.staged", "staged_job_for",
                                        reconstructable_args=("celery",))


def _log(folder: Path, name: str) -> str:
    path = folder / f"{name}.log"
    return path.read_text("utf-8", "replace") if path.exists() else ""


def _stop_group(proc: subprocess.Popen) -> None:
    """A worker and its pool processes (its own process group). Killed: it runs no task by
    then, and a task it ran would go back to the queue anyway (acks late); Celery's own
    shutdown takes 6 s a worker."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # its group: pool processes outlive a dead main
    proc.wait()


def pool_pids(proc: subprocess.Popen) -> list[int]:
    """The pool processes of a worker (its children)."""
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children]


def peak_rss_mb(pid: int) -> float | None:
    """A process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


@contextmanager
def celery_workers(redis: Redis, folder: Path, names: list[str], concurrency: int = 1):
    """Celery workers as processes of their own, each `concurrency` pool processes, stopped
    on exit (whatever happened). They import the staged job's module before forking their
    pool (`--include`): a pool process that replaces a killed one starts with it imported."""
    conf = folder / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "dagster_celery_config.py").write_text(
        f"broker_url = {redis.broker!r}\nresult_backend = {redis.backend!r}\n"
        + "".join(f"{k} = {v!r}\n" for k, v in CELERY_SETTINGS.items()), "utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(conf), str(PROJECT_ROOT)]))
    procs: dict[str, subprocess.Popen] = {}
    try:
        for name in names:
            procs[name] = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker",
                 "-n", f"{name}@%h", "-Q", "dagster", "--concurrency", str(concurrency),
                 "--pool", "prefork", "--include", "dagster_project.assets.staged",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", f"--logfile={folder / (name + '.log')}"],
                cwd=str(conf), env=env, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not all("ready" in _log(folder, n) for n in procs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs.values()):
                raise RuntimeError("celery workers did not start: "
                                   + " | ".join(_log(folder, n)[-2000:] for n in procs))
            time.sleep(0.2)
        yield procs
    finally:
        for proc in procs.values():
            _stop_group(proc)
