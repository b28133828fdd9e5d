"""The reports-folder sensor adds a partition per new or changed file and runs them together."""

from __future__ import annotations

import os

import dagster as dg
import pytest

from dagster_project.definitions import build_definitions
from dagster_project.partitions import (
    PARTITIONS_NAME,
    RANGE_END_TAG,
    RANGE_START_TAG,
    plan_partitions,
)


def _apply(instance: dg.DagsterInstance, result: dg.SensorResult) -> None:
    """What the sensor daemon does with the dynamic partition requests, in order."""
    for request in result.dynamic_partitions_requests or []:
        if isinstance(request, dg.AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, request.partition_keys)
        else:
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)


def test_sensor_adds_partitions_for_new_and_changed_files_only(tmp_path, monkeypatch, seed_path):
    monkeypatch.setenv("JUESUAN_REPORTS", str(tmp_path))
    defs = build_definitions()
    sensor = defs.resolve_sensor_def("reports_folder_sensor")
    instance = dg.DagsterInstance.ephemeral()
    cursor = None

    def tick():
        nonlocal cursor
        context = dg.build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
        result = sensor.evaluate_tick(context)
        _apply(instance, result)
        cursor = result.cursor or cursor
        return [(r.tags[RANGE_START_TAG], r.tags[RANGE_END_TAG]) for r in result.run_requests]

    data = seed_path.read_bytes()
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    assert tick() == [("a.txt", "sub/c.txt")]  # one run for the three new files
    assert instance.get_dynamic_partitions(PARTITIONS_NAME) == ["a.txt", "b.txt", "sub/c.txt"]
    assert tick() == []  # nothing changed
    (tmp_path / "d.txt").write_bytes(data)
    assert tick() == [("d.txt", "d.txt")]  # only the new file
    (tmp_path / "a.txt").write_bytes(data + b"\n")
    (tmp_path / "b.txt").write_bytes(data + b"\n\n")
    # Changed files move to the end so that one range covers exactly them: deleted on one
    # tick, added again with their run on the next.
    assert tick() == []
    assert tick() == [("a.txt", "b.txt")]
    assert instance.get_dynamic_partitions(PARTITIONS_NAME) == ["sub/c.txt", "d.txt", "a.txt",
                                                                "b.txt"]
    os.utime(tmp_path / "d.txt", ns=(1, 1))
    assert tick() == []  # size or mtime decides (the run compares SHA-256)
    assert tick() == [("d.txt", "d.txt")]
    (tmp_path / "sub/c.txt").unlink()
    assert tick() == []  # a removed file loses its partition, no run
    assert "sub/c.txt" not in instance.get_dynamic_partitions(PARTITIONS_NAME)


def test_plan_keeps_a_tail_that_is_already_in_place():
    plan = plan_partitions(["a", "b", "c"], ["b", "c"], {"a", "b", "c"})
    assert (plan.delete, plan.add, plan.run) == ([], [], ["b", "c"])
    plan = plan_partitions(["a", "b", "c"], ["a", "x"], {"a", "b", "x"})
    assert (plan.delete, plan.add, plan.run, plan.moved) == (["c", "a"], ["x"], ["x"], ["a"])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(PARTITIONS_NAME, ["a", "b", "c"])
    assert plan.apply(instance) == ["x", "a"]  # the CLI moves at once
    assert instance.get_dynamic_partitions(PARTITIONS_NAME) == ["b", "x", "a"]


def test_daily_schedule_runs_every_partition(tmp_path):
    defs = build_definitions()
    schedule = defs.resolve_schedule_def("daily_load")
    assert schedule.cron_schedule == "0 2 * * *" and schedule.job_name == "juesuan_job"
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        context = dg.build_schedule_context(instance=instance)
        assert isinstance(schedule.evaluate_tick(context).skip_message, str)
        instance.add_dynamic_partitions(PARTITIONS_NAME, ["a.txt", "b.txt"])
        context = dg.build_schedule_context(instance=instance)
        [request] = schedule.evaluate_tick(context).run_requests
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("a.txt", "b.txt")


def test_the_executor_is_configuration():
    from dagster_project.definitions import build_executor

    assert build_executor("multiprocess").name == "multiprocess"
    assert build_executor("in_process").name == "in_process"
    with pytest.raises(ValueError, match="JUESUAN_EXECUTOR"):
        build_executor("threads")
