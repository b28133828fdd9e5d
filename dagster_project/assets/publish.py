"""The published BI file as a Dagster asset: its materialisations show when it was last written.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""

import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.assets.audit import RESIDUALS_KEY, audit_reports
from dagster_project.assets.dbt import juesuan_dbt_models
from dagster_project.assets.ingest import DUCKDB_POOL, DUCKDB_TAGS
from dagster_project.config import bi_path, warehouse_path
from dagster_project.dbt_project import juesuan_dbt_project
from dagster_project.publish import incremental_marts, publish

# Every mart: the BI file copies them (but publish.WAREHOUSE_ONLY). The audit reports come
# first so that a run which failed to audit does not publish. The residuals are a direct
# dependency for their GX checks: those are blocking, and Dagster makes a step wait for the
# blocking checks of its direct dependencies only - so the publish follows the checks (the UI
# shows a publication made after them), and a check failing with ERROR severity, which only a
# structural failure does (assets/audit.py check_severity), stops it; a finding never does.
MART_KEYS = [k for k in juesuan_dbt_models.keys if k.path[0] == "marts"]


@dg.asset(deps=[*MART_KEYS, RESIDUALS_KEY, audit_reports], group_name="publish", kinds={"duckdb"},
          pool=DUCKDB_POOL, op_tags=DUCKDB_TAGS)
def bi_file(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """The marts copied into the read-only BI file ($JUESUAN_BI, default data/bi.duckdb) and
    renamed over the previous copy: dashboards and BI tools read it, never the warehouse."""
    target = bi_path()
    # which marts dbt builds per report: after an incremental build only their rebuilt
    # reports' rows are replaced in a copy of the previous BI file
    manifest = json.loads(juesuan_dbt_project.manifest_path.read_text("utf-8"))
    with duckdb.get_connection() as con:
        result = publish(con, target, source=str(warehouse_path()),
                         incremental=incremental_marts(manifest))
    context.log.info(f"published {len(result.tables)} marts to {target} in {result.seconds:.2f} s "
                     f"({result.mode}{': ' + result.reason if result.reason else ''})")
    return dg.MaterializeResult(metadata={
        "path": str(target),
        "mode": result.mode,
        "tables": len(result.tables),
        "rows": dg.MetadataValue.json(result.tables),
        "seconds": round(result.seconds, 3),
    })
