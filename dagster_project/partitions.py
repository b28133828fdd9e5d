"""Which report partitions a run covers: the pure planning shared by the sensor and the CLI.

Dagster runs many partitions in one run only as a contiguous range (the
`dagster/asset_partition_range_*` tags), and dynamic partitions keep the order they were added
in. So every file a run must load is (re-)added at the end: a changed file's partition is
deleted and added again, and the run covers the tail from the first of them to the last.
Deleting a partition keeps its materialization history in the event log. (A sensor could also
request a backfill of an arbitrary subset, but that needs the backfill daemon and turns a
single-run policy into one run per contiguous stretch anyway.)
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dagster_project.ingest import report_key, report_paths

PARTITIONS_NAME = "report_files"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class PartitionPlan:
    delete: list[str]  # files gone from the folder, and changed files to move to the end
    add: list[str]  # new files, to append in this order
    run: list[str]  # the run's keys, contiguous at the end once `add` is appended
    # Changed files, deleted now and appended after `add`: at once by the CLI, on the next tick
    # by the sensor (one sensor result cannot both delete and add a key).
    moved: list[str]

    @property
    def empty(self) -> bool:
        return not (self.delete or self.add or self.run)

    def apply(self, instance) -> list[str]:
        """Change the instance's partitions at once; the keys of the one run that loads them."""
        for key in self.delete:
            instance.delete_dynamic_partition(PARTITIONS_NAME, key)
        instance.add_dynamic_partitions(PARTITIONS_NAME, self.add + self.moved)
        return self.run + self.moved


def plan_partitions(existing: Sequence[str], todo: Sequence[str],
                    present: set[str]) -> PartitionPlan:
    """Bring `todo` (new or changed keys, in order) to the end of `existing`; drop gone keys."""
    todo = list(todo)
    gone = [k for k in existing if k not in present]
    kept = [k for k in existing if k in present]
    if todo and kept[-len(todo):] == todo:
        return PartitionPlan(gone, [], todo, [])  # already the tail, e.g. a run that failed
    known = set(existing)
    moved = [k for k in todo if k in known]
    new = [k for k in todo if k not in known]
    return PartitionPlan(gone + moved, new, new, moved)


def range_tags(keys: Sequence[str]) -> dict[str, str]:
    """Run tags for one run over `keys`, which must be contiguous in the partition order."""
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}


def folder_stamps(folder: Path) -> dict[str, str]:
    """Size and modification time of every report file: cheap to take every 30 s on 10,000
    files, and a changed file changes one of them. The run then compares SHA-256s, so a touched
    but unchanged file is not loaded again."""
    if not folder.is_dir():
        return {}
    stamps = {}
    for path in report_paths(folder):
        stat = path.stat()
        stamps[report_key(folder, path)] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return stamps


def encode_stamps(stamps: dict[str, str]) -> str:
    # Compressed: a cursor for 10,000 files is ~0.6 MB as JSON, ~0.1 MB compressed.
    return base64.b64encode(zlib.compress(json.dumps(stamps, sort_keys=True).encode())).decode()


def decode_stamps(cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        return json.loads(zlib.decompress(base64.b64decode(cursor)))
    except (ValueError, zlib.error):
        return {}  # a cursor from an older sensor: treat every file as changed (SHA decides)
