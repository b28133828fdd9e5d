"""Assets of the ingest: the source report files and the raw layer they load into.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.config import reports_dir
from dagster_project.ingest import SourceFile, discover, load_results, read_all
from dagster_project.warehouse.load import RAW_TABLES, ensure_schema

RAW_KEYS = [dg.AssetKey(["raw", t]) for t in RAW_TABLES]


class ReportsConfig(dg.Config):
    reports_dir: str | None = None  # default: $JUESUAN_REPORTS, else seeds/reports


@dg.asset(group_name="ingest", kinds={"file"})
def source_reports(context: dg.AssetExecutionContext, config: ReportsConfig) -> list[dict]:
    """Every report file in the reports folder, with its SHA-256 (the unit of idempotence)."""
    folder = Path(config.reports_dir) if config.reports_dir else reports_dir()
    if not folder.is_dir():
        raise dg.Failure(f"reports folder {folder} does not exist")
    files = discover(folder)
    context.add_output_metadata({"folder": str(folder), "files": len(files),
                                 "bytes": sum(f.size for f in files)})
    return [{"path": str(f.path), "sha256": f.sha256, "size": f.size} for f in files]


@dg.multi_asset(
    group_name="ingest",
    specs=[dg.AssetSpec(k, deps=["source_reports"], kinds={"duckdb"}) for k in RAW_KEYS],
    ins={"source_reports": dg.AssetIn()},
    can_subset=False,
)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, source_reports: list[dict]):
    """Read and interpret every report, then load each one atomically into the raw schema."""
    sources = [SourceFile(Path(s["path"]), s["sha256"], s["size"]) for s in source_reports]
    results = read_all(sources)
    with duckdb.get_connection() as con:
        ensure_schema(con)
        summary = load_results(con, results)
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in RAW_TABLES}
    for o in summary.failed:
        context.log.warning(f"report failed: {o.file_name}: {o.message}")
    batch = {"loaded": summary.count("loaded"), "unchanged": summary.count("unchanged"),
             "failed": summary.count("failed")}
    for key, table in zip(RAW_KEYS, RAW_TABLES, strict=True):
        yield dg.MaterializeResult(asset_key=key, metadata={"rows": counts[table], **batch})
