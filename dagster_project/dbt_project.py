"""The dbt project as Dagster sees it, with a manifest that is always current."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from dagster_project.config import DBT_PROJECT_DIR

juesuan_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class JuesuanDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two start-up costs of every build that we do not use.

    Before each dbt command dagster-dbt runs `dbt --version` in a subprocess (1.2-1.9 s) to
    tell dbt-core from the Fusion engine, and loads dbt-core in-process to open an adapter
    (2-3 s) that only `fetch_row_counts()` / `fetch_column_metadata()` need. Our dbt is the
    dbt-core installed beside us (`dbt_executable`), so its version is read from the package
    metadata, and no adapter is opened. Both override private members of dagster-dbt 0.29,
    pinned in requirements.lock; tests/test_e2e.py runs the real resource end to end.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - the signature we replace
        return None


def dbt_executable() -> str:
    """The dbt of this environment, even when the venv's bin/ is not on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def _newest_source(project_dir: Path) -> float:
    paths = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for sub in ("models", "macros", "tests", "analyses", "../seeds/reference"):
        paths.extend(p for p in (project_dir / sub).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in paths if p.exists())


def ensure_manifest(project: DbtProject = juesuan_dbt_project) -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project's files.

    Dagster reads the manifest when it loads the definitions, so it must exist first; a
    fresh clone has none (target/ is not committed).
    """
    manifest = project.manifest_path
    if _is_current(manifest, project.project_dir):
        return manifest
    # Processes that start together (test workers, a run and `make dev`) would otherwise run
    # `dbt parse` at once and read each other's half-written manifest: one parses, the others
    # wait and find it current.
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_current(manifest, project.project_dir):
            return manifest
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
        cmd = [dbt_executable(), "parse", "--quiet", "--project-dir", str(project.project_dir),
               "--profiles-dir", str(project.profiles_dir)]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{result.stdout}\n{result.stderr}")
    return manifest


def _is_current(manifest: Path, project_dir: Path) -> bool:
    return manifest.exists() and manifest.stat().st_mtime >= _newest_source(project_dir)
