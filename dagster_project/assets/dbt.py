"""The dbt models (staging → intermediate → marts) as Dagster assets."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from dagster_project.assets.ingest import DUCKDB_POOL, DUCKDB_TAGS
from dagster_project.dbt_project import ensure_manifest, juesuan_dbt_project

ensure_manifest()


@dbt_assets(manifest=juesuan_dbt_project.manifest_path, project=juesuan_dbt_project,
            pool=DUCKDB_POOL, op_tags=DUCKDB_TAGS)
def juesuan_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    # `dbt build` runs seeds, models and their tests in dependency order; a failing test fails
    # the step (never raise_on_error=False: it once reported a crashed dbt as success).
    yield from dbt.cli(["build"], context=context).stream()
