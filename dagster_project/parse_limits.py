"""Parse report files under limits: memory, wall clock and pages.

Reports come from outside the data team's control: a 4 MB PDF can expand to 4 GiB (one
FlateDecode stream), a 2,000-page PDF holds a worker for minutes. So every parse runs in a
child process whose address space is capped (RLIMIT_AS) and which a timer stops; a child that
goes past a limit, hangs or dies is that file's `resource_limit` ingest error naming the limit,
and the other files go on. The children die with their parent (PR_SET_PDEATHSIG), so a killed
run leaves no worker holding memory.

The parse itself (`ingest.read_for_load`) stays a pure function of the file; this module only
runs it. Two entry points:

- `parse_file(source, limits)`: one file in its own child process, a result or a
  `resource_limit` error (what a task queue's worker calls per file);
- `parse_files(sources, workers, limits)`: a batch on a pool of workers, results in input order.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from dagster_project import config
from dagster_project.interpret.facts import Problem

# The pool reads files a few at a time (fewer round trips for thousands of small text reports).
CHUNK = 4
# Seconds a child gets beyond its own timer before the parent kills it (a parse stuck in C code
# never sees the timer's signal).
GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ParseLimits:
    memory_mb: int  # address space a child may add to what it starts with
    seconds: float  # wall clock per file
    max_pages: int  # pages per PDF

    @classmethod
    def from_env(cls) -> ParseLimits:
        return cls(config.parse_memory_mb(), config.parse_seconds(), config.max_pages())

    def memory_message(self) -> str:
        return (f"parsing needed more memory than the limit of {self.memory_mb} MB "
                f"({config.PARSE_MEMORY_ENV})")

    def time_message(self) -> str:
        return (f"parsing took longer than the time limit of {self.seconds:g} s "
                f"({config.PARSE_SECONDS_ENV})")


# A reader is `read(source, max_pages) -> ReadResult` (ingest.read_for_load), module-level so
# the pool can send it to its workers.
Reader = Callable


def limited(source, message: str):
    """The ingest error of a file that went past a limit."""
    from dagster_project.ingest import ReadResult

    return ReadResult(source, None, [Problem("resource_limit", message, source.path.name, True)])


class _Timeout(BaseException):
    """Raised by the timer in the child; a BaseException so no reader's `except Exception`
    swallows it."""


def _on_alarm(signum, frame):
    raise _Timeout


def _address_space() -> int | None:
    """The process's current address space in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the child has now plus `memory_mb`: a forked child
    starts with its parent's mappings (Dagster, dbt, DuckDB), which a parse does not add to."""
    import resource

    now = _address_space()
    if now is None:
        return
    soft = now + memory_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this child when its parent dies (kill -9 of the run included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _init_child(memory_mb: int, parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    # The parent's handlers (Dagster's, the CLI's) are not the child's to run.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_memory(memory_mb)


def _guarded(read: Reader, source, limits: ParseLimits):
    """`read` under the timer; past the time or memory limit, the file's resource_limit error."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)
    try:
        return read(source, limits.max_pages)
    except _Timeout:
        return limited(source, limits.time_message())
    except MemoryError:
        return limited(source, limits.memory_message())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_chunk(read: Reader, sources: list, limits: ParseLimits) -> list:
    return [_guarded(read, s, limits) for s in sources]


def _died(source, limits: ParseLimits, status: int | None):
    if status is None:
        return limited(source, limits.time_message() + "; the parse process was killed")
    if os.WIFSIGNALED(status):
        how = f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
    else:
        how = f"exited with code {os.WEXITSTATUS(status)}"
    return limited(source, f"the parse process {how} without a result (memory limit "
                           f"{limits.memory_mb} MB, {config.PARSE_MEMORY_ENV}; time limit "
                           f"{limits.seconds:g} s, {config.PARSE_SECONDS_ENV})")


def parse_file(source, limits: ParseLimits | None = None, read: Reader | None = None):
    """Parse one file in a forked child under the limits: its ReadResult, or its
    `resource_limit` error when the child went past a limit, hung or died.

    A plain fork and a pipe rather than `multiprocessing`, so a daemonic worker process (a task
    queue's) may call it too.
    """
    from dagster_project.ingest import read_for_load

    limits = limits or ParseLimits.from_env()
    read = read or read_for_load
    parent = os.getpid()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(r)
            _init_child(limits.memory_mb, parent)
            data = pickle.dumps(_guarded(read, source, limits))
            with os.fdopen(w, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - the parent reports the child's death
            code = 70
        finally:
            os._exit(code)
    os.close(w)
    chunks, deadline, timed_out = [], time.monotonic() + limits.seconds + GRACE_SECONDS, False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if not select.select([r], [], [], left)[0]:
                continue
            data = os.read(r, 1 << 20)
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(r)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return _died(source, limits, None)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and chunks:
        return pickle.loads(b"".join(chunks))
    return _died(source, limits, status)


def _new_pool(workers: int, limits: ParseLimits) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_init_child, initargs=(limits.memory_mb, os.getpid()))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down now, killing its workers (a hung one never returns on its own)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(Exception):
            p.kill()
    for p in processes:
        with contextlib.suppress(Exception):
            p.join(timeout=5)


def parse_files(sources: list, workers: int | None = None, limits: ParseLimits | None = None,
                read: Reader | None = None) -> Iterator:
    """Parse files on `workers` processes under the limits, yielding results in input order.

    A worker that dies (past the memory limit in C code, a crash) breaks the pool, and one
    stuck past the time limit is killed: then the chunks in flight are parsed again one file
    each in its own process (`parse_file`), which names the file that did it, and a new pool
    takes the rest. The pool is shut down and its workers killed however the caller stops.
    """
    from dagster_project.ingest import read_for_load

    limits = limits or ParseLimits.from_env()
    read = read or read_for_load
    if not sources:
        return
    if len(sources) == 1:
        yield parse_file(sources[0], limits, read)
        return
    chunks = [sources[i:i + CHUNK] for i in range(0, len(sources), CHUNK)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(chunks)))
    todo: deque[list] = deque(chunks)
    window: deque[tuple[list, Future]] = deque()
    pool: ProcessPoolExecutor | None = None
    try:
        while todo or window:
            if pool is None:
                pool = _new_pool(workers, limits)
            while todo and len(window) < 4 * workers:
                chunk = todo.popleft()
                window.append((chunk, pool.submit(_read_chunk, read, chunk, limits)))
            chunk, future = window[0]
            try:
                # The head chunk started when the one before it finished: it has its files'
                # time limits, and the grace, to come back.
                results = future.result(timeout=len(chunk) * limits.seconds + GRACE_SECONDS)
            except (BrokenProcessPool, FutureTimeout):
                _stop(pool)
                pool = None
                in_flight = list(window)
                window.clear()
                for chunk, future in in_flight:
                    done = future.done() and not future.cancelled() and future.exception() is None
                    if done:
                        yield from future.result()
                    else:
                        for source in chunk:
                            yield parse_file(source, limits, read)
                continue
            window.popleft()
            yield from results
    finally:
        if pool is not None:
            _stop(pool)
