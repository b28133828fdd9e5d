"""The audit's Dagster side: GX suites as asset checks on the residuals, HTML reports.

No `from __future__ import annotations` here: Dagster inspects the context type hints.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from dagster_project.assets.ingest import DUCKDB_POOL, DUCKDB_TAGS
from dagster_project.audit.catalogue import FAMILIES
from dagster_project.audit.report import write_html_reports
from dagster_project.audit.suites import (
    RESIDUAL_MODEL,
    FamilyResult,
    ephemeral_context,
    suite_name,
    validate_family,
)
from dagster_project.build_plan import rebuilt_by_last_build
from dagster_project.config import audit_dir

RESIDUALS_KEY = dg.AssetKey(["intermediate", RESIDUAL_MODEL])
FINDINGS_KEY = dg.AssetKey(["marts", "audit_findings"])


def check_severity(result: FamilyResult) -> dg.AssetCheckSeverity:
    """ERROR only when the residuals themselves are wrong (a structural expectation failed: a
    status null or unknown). A failed rule is a finding - data the audit reports, whatever
    the rule's own severity - so its check fails with WARN, which never holds back what is
    downstream (the BI file: findings are what the dashboards show)."""
    return dg.AssetCheckSeverity.ERROR if result.structural else dg.AssetCheckSeverity.WARN


@dg.multi_asset_check(
    # blocking: a run's steps downstream of the residuals (the BI file's publish) wait for
    # these checks, and do not run if one fails with ERROR severity (check_severity)
    specs=[dg.AssetCheckSpec(f"gx_{family}", asset=RESIDUALS_KEY, blocking=True,
                             description=f"GX suite expectations/{suite_name(family)}.json")
           for family in FAMILIES],
    can_subset=True,
    pool=DUCKDB_POOL,
    op_tags=DUCKDB_TAGS,
)
def identity_suites(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
    """Validate the identity residuals of every rule family with its GX suite."""
    with duckdb.get_connection() as con:
        # One row per distinct outcome with its count, not one per evaluation: the same
        # verdicts from a frame a thousand times smaller (see validate_family).
        residuals = con.execute(
            f"select rule_id, rule_family, status, count(*) as evaluations "
            f"from intermediate.{RESIDUAL_MODEL} group by all").df()
    gx_context = ephemeral_context()
    for family in FAMILIES:
        name = f"gx_{family}"
        if context.selected_asset_check_keys and dg.AssetCheckKey(RESIDUALS_KEY, name) not in \
                context.selected_asset_check_keys:
            continue
        result = validate_family(family, residuals, context=gx_context)
        yield dg.AssetCheckResult(
            check_name=name,
            asset_key=RESIDUALS_KEY,
            passed=result.success,
            severity=check_severity(result),
            metadata={
                "suite": f"expectations/{suite_name(family)}.json",
                "expectations": result.expectations,
                "evaluations": result.evaluations,
                "failed_rules": dg.MetadataValue.json(result.failed_rules),
                # a real inconsistency is an error finding, a contradicted claim a warning
                "failed_error_rules": len(result.error_rules),
                "structural_failures": dg.MetadataValue.json(result.structural),
            },
        )


@dg.asset(deps=[FINDINGS_KEY], group_name="audit", kinds={"html"}, pool=DUCKDB_POOL,
          op_tags=DUCKDB_TAGS)
def audit_reports(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """One HTML audit report per current report revision, in the warehouse's own folder."""
    folder = audit_dir()
    with duckdb.get_connection() as con:
        paths = write_html_reports(con, folder, rebuilt_by_last_build(con))
    context.log.info(f"wrote {len(paths)} audit reports to {folder}")
    return dg.MaterializeResult(metadata={"folder": str(folder), "reports": len(paths)})
