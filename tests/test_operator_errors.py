"""Issue 11 (#9, #15): an unlucky operator gets one-line errors and the documented exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "reports" / "caidian-trade-union-2024.txt"


def juesuan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dagster_project.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)


def hold(code: str, *args: str) -> subprocess.Popen:
    """A second process running `code` (which prints 'ready' once it holds what it holds)."""
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def test_a_second_run_exits_3_naming_the_holder(tmp_path, reports):
    warehouse = tmp_path / "w.duckdb"
    first = hold("import sys, time\nfrom pathlib import Path\n"
                 "from dagster_project.run_lock import run_lock\n"
                 "with run_lock(Path(sys.argv[1])):\n    print('ready', flush=True)\n"
                 "    time.sleep(60)\n", str(warehouse))
    try:
        second = juesuan("run", "--reports", str(reports), "--warehouse", str(warehouse))
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 3, second.stderr
    [line] = second.stderr.strip().splitlines()
    assert f"process {first.pid}" in line and "another run" in line
    assert not warehouse.exists()  # it touched nothing


def test_the_lock_goes_with_its_holder(tmp_path):
    """A killed run's lock file does not block the next run (flock is the process's)."""
    from dagster_project.run_lock import RunLocked, run_lock

    warehouse = tmp_path / "w.duckdb"
    first = hold("import sys, time\nfrom pathlib import Path\n"
                 "from dagster_project.run_lock import run_lock\n"
                 "with run_lock(Path(sys.argv[1])):\n    print('ready', flush=True)\n"
                 "    time.sleep(60)\n", str(warehouse))
    with pytest.raises(RunLocked), run_lock(warehouse):
        pass
    first.kill()
    first.wait()
    with run_lock(warehouse) as path:
        assert path.read_text().strip() == str(__import__("os").getpid())


def test_findings_while_a_run_holds_the_warehouse_exits_3(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    writer = hold("import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
                  "print('ready', flush=True)\ntime.sleep(60)\n", str(warehouse))
    try:
        result = juesuan("findings", "--warehouse", str(warehouse))
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 3, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "in use" in result.stderr
