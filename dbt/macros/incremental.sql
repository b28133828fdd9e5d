{#- Report-scoped incremental builds.

    Every model whose grain starts with report_id is `incremental`: a build after new reports
    were loaded recomputes only the reports in int_reports_to_rebuild (the queued reports, the
    other revisions of their unit-year, and the reports whose cross-report identities read
    them). Its rows are deleted first (a superseded revision may now have none), then the
    model's select, filtered with in_rebuild(), is appended. Anything else that changes (a
    model, a macro, a seed, the unit hierarchy) makes the Dagster asset run `--full-refresh`,
    where is_incremental() is false, in_rebuild() is `true` and every table is rebuilt whole.

    ref() is called outside the `if` on purpose: dbt records a dependency only from refs it
    renders while parsing, when is_incremental() is false. -#}

{% macro in_rebuild(column='report_id') -%}
    {%- set rebuild = ref('int_reports_to_rebuild') -%}
    {%- if is_incremental() -%}
        {{ column }} in (select report_id from {{ rebuild }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_rebuilt_reports() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where report_id in (select report_id from {{ ref('int_reports_to_rebuild') }})
    {%- endif -%}
{%- endmacro %}

{#- dbt's hook for a test's `where`: on an incremental build, tests of report-scoped models
    (the incremental ones, and staging views flagged meta.report_scoped) see only the rebuilt
    reports. Sound because their keys embed report_id, so new rows cannot collide with other
    reports' rows, and those rows passed when they were built. A --full-refresh build tests
    every row. (The rebuild list by name, not ref(): a test may not ref what it does not
    depend on.) -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scoped = [] -%}
    {%- if execute and not flags.FULL_REFRESH -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.alias == relation.identifier
                  and node.schema == relation.schema
                  and (node.config.materialized == 'incremental'
                       or node.config.meta.get('report_scoped')) -%}
                {%- do scoped.append(true) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if scoped -%}
        {%- set where = (where ~ ' and ' if where else '')
              ~ "report_id in (select report_id from "
              ~ graph.nodes['model.juesuan.int_reports_to_rebuild'].relation_name ~ ")" -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ where ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
