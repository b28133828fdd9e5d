"""One `juesuan run` per warehouse at a time: an exclusive lock file beside the warehouse.

DuckDB's own lock is taken and released step by step (the loads, dbt, the audit each open the
file), so a second run started between two steps would interleave with the first and consume
its build queue. This lock is held from the start of a run to its summary.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class RunLocked(RuntimeError):
    def __init__(self, path: Path, holder: str):
        who = f"process {holder}" if holder else "another process"
        super().__init__(f"another run holds {path} ({who}); wait for it to finish and retry")


class RunLockUnavailable(RuntimeError):
    """The lock file cannot be created (a read-only or missing folder)."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


@contextlib.contextmanager
def run_lock(warehouse: Path) -> Iterator[Path]:
    """Hold the warehouse's run lock, or raise RunLocked naming the holder's pid.

    flock: the kernel drops the lock when the holder dies, however it dies (kill -9 included),
    so a stale lock file never blocks the next run. The pid written inside is only for the
    message.
    """
    path = lock_path(warehouse)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise RunLockUnavailable(f"cannot create the run lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            raise RunLocked(path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
