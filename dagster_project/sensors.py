"""Automation: a sensor for new or changed report files, and a daily schedule."""

from __future__ import annotations

import hashlib

import dagster as dg

from dagster_project.config import reports_dir
from dagster_project.partitions import (
    PARTITIONS_NAME,
    decode_stamps,
    encode_stamps,
    folder_stamps,
    plan_partitions,
    range_tags,
)


def build_reports_sensor(job: dg.UnresolvedAssetJobDefinition) -> dg.SensorDefinition:
    @dg.sensor(job=job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.STOPPED)
    def reports_folder_sensor(context: dg.SensorEvaluationContext):
        """Add a partition per new or changed report file and start one run for all of them.

        A changed file's partition is deleted on one tick and added again, at the end, on the
        next. A removed file loses its partition (its rows stay in the warehouse, as history).
        """
        stamps = folder_stamps(reports_dir())
        before = decode_stamps(context.cursor)
        existing = context.instance.get_dynamic_partitions(PARTITIONS_NAME)
        known = set(existing)
        todo = [k for k, s in stamps.items() if before.get(k) != s or k not in known]
        plan = plan_partitions(existing, todo, set(stamps))
        if plan.empty:
            return dg.SkipReason(f"no change in the reports folder ({len(stamps)} files)")
        # A moved (changed) file is left out of the cursor: next tick sees it as new.
        cursor = encode_stamps({k: s for k, s in stamps.items() if k not in set(plan.moved)})
        requests: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
        if plan.delete:
            requests.append(dg.DeleteDynamicPartitionsRequest(PARTITIONS_NAME, plan.delete))
        if plan.add:
            requests.append(dg.AddDynamicPartitionsRequest(PARTITIONS_NAME, plan.add))
        runs = [dg.RunRequest(run_key=hashlib.sha256(cursor.encode()).hexdigest()[:32],
                              tags={**range_tags(plan.run), "juesuan/files": str(len(plan.run))})
                ] if plan.run else []
        return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests,
                               cursor=cursor)

    return reports_folder_sensor


def build_daily_schedule(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    @dg.schedule(name="daily_load", job=job, cron_schedule="0 2 * * *",
                 execution_timezone="Asia/Shanghai",
                 default_status=dg.DefaultScheduleStatus.STOPPED)
    def daily_load(context: dg.ScheduleEvaluationContext):
        """Every report partition once a day: the marts are rebuilt and re-audited even when no
        file changed (the rule catalogue may have), and a file a failed run missed is loaded;
        unchanged files are skipped by their SHA-256 before they are parsed."""
        keys = context.instance.get_dynamic_partitions(PARTITIONS_NAME)
        if not keys:
            return dg.SkipReason("no report partitions yet: start the sensor or `juesuan run`")
        return dg.RunRequest(tags=range_tags(keys))

    return daily_load
