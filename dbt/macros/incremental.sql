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
