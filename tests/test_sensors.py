"""The reports-folder sensor fires on new, changed and removed files, and only then."""

from __future__ import annotations

import dagster as dg

from dagster_project.definitions import build_definitions


def test_sensor_fires_on_changes_only(tmp_path, monkeypatch, seed_path):
    monkeypatch.setenv("JUESUAN_REPORTS", str(tmp_path))
    defs = build_definitions()
    sensor = defs.resolve_sensor_def("reports_folder_sensor")
    instance = dg.DagsterInstance.ephemeral()

    def tick(cursor):
        context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
        result = sensor.evaluate_tick(context)
        return result.run_requests, result.cursor

    requests, cursor = tick(None)
    assert len(requests) == 1  # first look: run once
    requests, cursor2 = tick(cursor)
    assert requests == [] and cursor2 == cursor  # nothing changed
    (tmp_path / "new.txt").write_bytes(seed_path.read_bytes())
    requests, cursor3 = tick(cursor2)
    assert len(requests) == 1 and cursor3 != cursor2
    (tmp_path / "new.txt").write_bytes(seed_path.read_bytes() + b"\n")
    requests, cursor4 = tick(cursor3)
    assert len(requests) == 1 and cursor4 != cursor3
    (tmp_path / "new.txt").unlink()
    assert len(tick(cursor4)[0]) == 1


def test_daily_schedule_targets_the_job():
    schedule = build_definitions().resolve_schedule_def("daily_load")
    assert schedule.cron_schedule == "0 2 * * *" and schedule.job_name == "juesuan_job"
