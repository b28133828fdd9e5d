"""Automation: a sensor for new or changed report files, and a daily schedule."""

from __future__ import annotations

import hashlib

import dagster as dg

from dagster_project.config import reports_dir


def folder_fingerprint() -> tuple[str, int]:
    """A fingerprint of the reports folder: names, sizes and modification times of its files.

    Cheap enough to compute every 30 s on thousands of files; a changed file changes its size
    or mtime, and the run itself then compares SHA-256s, so nothing unchanged is reloaded.
    """
    folder = reports_dir()
    if not folder.is_dir():
        return "missing", 0
    digest = hashlib.sha256()
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
            count += 1
    return digest.hexdigest(), count


def build_reports_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(job=job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.STOPPED)
    def reports_folder_sensor(context: dg.SensorEvaluationContext):
        """Start a run when files are added to, changed in or removed from the reports folder."""
        fingerprint, count = folder_fingerprint()
        if fingerprint == context.cursor:
            return dg.SkipReason(f"no change in the reports folder ({count} files)")
        context.update_cursor(fingerprint)
        return dg.RunRequest(run_key=fingerprint, tags={"juesuan/files": str(count)})

    return reports_folder_sensor


def build_daily_schedule(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    # A daily run re-audits everything even when no file changed (the rule catalogue may have).
    return dg.ScheduleDefinition(name="daily_load", job=job, cron_schedule="0 2 * * *",
                                 execution_timezone="Asia/Shanghai",
                                 default_status=dg.DefaultScheduleStatus.STOPPED)
